"""The directory `new` writes: checked before any work, claimed against concurrent runs, filled in one move.

A project is rendered into a scratch directory beside the target, so the final move is a rename on one
filesystem. Each scratch directory holds a lock its run keeps until it ends; a run that was killed outright
releases it with its death, and the next run in that directory removes what it left. Locks (`fcntl.flock`) are
released by the kernel, so a reused process id never makes live work look abandoned.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from pybackend.errors import TargetError, TargetNotEmptyError
from pybackend.signals import uninterruptible

SCRATCH_PREFIX = ".pybackend-"
_OWNER = ".owner"
_LOCK_SUFFIX = ".lock"


def check_target(target: Path) -> None:
    """Refuse, with one line saying why, a target `new` cannot create as a fresh directory."""
    if target.is_symlink():
        raise TargetError(f"{target} is a symbolic link; pybackend creates a real directory: choose another name")
    if target.exists() and not target.is_dir():
        raise TargetError(f"{target} is a file, not a directory; choose another name or directory")
    try:
        if target.is_dir() and any(target.iterdir()):
            raise TargetNotEmptyError(f"{target} already exists and is not empty; choose another name or directory")
    except PermissionError:
        raise TargetError(f"{target} cannot be read (permission denied); choose another name or directory") from None
    check_parent(target.parent, target)


def check_parent(parent: Path, target: Path | None = None) -> None:
    """Refuse a directory that cannot hold a new project: a file, or not writable, where it exists."""
    existing = _nearest_existing(parent)
    what = target or parent
    if not existing.is_dir():
        raise TargetError(f"cannot create {what}: {existing} is a file, not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise TargetError(f"cannot create {what}: {existing} is not writable (permission denied)")


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return Path.cwd()


@contextmanager
def claimed(target: Path) -> Iterator[Path]:
    """Hold `target`'s name against other runs, and yield a scratch directory beside it.

    The parents this creates for the target are removed again, and the scratch directory always is, whether the
    work succeeds, fails or is interrupted.
    """
    parent = target.parent
    # Each directory above the target as it was: a directory this run creates, or one removed and created again
    # while it runs (the render writing into a removed directory), is removed again if the run fails.
    before = [(directory, _identity(directory)) for directory in (parent, *parent.parents)]
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise TargetError(f"cannot create {parent}: {_reason(error)}") from None
    try:
        with _name_lock(parent / f"{SCRATCH_PREFIX}{target.name}{_LOCK_SUFFIX}", target), _scratch(parent) as scratch:
            remove_abandoned(parent)
            yield scratch
    except BaseException:
        with uninterruptible():
            for directory, identity in before:
                if identity is not None and _identity(directory) == identity:
                    break
                with suppress(OSError):
                    directory.rmdir()
        raise


def require_intact(scratch: Path, target: Path) -> None:
    """Refuse to go on when the scratch directory was removed (with the directory holding it) during the run."""
    if not (scratch / _OWNER).is_file():
        raise TargetError(f"{target.parent} was removed while the project was being written; nothing was created")


def move_into_place(project: Path, target: Path) -> None:
    """The rename that makes the project appear whole; an empty directory already at `target` is replaced."""
    try:
        if target.is_dir() and not target.is_symlink():
            target.rmdir()
        project.rename(target)
    except OSError as error:
        require_intact(project.parent, target)
        raise TargetError(f"cannot create {target}: {_reason(error)}") from None


def remove_abandoned(parent: Path) -> None:
    """Remove scratch directories and lock files in `parent` whose run has ended without cleaning up."""
    for entry in parent.glob(f"{SCRATCH_PREFIX}*"):
        lock = entry / _OWNER if entry.is_dir() and not entry.is_symlink() else entry
        if lock.name != _OWNER and not lock.name.endswith(_LOCK_SUFFIX):
            continue
        try:
            descriptor = os.open(lock, os.O_RDWR | os.O_NOFOLLOW)
        except OSError:
            continue  # not ours, or a run that is still creating it
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            continue  # its run is alive
        try:
            with uninterruptible():
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
        finally:
            os.close(descriptor)


@contextmanager
def _name_lock(path: Path, target: Path) -> Iterator[None]:
    while True:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError as error:
            raise TargetError(f"cannot create {target}: {_reason(error)}") from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            raise TargetError(
                f"another pybackend run is creating {target}; wait for it to finish, or choose another name"
            ) from None
        # A run that finished between our open and our lock has unlinked the file we hold: take the new one.
        try:
            if path.stat().st_ino == os.fstat(descriptor).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(descriptor)
    try:
        yield
    finally:
        with uninterruptible():
            path.unlink(missing_ok=True)
            os.close(descriptor)


@contextmanager
def _scratch(parent: Path) -> Iterator[Path]:
    try:
        scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=parent))
    except OSError as error:
        raise TargetError(f"cannot write in {parent}: {_reason(error)}") from None
    # Locked under another name first, so `remove_abandoned` never finds an owner file that is not yet locked.
    pending = scratch / f"{_OWNER}.pending"
    descriptor = os.open(pending, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    pending.rename(scratch / _OWNER)
    try:
        yield scratch
    finally:
        with uninterruptible():
            shutil.rmtree(scratch, ignore_errors=True)
            os.close(descriptor)


def _identity(directory: Path) -> tuple[int, int] | None:
    try:
        found = directory.lstat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _reason(error: OSError) -> str:
    if error.errno in {errno.EACCES, errno.EPERM, errno.EROFS}:
        return "permission denied"
    return error.strerror or str(error)

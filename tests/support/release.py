"""Release copies of this checkout: fresh repositories released the way a maintainer releases pybackend, to build
wheels and test updates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from . import REPO_ROOT
from .procs import clean_env

# The first and the newest release in this checkout's release list.
_RELEASES = tomllib.loads((REPO_ROOT / "releases.toml").read_text())["release"]
FIRST: dict[str, str] = _RELEASES[0]
VERSION: str = _RELEASES[-1]["version"]
_IDENTITY = ("-c", "user.name=release", "-c", "user.email=release@example.com")


def git(*args: str | Path, cwd: Path) -> str:
    completed = subprocess.run(
        ["git", *_IDENTITY, *map(str, args)], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, f"git {args}:\n{completed.stdout}\n{completed.stderr}"
    return completed.stdout


def release_copy(destination: Path, tag: str = f"v{VERSION}") -> Path:
    """This checkout's files, uncommitted work included, as a fresh repository whose one release is `tag`.

    Its release list holds that release alone: the commits of this checkout's own releases are not in the copy.
    """
    _copy_working_files(destination)
    (destination / "releases.toml").write_text("")
    git("init", "-q", cwd=destination)
    release(destination, tag, message="release")
    return destination


def checkout_copy(destination: Path) -> Path:
    """A clone of this checkout with its whole history, its uncommitted work committed on top: it builds the wheel
    this checkout would build once committed (the newest release at a release's commit, else a development
    version)."""
    git("clone", "--quiet", "--no-tags", REPO_ROOT, destination, cwd=destination.parent)
    git("checkout", "--quiet", git("rev-parse", "HEAD", cwd=REPO_ROOT).strip(), cwd=destination)
    for name in filter(None, git("ls-files", "--deleted", "-z", cwd=REPO_ROOT).split("\0")):
        (destination / name).unlink(missing_ok=True)
    _copy_working_files(destination)
    git("add", "--all", cwd=destination)
    if git("status", "--porcelain", cwd=destination):
        git("commit", "--quiet", "-m", "Work in progress", cwd=destination)
    return destination


def _copy_working_files(destination: Path) -> None:
    """This checkout's tracked and untracked files as they are on disk, into `destination`."""
    listed = git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=REPO_ROOT)
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)


def release(repository: Path, tag: str, message: str | None = None) -> str:
    """Release what `repository` holds as `tag`: commit it, tag it, then record it in the release list (one commit
    more, whose files are the release's apart from the list). Returns the release commit."""
    git("add", "-A", cwd=repository)
    git("commit", "-q", "--allow-empty", "-m", message or f"release {tag}", cwd=repository)
    commit = git("rev-parse", "HEAD", cwd=repository).strip()
    git("tag", tag, cwd=repository)
    record_release(repository, tag.removeprefix("v"), commit)
    return commit


def record_release(repository: Path, version: str, commit: str) -> None:
    """Add `version` at `commit` to the release list and commit that, as the release procedure does."""
    releases = repository / "releases.toml"
    text = releases.read_text() if releases.is_file() else ""
    releases.write_text(f'{text}\n[[release]]\nversion = "{version}"\ncommit = "{commit}"\n')
    git("add", "releases.toml", cwd=repository)
    git("commit", "-q", "-m", f"Record release {version}", cwd=repository)


def user_machine(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A user's machine in `tmp_path`: the template repository pybackend is pointed at, an empty home and a work
    directory, and the environment that uses them; returns (templates, work, env)."""
    templates, home, work = (tmp_path / name for name in ("templates", "home", "work"))
    for directory in (templates, home, work):
        directory.mkdir()
    env = clean_env(
        {
            "HOME": str(home),
            "PYBACKEND_TEMPLATE": str(templates),
            "UV_CACHE_DIR": uv_cache_dir(),
            "UV_PYTHON": sys.executable,
        }
    )
    return templates, work, env


def uv_cache_dir() -> str:
    """The outer uv cache, so that `uv lock` under the scratch HOME does not start from an empty one."""
    if os.environ.get("UV_CACHE_DIR"):
        return os.environ["UV_CACHE_DIR"]
    found = subprocess.run(["uv", "cache", "dir"], capture_output=True, text=True, check=True).stdout.strip()
    assert found, "uv cache dir printed nothing"
    return found

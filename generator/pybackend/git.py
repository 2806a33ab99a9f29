"""Running git: the one helper every module uses, so failures read the same everywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from pybackend.errors import PybackendError


def git(
    cwd: Path,
    *args: str,
    check: bool = True,
    stdin: str | None = None,
    env: Mapping[str, str] | None = None,
    error: type[PybackendError] = PybackendError,
    detached: bool = False,
) -> str:
    """git's standard output; a failure (with `check`) raises `error` carrying git's own message.

    A `detached` git runs in a session of its own, out of reach of a Ctrl-C sent to pybackend's process group.
    """
    try:
        completed = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            start_new_session=detached,
        )
    except FileNotFoundError as missing:
        raise error("git is required but was not found on PATH") from missing
    if check and completed.returncode != 0:
        raise error(f"git {' '.join(args)} failed in {cwd}: {completed.stderr.strip()}")
    return completed.stdout


def succeeds(cwd: Path, *args: str) -> bool:
    """Whether a git command that answers with its exit status (`diff --quiet`, `merge-base --is-ancestor`) says yes."""
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False).returncode == 0


def has_commit(cwd: Path, revision: str) -> bool:
    return succeeds(cwd, "cat-file", "-e", f"{revision}^{{commit}}")


# A snapshot commit is made the same way every time, so the same files always give the same commit.
_SNAPSHOT_ENV = {
    "GIT_AUTHOR_NAME": "pybackend",
    "GIT_AUTHOR_EMAIL": "pybackend@localhost",
    "GIT_AUTHOR_DATE": "@0 +0000",
    "GIT_COMMITTER_NAME": "pybackend",
    "GIT_COMMITTER_EMAIL": "pybackend@localhost",
    "GIT_COMMITTER_DATE": "@0 +0000",
}


def snapshot(repository: Path) -> str:
    """A commit holding exactly the files git tracks in `repository`, with their uncommitted edits: HEAD itself when
    there are none, else a child of HEAD.

    Untracked files, and other repositories inside this one (a project generated in the checkout), stay out. The
    user's index, work tree and refs are not touched; the commit is only an object in the repository.
    """
    head = git(repository, "rev-parse", "HEAD").strip()
    with tempfile.TemporaryDirectory(prefix="pybackend-index-") as scratch:
        index = Path(scratch) / "index"
        real = repository / git(repository, "rev-parse", "--git-path", "index").strip()
        env = {**os.environ, "GIT_INDEX_FILE": str(index)}
        if real.is_file():
            shutil.copyfile(real, index)
        else:
            git(repository, "read-tree", "HEAD", env=env)
        git(repository, "add", "--update", env=env)
        tree = git(repository, "write-tree", env=env).strip()
    if tree == git(repository, "rev-parse", "HEAD^{tree}").strip():
        return head
    message = "Uncommitted changes, as pybackend rendered them"
    env = {**os.environ, **_SNAPSHOT_ENV}
    return git(repository, "commit-tree", "--no-gpg-sign", tree, "-p", head, "-m", message, env=env).strip()


def identity(cwd: Path, name: str, email: str) -> dict[str, str]:
    """Environment variables that give a commit an author when git has no identity configured; none when it has.

    git refuses a name made only of punctuation and strips `<` and `>`; such a name falls back to "pybackend".
    Nothing is written to the user's git configuration.
    """
    if succeeds(cwd, "var", "GIT_COMMITTER_IDENT"):
        return {}
    usable_name = name if any(char not in _IDENT_CRUD for char in name) else "pybackend"
    usable_email = email if email and not set(email) & set("<>\n") else "pybackend@localhost"
    return {
        "GIT_AUTHOR_NAME": usable_name,
        "GIT_AUTHOR_EMAIL": usable_email,
        "GIT_COMMITTER_NAME": usable_name,
        "GIT_COMMITTER_EMAIL": usable_email,
    }


# The characters git trims from the ends of a name, and refuses a name made only of.
_IDENT_CRUD = frozenset(" .,:;<>\"'\\\t\n")


def blob(cwd: Path, revision: str) -> bytes | None:
    """The bytes of `revision` (such as `HEAD:path`), exactly as committed, or None when it does not exist."""
    completed = subprocess.run(["git", "cat-file", "blob", revision], cwd=cwd, capture_output=True, check=False)
    return completed.stdout if completed.returncode == 0 else None


def merge_file(ours: Path, base: Path, theirs: Path, labels: tuple[str, str, str]) -> bool:
    """Merge base->theirs into `ours` in place, as git merges a file; False when conflict markers were left."""
    completed = subprocess.run(
        ["git", "merge-file", "-L", labels[0], "-L", labels[1], "-L", labels[2], str(ours), str(base), str(theirs)],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode < 0 or completed.returncode > 127:
        raise PybackendError(f"git merge-file failed on {ours}: {completed.stderr.strip()}")
    return completed.returncode == 0

"""Running git: the one helper every module uses, so failures read the same everywhere."""

from __future__ import annotations

import subprocess
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
) -> str:
    """git's standard output; a failure (with `check`) raises `error` carrying git's own message."""
    try:
        completed = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as missing:
        raise error("git is required but was not found on PATH") from missing
    if check and completed.returncode != 0:
        raise error(f"git {' '.join(args)} failed in {cwd}: {completed.stderr.strip()}")
    return completed.stdout


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

"""Steps a template release runs as a Copier `_migrations` entry, after an update, in the project's directory.

copier.yml calls them as `["{{ _copier_python }}", "-m", "pybackend.migrations", "rename", OLD, NEW]`, so they run
with the Python (and the pybackend) that is doing the update.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pybackend.git import blob, git

_USAGE = "usage: python -m pybackend.migrations rename OLD NEW"


def rename(project: Path, old: str, new: str) -> None:
    """The release moved OLD to NEW and changed nothing else in it, so the user's OLD becomes NEW, edits included.

    By now Copier has written the template's NEW and removed OLD from the working tree; the user's version of OLD
    is still in the last commit.
    """
    committed = blob(project, f"HEAD:{old}")
    if committed is None:
        return
    target = project / new
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(committed)
    git(project, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", old)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "rename":
        print(_USAGE, file=sys.stderr)
        return 2
    rename(Path.cwd(), argv[1], argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Steps a template release declares as Copier `_migrations`; Copier runs them in the project during an update.

    _migrations:
      - version: vX.Y.Z
        command: ["{{ _copier_python }}", "-m", "pybackend.migrations", "rename", "old/path.py", "new/path.py"]

They run with the Python (and the pybackend) doing the update. A rename is only recorded, in the project's git
directory: the merge needs the old template's version of the file, which pybackend has and Copier's migration
step does not, so `update` carries the user's edits to the new path once Copier is done.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pybackend.git import git

_RECORD = "pybackend-renames"
_USAGE = "usage: python -m pybackend.migrations rename OLD NEW"


def record_rename(project: Path, old: str, new: str) -> None:
    with _record(project).open("a", encoding="utf-8") as record:
        record.write(f"{old}\t{new}\n")


def take_renames(project: Path) -> dict[str, str]:
    """The renames recorded during this update, from the project's path to its final one, and forget them.

    Releases can move a file twice (a to b, then b to c); an update across both moves a to c.
    """
    record = _record(project)
    try:
        lines = record.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    record.unlink()
    moves: dict[str, str] = {}
    for old, new in (line.split("\t", 1) for line in lines if "\t" in line):
        earlier = [start for start, end in moves.items() if end == old]
        for start in earlier:
            moves[start] = new
        if not earlier:
            moves[old] = new
    return {old: new for old, new in moves.items() if old != new}


def _record(project: Path) -> Path:
    return project / git(project, "rev-parse", "--git-path", _RECORD).strip()


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "rename":
        print(_USAGE, file=sys.stderr)
        return 2
    record_rename(Path.cwd(), argv[1], argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

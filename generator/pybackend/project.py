"""A generated project on disk: its recorded answers and template version, and its git working tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pybackend.data_file import read_mapping
from pybackend.errors import NotAProjectError, ProjectNotReadyError
from pybackend.git import git

ANSWERS_FILE = ".copier-answers.yml"
_CONFLICT_STATES = {"DD", "AU", "UD", "UA", "DU", "AA", "UU"}


@dataclass(frozen=True)
class Project:
    path: Path
    answers: dict[str, Any]
    src_path: str
    commit: str

    @property
    def name(self) -> str:
        return str(self.answers.get("project_name", self.path.name))


@dataclass
class Changes:
    """What an update did to the working tree, as `git status` sees it."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.deleted or self.conflicts)


def load_project(path: Path) -> Project:
    """The project at `path`; its answers file is read as strictly as a data file (UTF-8, a mapping, small)."""
    answers_file = path / ANSWERS_FILE
    if not path.is_dir():
        raise NotAProjectError(f"{path} is not a directory")
    if not answers_file.exists():
        hint = "run the command in the project's directory, or give its path"
        raise NotAProjectError(f"{path} is not a pybackend project: it has no {ANSWERS_FILE}; {hint}")
    recorded = read_mapping(answers_file)
    if not {"_src_path", "_commit", "framework"} <= recorded.keys():
        raise NotAProjectError(
            f"{path} is not a pybackend project: {ANSWERS_FILE} does not record a pybackend template and version"
        )
    return Project(
        path=path.resolve(),
        answers={key: value for key, value in recorded.items() if not str(key).startswith("_")},
        src_path=str(recorded["_src_path"]),
        commit=str(recorded["_commit"]),
    )


def require_clean(project: Project) -> None:
    """An update merges into the working tree, so it starts from a committed state it can return to."""
    inside = git(project.path, "rev-parse", "--is-inside-work-tree", check=False)
    if inside.strip() != "true":
        raise ProjectNotReadyError(
            f"{project.path} is not a git repository; updates merge with git. Run `git init && git add --all && "
            "git commit -m 'Initial commit'` there first"
        )
    if not git(project.path, "rev-parse", "--verify", "--quiet", "HEAD", check=False).strip():
        raise ProjectNotReadyError(
            f"{project.path} has no commit to return to if the update fails; commit the project first "
            "(`git add --all && git commit -m 'Initial commit'`)"
        )
    lock = project.path / git(project.path, "rev-parse", "--git-path", "index.lock").strip()
    if lock.exists():
        raise ProjectNotReadyError(
            f"another git command is working in this repository ({lock} exists); let it finish, or delete that "
            "file if no git command is running"
        )
    # Only the project's own directory counts: in a monorepo, work elsewhere is not the update's business.
    status = git(project.path, "status", "--porcelain", "--untracked-files=all", "--", ".")
    dirty = [_relative(project.path, line[3:]) for line in status.splitlines()]
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise ProjectNotReadyError(
            f"{project.path} has uncommitted changes ({shown}); commit or stash them "
            "(`git stash --include-untracked`) so the update can be reviewed and undone on its own"
        )


def working_tree_changes(path: Path) -> Changes:
    """What changed under `path`, with names relative to it (git reports them from the top of the repository)."""
    changes = Changes()
    prefix = _prefix(path)
    listed = git(path, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ".").split("\0")
    entries = iter(listed)
    for entry in entries:
        if not entry:
            continue
        state, name = entry[:2], entry[3:].removeprefix(prefix)
        if state in _CONFLICT_STATES:
            changes.conflicts.append(name)
        elif state[0] == "R":
            changes.added.append(name)
            changes.deleted.append(next(entries).removeprefix(prefix))
        elif state == "??" or "A" in state:
            changes.added.append(name)
        elif "D" in state:
            changes.deleted.append(name)
        else:
            changes.changed.append(name)
    for names in (changes.added, changes.changed, changes.deleted, changes.conflicts):
        names.sort()
    return changes


def restore(path: Path) -> None:
    """Return a project that was clean before to its last commit: index, files, and files since added.

    Only the project's directory is touched, so the rest of a monorepo keeps whatever state it was in; ignored
    files such as `.env` are left alone.
    """
    # Detached: a second Ctrl-C at the terminal must not stop these half way.
    git(path, "reset", "--quiet", "HEAD", "--", ".", detached=True)
    git(path, "checkout", "--quiet", "--", ".", detached=True)
    git(path, "clean", "-d", "--force", "--quiet", "--", ".", detached=True)


def _prefix(path: Path) -> str:
    """Where the project sits in its repository: `services/orders/` in a monorepo, empty at the top."""
    return git(path, "rev-parse", "--show-prefix").strip()


def _relative(path: Path, name: str) -> str:
    return name.strip('"').removeprefix(_prefix(path))

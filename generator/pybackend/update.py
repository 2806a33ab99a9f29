"""Bring a generated project to another template version, or to other answers, keeping the user's edits.

The merge is Copier's three-way update. pybackend decides what to update to, refuses what cannot be undone, runs the
update, keeps files the template deleted but the user changed (as git's "deleted by them" conflict), and returns the
working tree to its last commit if anything fails or the user interrupts.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateError as JinjaTemplateError
from packaging.version import Version

from pybackend.answers import resolve_answers
from pybackend.envfile import read_example
from pybackend.errors import (
    Interrupted,
    InvalidAnswersError,
    ProjectRemovedError,
    PybackendError,
    RollbackError,
    TemplateError,
    TemplateSourceError,
    UsageError,
    VersionError,
)
from pybackend.generate import lock_dependencies, render
from pybackend.git import blob, git, has_commit, merge_file, succeeds
from pybackend.migrations import take_renames
from pybackend.project import Changes, Project, load_project, require_clean, restore, working_tree_changes
from pybackend.releases import read_release_list, release_tag, release_tags, version_of
from pybackend.signals import signals_dropped, sigterm_interrupts
from pybackend.source import CACHE_REPOSITORY, TemplateSource, newest_available, own_template, template_repository

# Answers fixed at `new`: the framework and package name lay out every file, and the models the ORM writes are the
# project's own code from then on.
FIXED_ANSWERS = ("framework", "package_name", "orm")
# Conflict labels as Copier writes them, so every conflict of one update reads the same.
_MERGE_LABELS = ("before updating", "base", "after updating")


@dataclass(frozen=True)
class Plan:
    """An update that passed every check: `project` goes to `target` with `answers` changed."""

    project: Project
    target: TemplateSource
    answers: Mapping[str, Any] = field(default_factory=dict)
    # The target renders the very files the project's version did.
    same_version: bool = False
    # Where the project's version is rendered from, when not from the source it records: a project made from a
    # clone of pybackend that moves onto the running pybackend's templates, which hold that clone's commit too.
    origin: TemplateSource | None = None
    # Directories whose files the change removes even where the user edited them (a resource removed on request,
    # its table dropped): they stay in the last commit.
    discard: tuple[str, ...] = ()

    @property
    def is_noop(self) -> bool:
        return self.same_version and not self.answers

    @property
    def base(self) -> TemplateSource:
        """The project's template version, as the update merges from it."""
        return self.origin or TemplateSource(path=self.project.src_path, ref=self.project.commit)


@dataclass(frozen=True)
class Status:
    current: str
    latest: str
    update_available: bool
    # The command that brings the project to `latest`.
    command: str = "pybackend update"


@dataclass
class Outcome:
    changes: Changes
    warnings: list[str] = field(default_factory=list)
    # Questions the new version asks that the project never answered: Copier took their defaults.
    new_answers: dict[str, Any] = field(default_factory=dict)
    # The `.env.example` the change leaves (in a dry run's clone, what the project's would be), None without one.
    env_example: str | None = None


def plan_update(path: Path, to: str | None = None) -> Plan:
    """Refuse early, before anything changes: not a project, not committed, unknown version or a downgrade."""
    project = load_project(path)
    if to is not None and not to.strip():
        raise UsageError("--to needs a version, such as 1.2.0, or a revision of the template repository")
    require_clean(project)
    moved = _plan_move(project, to) if to else None
    if moved is not None:
        return moved
    repository = _repository(project)
    if version_of(project.commit) is None:
        return _plan_commit_update(project, repository, to)
    current = _version(project.commit)
    target = release_tag(to) if to else newest_available(project.src_path, repository)
    if target not in release_tags(repository):
        known = ", ".join(release_tags(repository)) or "none"
        raise VersionError(f"there is no template version {target} (known: {known}); install a newer pybackend")
    if _version(target) < current:
        raise VersionError(
            f"{project.name} is on {project.commit}, newer than {target}; pybackend does not downgrade projects"
        )
    source = TemplateSource(path=project.src_path, ref=target)
    return Plan(project=project, target=source, same_version=_same_files(repository, project.commit, target))


def plan_change(path: Path, changes: Mapping[str, Any]) -> Plan:
    """Change answers at the project's own template version, validated by that version's questions."""
    project = load_project(path)
    fixed = [name for name in FIXED_ANSWERS if name in changes and str(changes[name]) != str(project.answers.get(name))]
    if fixed:
        raise InvalidAnswersError(
            f"{name} cannot be changed on an existing project; generate a new project instead" for name in fixed
        )
    require_clean(project)
    repository = _repository(project)
    _require_recorded_version(project, repository)
    source = TemplateSource(path=project.src_path, ref=project.commit)
    answers = resolve_answers(source.questions(), {**project.answers, **changes}, use_defaults=True)
    changed = {name: value for name, value in answers.items() if project.answers.get(name) != value}
    return Plan(project=project, target=source, answers=changed, same_version=True)


def status(path: Path) -> Status:
    project = load_project(path)
    own, base = own_template(), _own_history(project)
    if own is not None and base is not None:
        newest = _resolve(own.repository, own.ref)
        if not _same_files(own.repository, base, newest) and _is_ancestor(own.repository, base, newest):
            return Status(project.commit, own.ref, update_available=True, command=_move_command(own))
    repository = _repository(project)
    _require_recorded_version(project, repository)
    if version_of(project.commit) is None:
        latest = _describe(repository, "HEAD")
        behind = not _same_files(repository, project.commit, "HEAD") and not _is_ancestor(
            repository, "HEAD", project.commit
        )
        return Status(current=project.commit, latest=latest, update_available=behind)
    latest = newest_available(project.src_path, repository)
    newer = _version(project.commit) < _version(latest) and not _same_files(repository, project.commit, latest)
    return Status(current=project.commit, latest=latest, update_available=newer)


def _plan_commit_update(project: Project, repository: Path, to: str | None) -> Plan:
    """A project made from a checkout that recorded a commit rather than a version: it moves along that
    repository's history, to its HEAD or to the release or revision `to` names."""
    _require_recorded_version(project, repository)
    target = _resolve(repository, _revision(repository, to) if to else "HEAD")
    if not target:
        raise VersionError(f"{repository} has no commit or release '{to}'")
    current = _resolve(repository, project.commit)
    described = _describe(repository, target)
    if target != current and _is_ancestor(repository, target, project.commit):
        raise VersionError(
            f"{project.name} is on {project.commit}, which comes after {described}; pybackend does not downgrade "
            "projects"
        )
    source = TemplateSource(path=project.src_path, ref=described)
    return Plan(project=project, target=source, same_version=_same_files(repository, current, target))


def _repository(project: Project) -> Path:
    """The template repository the project records; one gone from this machine leaves nothing to merge from."""
    try:
        return template_repository(project.src_path)
    except TemplateSourceError as gone:
        if project.src_path == CACHE_REPOSITORY:
            raise
        own = own_template()
        if own is not None and _own_history(project) is not None:
            hint = f"this pybackend carries that template's history: `{_move_command(own)}` moves the project onto it"
        else:
            hint = "put the repository back at that path (clone it again), then retry"
        raise VersionError(
            f"{project.name} was generated from the template repository {project.src_path}, which is not on this "
            f"machine any more (removed or moved), so there is nothing to merge from; {hint}"
        ) from gone


def _own_history(project: Project) -> str | None:
    """The project's template commit in the running pybackend's templates, when the project was made from a clone
    of pybackend (any commit of its history): the running pybackend can then take the project further."""
    own = own_template()
    if own is None or project.src_path == CACHE_REPOSITORY:
        return None
    clone = Path(project.src_path).expanduser()
    commit = _resolve(clone, project.commit) if clone.is_dir() else project.commit
    if not re.fullmatch(r"[0-9a-f]{7,40}", commit):
        return None
    return _resolve(own.repository, commit) or None


def _plan_move(project: Project, to: str) -> Plan | None:
    """`--to` a version of the running pybackend (its own, or a release it lists) for a project made from a clone:
    the project moves onto pybackend's template cache, as if it had been made there. None when `to` is not such
    a version, or the clone the project records has that revision itself."""
    own, base = own_template(), _own_history(project)
    if own is None or base is None or version_of(tag := f"v{to.removeprefix('v')}") is None:
        return None
    clone = Path(project.src_path).expanduser()
    if clone.is_dir() and _resolve(clone, _revision(clone, to)):
        return None
    if tag not in release_tags(own.repository):
        return None
    target = _resolve(own.repository, tag)
    if not _same_files(own.repository, base, target) and _is_ancestor(own.repository, target, base):
        raise VersionError(
            f"{project.name} is on {project.commit}, which comes after {tag}; pybackend does not downgrade projects"
        )
    return Plan(
        project=project,
        target=TemplateSource(path=own.path, ref=tag),
        same_version=_same_files(own.repository, base, target),
        origin=TemplateSource(path=own.path, ref=base),
    )


def _move_command(own: TemplateSource) -> str:
    return f"pybackend update --to {own.ref.removeprefix('v')}"


def _same_files(repository: Path, one: str, other: str) -> bool:
    return succeeds(repository, "diff", "--quiet", one, other, "--")


def _require_recorded_version(project: Project, repository: Path) -> None:
    """The template version the project records must exist: the update merges from it."""
    if has_commit(repository, project.commit):
        return
    if version_of(project.commit) is not None:
        hint = "install the pybackend release that generated it once (any command fills the cache), then retry"
    else:
        hint = (
            "fetch that commit back into the repository, or, if the project still matches a release, record it: "
            f"set `_commit` in {project.path / '.copier-answers.yml'} to that release (such as v0.1.0), commit, "
            "and retry"
        )
    raise VersionError(
        f"{project.name} records template version {project.commit} of {project.src_path}, which that repository "
        f"does not have (it was removed, rewritten or never copied to this machine), so there is nothing to "
        f"merge from; {hint}"
    )


def _revision(repository: Path, requested: str) -> str:
    """A release named like `1.2.0` (a tag, or an entry of the repository's release list), or any git revision."""
    tag = f"v{requested.removeprefix('v')}"
    if version_of(tag) is not None:
        if has_commit(repository, f"refs/tags/{tag}"):
            return f"refs/tags/{tag}"
        listed = {release.tag: release.commit for release in read_release_list(repository)}
        if tag in listed:
            return listed[tag]
    return requested


def _resolve(repository: Path, revision: str) -> str:
    found = git(
        repository, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}", check=False
    )
    return found.strip()


def _describe(repository: Path, revision: str) -> str:
    return git(repository, "describe", "--tags", "--always", _resolve(repository, revision)).strip()


def _is_ancestor(repository: Path, ancestor: str, descendant: str) -> bool:
    return succeeds(repository, "merge-base", "--is-ancestor", ancestor, descendant)


def apply(plan: Plan, *, dry_run: bool = False, lock: bool = True) -> Outcome:
    """Run the update; with `dry_run`, on a throwaway clone, so the project itself is never touched."""
    with _scratch():
        if not dry_run:
            return _apply(plan, plan.project.path, lock=lock)
        top = Path(git(plan.project.path, "rev-parse", "--show-toplevel").strip())
        with tempfile.TemporaryDirectory(prefix="pybackend-dry-run-") as scratch:
            clone = Path(scratch) / top.name
            git(Path(scratch), "clone", "--quiet", "--no-hardlinks", str(top), str(clone))
            return _apply(plan, clone / plan.project.path.relative_to(top), lock=False)


def _apply(plan: Plan, destination: Path, *, lock: bool) -> Outcome:
    started = (destination.stat(), time.time_ns())
    try:
        with sigterm_interrupts():
            take_renames(destination)  # left by an update that was killed outright
            _run_copier_update(plan, destination)
            _require_same_directory(destination, started)
            _settle_removed_files(plan, destination)
            _remove_discarded(plan, destination)
            outcome = Outcome(changes=working_tree_changes(destination), env_example=read_example(destination))
            answered = plan.project.answers.keys() | plan.answers.keys()
            recorded = load_project(destination).answers
            outcome.new_answers = {name: value for name, value in recorded.items() if name not in answered}
            touched = outcome.changes.changed + outcome.changes.added
            if lock and "pyproject.toml" in touched and (destination / "uv.lock").is_file():
                outcome.warnings.extend(lock_dependencies(destination))
                outcome.changes = working_tree_changes(destination)
            return outcome
    except BaseException as cause:
        with signals_dropped():
            _require_same_directory(destination, started)
            try:
                restore(destination)
            except PybackendError as failed:
                raise RollbackError(
                    f"the update stopped ({_reason(cause)}), and returning the project to its last commit failed: "
                    f"{failed.message}. Once that is fixed, run `git reset --quiet HEAD -- . && git checkout -- . "
                    f"&& git clean -d --force -- .` in {destination}"
                ) from cause
            take_renames(destination)
        raise


@contextmanager
def _scratch() -> Iterator[None]:
    """Temporary directories (Copier's, and pybackend's own) go into one of this run's, removed at the end: a second
    Ctrl-C can cut Copier's own clean-up short, and would leave its template clones behind."""
    scratch = tempfile.mkdtemp(prefix="pybackend-update-")
    previous, tempfile.tempdir = tempfile.tempdir, scratch
    try:
        yield
    finally:
        with signals_dropped():
            tempfile.tempdir = previous
            shutil.rmtree(scratch, ignore_errors=True)


def _require_same_directory(destination: Path, started: tuple[os.stat_result, int]) -> None:
    """The project's directory must be the one the update started in: if it was removed meanwhile, what Copier
    wrote in its place (a directory of template files without the project's history) is removed too."""
    directory, since = started
    try:
        now = destination.stat()
    except FileNotFoundError:
        now = None
    if now is not None and (now.st_dev, now.st_ino) == (directory.st_dev, directory.st_ino):
        return
    # A file system's clock may lag the system's by a tick: a second of slack.
    if now is not None and _written_since(destination, since - 1_000_000_000):
        shutil.rmtree(destination, ignore_errors=True)
    raise ProjectRemovedError(
        f"the project directory {destination} was removed while it was being updated; nothing was recreated "
        "(restore it from a backup or a clone of its repository)"
    )


def _written_since(directory: Path, since_ns: int) -> bool:
    """Whether every file under `directory` was written after `since_ns`: then this run wrote them all."""
    return all(path.lstat().st_mtime_ns >= since_ns for path in directory.rglob("*"))


def _reason(cause: BaseException) -> str:
    if isinstance(cause, PybackendError):
        return cause.message
    return "interrupted" if isinstance(cause, (KeyboardInterrupt, Interrupted)) else repr(cause)


def _run_copier_update(plan: Plan, destination: Path) -> None:
    from copier.errors import CopierError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from copier import Worker

            with Worker(
                dst_path=destination,
                data=dict(plan.answers),
                src_path=plan.target.path if plan.origin else None,
                vcs_ref=plan.target.ref,
                defaults=True,
                overwrite=True,
                quiet=True,
                skip_tasks=True,
                skip_answered=True,
                unsafe=True,
                conflict="inline",
            ) as worker:
                if plan.origin is not None:
                    # Copier merges from the source and commit the answers file records; a project moving onto
                    # another source merges from its commit there, and the answers file then records the new one.
                    recorded = worker.subproject.last_answers
                    moved = {**recorded, "_src_path": plan.origin.path, "_commit": plan.origin.ref}
                    worker.subproject.__dict__.update(last_answers=moved)
                    worker.subproject.__dict__.pop("template", None)
                worker.run_update()
    except (CopierError, JinjaTemplateError, ValueError, OSError) as error:
        raise TemplateError(f"the update failed, and the project was left as it was: {error}") from error


def _remove_discarded(plan: Plan, destination: Path) -> None:
    """What is left of the discarded directories once the template's files went: the user's own files there (a
    Django app's migrations, a module they added) and what git ignores (`__pycache__`). All of it is in the last
    commit but the ignored files, which the code that made them makes again."""
    for directory in plan.discard:
        shutil.rmtree(destination / directory, ignore_errors=True)


def _settle_removed_files(plan: Plan, destination: Path) -> None:
    """Copier removes every file the new version no longer has; decide what each removal means for the user.

    A file a release renamed takes the user's edits to its new path, merged three ways with the template's own
    changes. A file the template deleted is gone only if the user never changed it; else it is put back in git's
    "deleted by them" state, since a user reading "deleted" would not look for their edits in the last commit.
    Both need the old version's rendering of the file, which is what the user started from.
    """
    renames = take_renames(destination)
    deleted = [name for name in git(destination, "ls-files", "--deleted", "-z").split("\0") if name]
    if not deleted:
        return
    with tempfile.TemporaryDirectory(prefix="pybackend-base-") as scratch:
        base = Path(scratch) / "base"
        render(plan.project.answers, base, plan.base)
        entries: list[str] = []
        for name in deleted:
            if name in renames:
                entries.extend(_carry_renamed(destination, base, name, renames[name]))
            elif not any(name.startswith(directory) for directory in plan.discard):
                entries.extend(_keep_if_edited(destination, base, name))
        if entries:
            # Index entries name paths from the top of the repository, which is above a project in a monorepo.
            prefix = git(destination, "rev-parse", "--show-prefix").strip()
            lines = [entry.replace("\t", f"\t{prefix}", 1) for entry in entries]
            git(destination, "update-index", "--index-info", stdin="\n".join(lines) + "\n")


def _carry_renamed(destination: Path, base: Path, old: str, new: str) -> list[str]:
    """Write the user's `old` to `new` with the template's changes merged in; index entries if that conflicts."""
    ours = blob(destination, f"HEAD:./{old}")
    before, after = base / old, destination / new
    if ours is None or ours == _read(before):
        return []
    if not (before.is_file() and after.is_file()):
        after.parent.mkdir(parents=True, exist_ok=True)
        after.write_bytes(ours)
        return []
    stages = [_hash(destination, before), git(destination, "rev-parse", f"HEAD:./{old}").strip()]
    stages.append(_hash(destination, after))
    with tempfile.TemporaryDirectory(prefix="pybackend-merge-") as scratch:
        merged = Path(scratch) / "merged"
        merged.write_bytes(ours)
        clean = merge_file(merged, before, after, _MERGE_LABELS)
        after.write_bytes(merged.read_bytes())
    if clean:
        return []
    mode = git(destination, "ls-files", "--stage", "--", old).split()[0]
    return [f"{mode} {sha} {stage}\t{new}" for stage, sha in enumerate(stages, start=1)]


def _keep_if_edited(destination: Path, base: Path, name: str) -> list[str]:
    """Put back a deleted file the user had changed; index entries: stage 1 the old template's, 2 the user's.

    Stage 3 stays empty: that is how git records "deleted by them".
    """
    ours = git(destination, "rev-parse", f"HEAD:./{name}").strip()
    original = _hash(destination, base / name) if (base / name).is_file() else ""
    if ours == original:
        return []
    mode = git(destination, "ls-files", "--stage", "--", name).split()[0]
    git(destination, "checkout", "HEAD", "--", name)
    entries = [f"0 {'0' * 40}\t{name}"]
    if original:
        entries.append(f"{mode} {original} 1\t{name}")
    entries.append(f"{mode} {ours} 2\t{name}")
    return entries


def _hash(repository: Path, path: Path) -> str:
    return git(repository, "hash-object", "-w", "--", str(path)).strip()


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _version(tag: str) -> Version:
    version = version_of(tag)
    if version is None:
        raise VersionError(f"'{tag}' is not a template version (vX.Y.Z)")
    return version

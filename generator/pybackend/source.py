"""Where the templates come from: pybackend's template cache, filled from the installed wheel's bundle or from this
source checkout, or a template repository named by PYBACKEND_TEMPLATE.

A generated project records the source path and version tag; `update` needs the old version as well, on machines
that never had the old release installed. So pybackend puts every version it renders into one cache repository
whose path is the same string on every machine, as a `v<version>` tag, and renders from there: a wheel fetches the
tags of its bundle; a checkout adds its listed releases and itself as it stands (tracked files and their
uncommitted edits, never untracked files), tagged with its development version.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pybackend.errors import TemplateSourceError
from pybackend.git import git, has_commit
from pybackend.questions import Question, load_questions, parse_questions
from pybackend.releases import Build, current_build, newest_release, read_release_list

CACHE_REPOSITORY = "~/.cache/pybackend/templates"
BUNDLE_NAME = "templates.bundle"
TEMPLATE_ENV = "PYBACKEND_TEMPLATE"
_PACKAGE_DIR = Path(__file__).resolve().parent
_INSTALLED_TEMPLATE = _PACKAGE_DIR / "_template"


@dataclass(frozen=True)
class TemplateSource:
    """A Copier source: `path` as Copier records it in `_src_path`, and the git ref to render."""

    path: str
    ref: str

    @property
    def repository(self) -> Path:
        return Path(self.path).expanduser()

    def questions(self) -> list[Question]:
        """copier.yml as it is at `ref`: answers are validated by the questions of the version they render."""
        return parse_questions(
            git(self.repository, "show", f"{self.ref}:copier.yml", error=TemplateSourceError),
            f"copier.yml at {self.ref}",
        )


def checkout_root() -> Path | None:
    """The repository root when pybackend runs from a source checkout (editable install, tests), else None."""
    root = _PACKAGE_DIR.parents[1]
    if (root / "copier.yml").is_file() and (root / "templates").is_dir() and (root / ".git").exists():
        return root
    return None


def questions_file() -> Path:
    """copier.yml of the running pybackend, without touching any cache (`options`, `--help`)."""
    root = checkout_root()
    return root / "copier.yml" if root else _INSTALLED_TEMPLATE / "copier.yml"


def current_questions() -> list[Question]:
    """The questions `new` asks: those of PYBACKEND_TEMPLATE's newest release when set, else pybackend's own."""
    if os.environ.get(TEMPLATE_ENV):
        return template_source().questions()
    return load_questions(questions_file())


@cache
def template_source() -> TemplateSource:
    """What `new` renders: PYBACKEND_TEMPLATE's newest release, or the running pybackend's own version."""
    override = os.environ.get(TEMPLATE_ENV)
    if override:
        repository = Path(override).expanduser().resolve()
        return TemplateSource(path=str(repository), ref=newest_release(template_repository(str(repository))))
    template_repository(CACHE_REPOSITORY)
    return TemplateSource(path=CACHE_REPOSITORY, ref=own_version_tag())


def own_template() -> TemplateSource | None:
    """The running pybackend's own templates, which `update --to` its version can move any pybackend project onto;
    None when PYBACKEND_TEMPLATE names another template."""
    return None if os.environ.get(TEMPLATE_ENV) else template_source()


def own_version_tag() -> str:
    """The tag of the running pybackend's templates: its checkout as it stands, or the installed version."""
    root = checkout_root()
    return _checkout_build(root).tag if root else f"v{_installed_version()}"


def template_repository(src_path: str) -> Path:
    """The git repository behind a recorded `_src_path`, with the cache filled with this pybackend's versions."""
    if src_path == CACHE_REPOSITORY:
        repository = Path(CACHE_REPOSITORY).expanduser()
        root = checkout_root()
        if root is None:
            ensure_cache(_INSTALLED_TEMPLATE / BUNDLE_NAME, repository)
        else:
            cache_checkout(root, repository)
        return repository
    repository = Path(src_path).expanduser()
    if not (repository / ".git").exists() and not (repository / "HEAD").is_file():
        raise TemplateSourceError(
            f"the template repository this project was generated from, {src_path}, is not a git repository "
            "on this machine"
        )
    return repository


def newest_available(src_path: str, repository: Path) -> str:
    """The version `update` moves to by default: the running pybackend's own for the cache, else the newest tag."""
    if src_path == CACHE_REPOSITORY:
        return own_version_tag()
    return newest_release(repository)


def ensure_cache(releases: Path, repository: Path) -> None:
    """Fetch every version tag of `releases` (a bundle or a repository) into `repository`; it only gains tags."""
    if not releases.exists():
        raise TemplateSourceError(
            f"this installation of pybackend has no template bundle ({releases} is missing); reinstall pybackend"
        )
    if _missing_tags(repository, _version_tags_of(releases), str(releases)):
        _fetch_into_cache(repository, releases, ["refs/tags/v*:refs/tags/v*"])


@cache
def _checkout_build(root: Path) -> Build:
    return current_build(root, read_release_list(root))


def cache_checkout(root: Path, repository: Path) -> None:
    """Tag the checkout's listed releases and its current state in the cache, fetching only what is missing."""
    build = _checkout_build(root)
    wanted = {release.tag: release.commit for release in read_release_list(root) if has_commit(root, release.commit)}
    wanted[build.tag] = build.commit
    missing = _missing_tags(repository, wanted, f"the checkout {root}")
    if missing:
        _fetch_into_cache(repository, root, [f"{wanted[tag]}:refs/tags/{tag}" for tag in missing])


def _tagged(repository: Path, tag: str) -> str | None:
    if not (repository / ".git").is_dir():
        return None
    found = git(repository, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}", check=False).strip()
    return found or None


def _version_tags_of(source: Path) -> dict[str, str]:
    """The `v*` tags of a bundle or repository, each with the commit it names."""
    listed = git(source.parent, "ls-remote", str(source), "refs/tags/v*", error=TemplateSourceError)
    tags: dict[str, str] = {}
    for line in listed.splitlines():
        commit, _, ref = line.partition("\t")
        tag = ref.removeprefix("refs/tags/")
        if tag.endswith("^{}"):  # an annotated tag, peeled to its commit
            tags[tag.removesuffix("^{}")] = commit
        else:
            tags.setdefault(tag, commit)
    return tags


def _missing_tags(repository: Path, wanted: dict[str, str], source: str) -> list[str]:
    """The tags of `wanted` (tag: commit) that the cache lacks. A version there always names the same commit, as
    projects made from it update from those files: one it has at another commit is refused."""
    cached = {tag: _tagged(repository, tag) for tag in wanted}
    moved = {tag: commit for tag, commit in cached.items() if commit not in (None, wanted[tag])}
    if moved:
        listed = "; ".join(
            f"{tag} is commit {cached[:12]} there, {wanted[tag][:12]} in {source}" for tag, cached in moved.items()
        )
        raise TemplateSourceError(
            f"the template cache {repository} has a version cut from another commit: {listed} (a release recorded "
            "twice, or another clone's). A cached version is never moved, since projects made from it update from "
            f"its files; if no project was made from it, remove it with `git -C {repository} tag -d "
            f"{' '.join(moved)}` and run the command again"
        )
    return [tag for tag, commit in cached.items() if commit is None]


def _fetch_into_cache(repository: Path, source: Path, refspecs: list[str]) -> None:
    """Fetch `refspecs` from `source`; tags are never moved, so a version always renders the same files."""
    with _locked(repository):
        if not (repository / ".git").is_dir():
            git(repository, "init", "--quiet", error=TemplateSourceError)
        git(
            repository,
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-write-fetch-head",
            str(source),
            *refspecs,
            error=TemplateSourceError,
        )


@contextmanager
def _locked(repository: Path) -> Iterator[None]:
    """One writer at a time: parallel runs (a test suite, two terminals) fill the same cache."""
    repository.mkdir(parents=True, exist_ok=True)
    with (repository.parent / f".{repository.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _installed_version() -> str:
    from importlib import metadata

    return metadata.version("pybackend")

"""Where the templates come from: this source checkout, the release tags bundled into the installed wheel, or a
template repository named by PYBACKEND_TEMPLATE.

A generated project records the source path and version tag; `update` needs the old tag as well, on machines that
never had the old release installed. So an installed pybackend fetches the tags from its bundle into one cache
repository whose path is the same string on every machine, and renders from there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pybackend.errors import TemplateSourceError
from pybackend.git import git
from pybackend.questions import Question, load_questions, parse_questions
from pybackend.releases import newest_release

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
    def is_checkout(self) -> bool:
        return self.ref == "HEAD"

    @property
    def repository(self) -> Path:
        return Path(self.path).expanduser()

    def questions(self) -> list[Question]:
        """copier.yml as it is at `ref`: answers are validated by the questions of the version they render."""
        if self.is_checkout:
            return load_questions(self.repository / "copier.yml")
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
    """What `new` renders: PYBACKEND_TEMPLATE's newest release, this checkout as it is, or the wheel's own tag."""
    override = os.environ.get(TEMPLATE_ENV)
    if override:
        repository = Path(override).expanduser().resolve()
        return TemplateSource(path=str(repository), ref=newest_release(template_repository(str(repository))))
    root = checkout_root()
    if root is not None:
        return TemplateSource(path=str(root), ref="HEAD")
    template_repository(CACHE_REPOSITORY)
    return TemplateSource(path=CACHE_REPOSITORY, ref=f"v{_installed_version()}")


def template_repository(src_path: str) -> Path:
    """The git repository behind a recorded `_src_path`, with the cache filled from this pybackend's releases."""
    if src_path == CACHE_REPOSITORY:
        repository = Path(CACHE_REPOSITORY).expanduser()
        root = checkout_root()
        ensure_cache(root if root else _INSTALLED_TEMPLATE / BUNDLE_NAME, repository)
        return repository
    repository = Path(src_path).expanduser()
    if not (repository / ".git").exists() and not (repository / "HEAD").is_file():
        raise TemplateSourceError(
            f"the template repository this project was generated from, {src_path}, is not a git repository "
            "on this machine"
        )
    return repository


def newest_available(src_path: str, repository: Path) -> str:
    """The version `update` moves to by default: the installed release for the cache, else the newest tag."""
    if src_path == CACHE_REPOSITORY and checkout_root() is None:
        return f"v{_installed_version()}"
    return newest_release(repository)


def ensure_cache(releases: Path, repository: Path) -> None:
    """Fetch every release tag of `releases` (a bundle or a repository) into `repository`; it only gains tags."""
    if not releases.exists():
        raise TemplateSourceError(
            f"this installation of pybackend has no template bundle ({releases} is missing); reinstall pybackend"
        )
    if not (repository / ".git").is_dir():
        repository.mkdir(parents=True, exist_ok=True)
        git(repository, "init", "--quiet", error=TemplateSourceError)
    git(
        repository,
        "fetch",
        "--quiet",
        "--no-write-fetch-head",
        str(releases),
        "refs/tags/v*:refs/tags/v*",
        error=TemplateSourceError,
    )


def _installed_version() -> str:
    from importlib import metadata

    return metadata.version("pybackend")

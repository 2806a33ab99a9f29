"""Where the templates come from: this source checkout, or the release tags bundled into the installed wheel.

A generated project records the source path and version tag; `update` needs the old tag as well, on machines that
never had the old release installed. So an installed pybackend fetches the tags from its bundle into one cache
repository whose path is the same string on every machine, and renders from there.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pybackend.errors import TemplateSourceError

CACHE_REPOSITORY = "~/.cache/pybackend/templates"
BUNDLE_NAME = "templates.bundle"
_PACKAGE_DIR = Path(__file__).resolve().parent
_INSTALLED_TEMPLATE = _PACKAGE_DIR / "_template"


@dataclass(frozen=True)
class TemplateSource:
    """A Copier source: `path` as Copier records it in `_src_path`, and the git ref to render."""

    path: str
    ref: str
    questions_file: Path

    @property
    def is_checkout(self) -> bool:
        return self.ref == "HEAD"


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


@cache
def template_source() -> TemplateSource:
    """The checkout renders itself, uncommitted changes included; a wheel renders its own release tag."""
    root = checkout_root()
    if root is not None:
        return TemplateSource(path=str(root), ref="HEAD", questions_file=root / "copier.yml")
    from importlib import metadata

    version = metadata.version("pybackend")
    ensure_cache(_INSTALLED_TEMPLATE / BUNDLE_NAME, Path(CACHE_REPOSITORY).expanduser())
    return TemplateSource(path=CACHE_REPOSITORY, ref=f"v{version}", questions_file=questions_file())


def ensure_cache(bundle: Path, repository: Path) -> None:
    """Fetch every release tag of `bundle` into `repository`; the cache only ever gains tags."""
    if not bundle.is_file():
        raise TemplateSourceError(
            f"this installation of pybackend has no template bundle ({bundle} is missing); reinstall pybackend"
        )
    if not (repository / ".git").is_dir():
        repository.mkdir(parents=True, exist_ok=True)
        _git(repository, "init", "--quiet")
    _git(repository, "fetch", "--quiet", "--no-write-fetch-head", str(bundle), "refs/tags/*:refs/tags/*")


def _git(cwd: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise TemplateSourceError("git is required but was not found on PATH") from error
    except subprocess.CalledProcessError as error:
        raise TemplateSourceError(f"git {' '.join(args)} failed in {cwd}: {error.stderr.strip()}") from error
    return result.stdout

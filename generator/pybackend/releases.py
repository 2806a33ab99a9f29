"""Release tags: a template repository's `vX.Y.Z` tags are its versions, ordered as PEP 440 orders them."""

from __future__ import annotations

from pathlib import Path

from packaging.version import InvalidVersion, Version

from pybackend.errors import TemplateSourceError, VersionError
from pybackend.git import git


def version_of(tag: str) -> Version | None:
    """The version a release tag names, or None for anything else (a branch, a commit, `v1.0-3-gabc1234`)."""
    if not tag.startswith("v"):
        return None
    try:
        return Version(tag[1:])
    except InvalidVersion:
        return None


def release_tag(requested: str) -> str:
    """`1.2.0` and `v1.2.0` both name the tag `v1.2.0`."""
    tag = requested if requested.startswith("v") else f"v{requested}"
    if version_of(tag) is None:
        raise VersionError(f"'{requested}' is not a release version (expected something like 1.2.0)")
    return tag


def release_tags(repository: Path) -> list[str]:
    """The repository's release tags, oldest first."""
    listed = _git(repository, "tag", "--list", "v*").split()
    releases = [(version, tag) for tag in listed if (version := version_of(tag)) is not None]
    return [tag for _, tag in sorted(releases)]


def newest_release(repository: Path) -> str:
    tags = release_tags(repository)
    if not tags:
        raise TemplateSourceError(f"the template repository {repository} has no release tags (vX.Y.Z)")
    return tags[-1]


def _git(cwd: Path, *args: str) -> str:
    return git(cwd, *args, error=TemplateSourceError)

"""Releases and versions: a template repository's `vX.Y.Z` tags, pybackend's own release list, and the
development version of anything in between.

pybackend's releases are recorded in the tracked file `releases.toml` (a version and the commit it was cut from),
so every clone or fork knows them, tagged or not. A build or checkout whose tracked files are those of a release
is that release; anything else is a development version that sorts after the newest release and names its commit:
`0.1.1.dev4+g1a2b3c4` (four commits after 0.1.0), with `.d<time>.<commit>` added for uncommitted edits, so that
later edits sort later.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from pybackend.errors import TemplateSourceError, VersionError
from pybackend.git import git, has_commit, snapshot, succeeds

RELEASES_FILE = "releases.toml"


@dataclass(frozen=True)
class Release:
    version: Version
    commit: str

    @property
    def tag(self) -> str:
        return f"v{self.version}"


@dataclass(frozen=True)
class Build:
    """What a checkout is as it stands: its version, and the commit holding exactly its tracked files."""

    version: Version
    commit: str

    @property
    def tag(self) -> str:
        return f"v{self.version}"


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
    """The repository's version tags (releases and development builds), oldest first."""
    listed = _git(repository, "tag", "--list", "v*").split()
    releases = [(version, tag) for tag in listed if (version := version_of(tag)) is not None]
    return [tag for _, tag in sorted(releases)]


def newest_release(repository: Path) -> str:
    """The newest tag that is a release proper: development builds are never offered as an update by default."""
    tags = [tag for tag in release_tags(repository) if _is_release(tag)]
    if not tags:
        raise TemplateSourceError(f"the template repository {repository} has no release tags (vX.Y.Z)")
    return tags[-1]


def parse_release_list(text: str, origin: str) -> list[Release]:
    """The `[[release]]` entries of a release list, oldest first; a malformed list is refused, never guessed at."""
    try:
        entries = tomllib.loads(text).get("release", [])
    except tomllib.TOMLDecodeError as error:
        raise TemplateSourceError(f"{origin} is not valid TOML: {error}") from error
    releases: list[Release] = []
    for number, entry in enumerate(entries if isinstance(entries, list) else [None], start=1):
        version, commit = (entry.get("version"), entry.get("commit")) if isinstance(entry, dict) else (None, None)
        parsed = version_of(f"v{version}") if isinstance(version, str) else None
        if parsed is None or not isinstance(commit, str) or len(commit) != 40:
            raise TemplateSourceError(
                f'{origin}: release {number} needs a version such as "1.2.0" and the full 40-character commit'
            )
        releases.append(Release(parsed, commit))
    return sorted(releases, key=lambda release: release.version)


def read_release_list(root: Path) -> list[Release]:
    """The release list of the checkout at `root`, as its working tree has it (none when there is no list)."""
    path = root / RELEASES_FILE
    if not path.is_file():
        return []
    return parse_release_list(path.read_text(encoding="utf-8"), str(path))


def current_build(root: Path, releases: list[Release]) -> Build:
    """The version of the checkout at `root` with its uncommitted edits, and the commit to render it from.

    A checkout is a release when its tracked files are the release commit's, apart from the release list itself
    (the commit that records a release is that release too). Otherwise it is a development version after the
    newest release.
    """
    commit = snapshot(root)
    known = [release for release in releases if has_commit(root, release.commit)]
    for release in reversed(known):
        if release.commit == commit or _same_files(root, release.commit, commit):
            return Build(release.version, release.commit)
    head = _git(root, "rev-parse", "HEAD").strip()
    newest = known[-1] if known else None
    since = f"{newest.commit}..HEAD" if newest else "HEAD"
    distance = _git(root, "rev-list", "--count", since).strip()
    major, minor, micro = (*newest.version.release, 0, 0)[:3] if newest else (0, 0, 0)
    local = f"g{head[:7]}"
    if commit != head:
        local += f".d{_edited_at(root)}.{commit[:7]}"
    return Build(Version(f"{major}.{minor}.{micro + 1}.dev{distance}+{local}"), commit)


def _same_files(root: Path, release: str, commit: str) -> bool:
    return succeeds(root, "diff", "--quiet", release, commit, "--", ".", f":(exclude){RELEASES_FILE}")


def _edited_at(root: Path) -> int:
    """When the newest uncommitted edit to a tracked file was made: later edits give later versions."""
    names = _git(root, "diff", "HEAD", "--name-only", "-z").split("\0")
    times = [(root / name).stat().st_mtime for name in names if name and (root / name).exists()]
    return int(max(times, default=0))


def _is_release(tag: str) -> bool:
    version = version_of(tag)
    return version is not None and not version.is_devrelease and not version.local


def _git(cwd: Path, *args: str) -> str:
    return git(cwd, *args, error=TemplateSourceError)

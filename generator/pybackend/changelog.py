"""What a user does by hand after an update: the "After updating" parts of the template's CHANGELOG.md.

CHANGELOG.md has a `## <version>` section per release, newest first (`## Unreleased` above them between releases).
A section may hold `### After updating ...` parts: the steps no merge can take (a variable to set, edits to carry
to a moved file). An update prints those of every section it crosses, as the version it moves to has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from pybackend.git import blob
from pybackend.releases import version_of

_SECTION = re.compile(r"^## (?P<title>.+)$", re.MULTILINE)
_PART = re.compile(r"^### (?P<title>.+)$", re.MULTILINE)
_BY_HAND = "After updating"


@dataclass(frozen=True)
class Steps:
    """One "After updating" part: its heading and its text (Markdown, as written)."""

    heading: str
    text: str


def by_hand_between(repository: Path, since: str, to: str) -> list[Steps]:
    """The steps after an update from the project's `since` (its recorded `_commit`, such as `v0.1.0`) to the ref
    `to` of the template `repository`, from CHANGELOG.md as `to` has it (none if it has none)."""
    text = blob(repository, f"{to}:CHANGELOG.md")
    if text is None:
        return []
    return by_hand(text.decode("utf-8", errors="replace"), version_of(since))


def by_hand(changelog: str, since: Version | None) -> list[Steps]:
    """The "After updating" parts of every section newer than the release `since`, newest first; none when the
    project's version is not known (a commit of no release), since every section might then be old news."""
    if since is None:
        return []
    found: list[Steps] = []
    for title, body in _split(changelog, _SECTION):
        version = _version(title)
        if version is not None and version <= since:
            break
        found.extend(
            Steps(f"{part} ({title})", text) for part, text in _split(body, _PART) if part.startswith(_BY_HAND)
        )
    return found


def _split(text: str, heading: re.Pattern[str]) -> list[tuple[str, str]]:
    """Each heading's title, and the text up to the next heading of the same level."""
    matches = list(heading.finditer(text))
    ends = [match.start() for match in matches[1:]] + [len(text)]
    return [(match["title"].strip(), text[match.end() : end].strip()) for match, end in zip(matches, ends, strict=True)]


def _version(title: str) -> Version | None:
    """`0.2.0` or `0.2.0 (2026-12-07)` names a release; `Unreleased`, or anything else, none."""
    try:
        return Version(title.split(maxsplit=1)[0])
    except (InvalidVersion, IndexError):
        return None

"""The steps by hand `update` prints: the "After updating" parts of every CHANGELOG.md section it crosses."""

from __future__ import annotations

from packaging.version import Version
from pybackend.changelog import by_hand

CHANGELOG = """# Changelog

What each release changed.

## Unreleased

### New in generated projects

- Something new.

### After updating a project made with 0.2.0

- Set `NEW_VARIABLE`.

## 0.2.0

### After updating a project made with 0.1.0

- Carry your edits of `security.py` over to `passwords.py`.

### Fixed

- A bug.

## 0.1.0

### After updating

- Never shown: no project is older than the first release.
"""


def test_every_section_newer_than_the_project_gives_its_steps_newest_first() -> None:
    steps = by_hand(CHANGELOG, Version("0.1.0"))

    assert [step.heading for step in steps] == [
        "After updating a project made with 0.2.0 (Unreleased)",
        "After updating a project made with 0.1.0 (0.2.0)",
    ]
    assert steps[1].text == "- Carry your edits of `security.py` over to `passwords.py`."


def test_a_project_on_the_newest_release_gets_only_what_came_after_it() -> None:
    assert [step.text for step in by_hand(CHANGELOG, Version("0.2.0"))] == ["- Set `NEW_VARIABLE`."]


def test_a_project_of_no_known_release_gets_none() -> None:
    assert by_hand(CHANGELOG, None) == []


def test_a_changelog_without_steps_gives_none() -> None:
    assert by_hand("# Changelog\n\n## 1.0.0\n\n### Fixed\n\n- A bug.\n", Version("0.9.0")) == []

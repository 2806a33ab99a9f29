"""The summary that `pybackend update`, `add` and `set` print: each section's count, then one path per line."""

from __future__ import annotations

import re

SECTIONS = ("added", "changed", "deleted", "conflicts")
_HEADER = re.compile(rf"^  ({'|'.join(SECTIONS)})\s+(\d+)$")


def parse_summary(output: str, context: str = "") -> dict[str, list[str]]:
    """{"added": [...], "changed": [...], ...}; every section must be there and list as many paths as it counts."""
    sections: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    current: list[str] | None = None
    for line in output.splitlines():
        if header := _HEADER.match(line):
            current = sections[header[1]] = []
            counts[header[1]] = int(header[2])
        elif current is not None and line.startswith("    "):
            current.append(line.strip())
        else:
            current = None
    shown = context or output
    assert set(sections) == set(SECTIONS), f"the summary lacks a section:\n{shown}"
    assert {name: len(paths) for name, paths in sections.items()} == counts, f"counts disagree with paths:\n{shown}"
    return sections

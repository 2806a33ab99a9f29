"""Pyramid's own tooling on a generated project."""

from __future__ import annotations

from pathlib import Path

from support.project import Project
from support.steps import Steps


def check(project: Project, env: dict[str, str], steps: Steps, tmp: Path) -> None:
    """Nothing yet (issue 21 fills it in)."""

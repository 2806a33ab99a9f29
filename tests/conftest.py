"""Fixtures shared by every tier."""

from __future__ import annotations

from pathlib import Path

import pytest
from pybackend.questions import Question, load_questions
from pybackend.source import checkout_root

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def questions() -> list[Question]:
    root = checkout_root()
    assert root == REPO_ROOT, "the tests run against this checkout"
    return load_questions(root / "copier.yml")

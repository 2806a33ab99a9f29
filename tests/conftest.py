"""Fixtures shared by every tier."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pybackend.questions import Question, load_questions
from pybackend.source import checkout_root

REPO_ROOT = Path(__file__).resolve().parents[1]

# The contract suite tests a live service, which the end-to-end harness starts and describes in PYBACKEND_SERVICE;
# without one there is nothing for it to test, so it is not collected rather than skipped test by test.
if "PYBACKEND_SERVICE" not in os.environ:
    collect_ignore = ["contract"]


@pytest.fixture(scope="session")
def questions() -> list[Question]:
    root = checkout_root()
    assert root == REPO_ROOT, "the tests run against this checkout"
    return load_questions(root / "copier.yml")

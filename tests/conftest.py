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


# Under pytest-xdist each worker takes the next test as it frees up: the slowest start first, so that none is left
# to run alone at the end (an update scenario or a stack takes minutes; most other tests a second).
_SLOWEST_FIRST = (
    "tests/e2e/test_update_project.py",
    "tests/e2e/test_stacks.py",
    "tests/package/",
    "tests/ci/",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        return next(
            (i for i, prefix in enumerate(_SLOWEST_FIRST) if item.nodeid.startswith(prefix)), len(_SLOWEST_FIRST)
        )

    items.sort(key=rank)  # stable: the order within each group stays


@pytest.fixture(scope="session")
def questions() -> list[Question]:
    root = checkout_root()
    assert root == REPO_ROOT, "the tests run against this checkout"
    return load_questions(root / "copier.yml")

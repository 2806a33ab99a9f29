"""The end-to-end stacks, checked before any is run: between them they install every value of every choice on
offer, and run every contract test at least once (fast; no service needed)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from pybackend.answers import resolve_answers
from pybackend.errors import InvalidAnswersError
from pybackend.questions import Question
from support import REPO_ROOT
from support.offered import OFFERED, installable, missing_values
from support.procs import clean_env

from .contract_plan import SKIPPED_WHEN, expected_to_skip
from .test_stacks import NOT_OFFERED, STACKS, framework_stacks


@pytest.fixture(scope="module")
def stacks(questions: list[Question]) -> dict[str, dict[str, Any]]:
    return {
        name: resolve_answers(questions, {"project_name": "e2e-stack", **stack}, use_defaults=True)
        for name, stack in framework_stacks().items()
    }


@pytest.fixture(scope="module")
def contract_tests() -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests/contract"],
        cwd=REPO_ROOT,
        env=clean_env({"PYBACKEND_SERVICE": str(REPO_ROOT / "no-service.json")}),
        capture_output=True,
        text=True,
        check=True,
    )
    ids = [line.removeprefix("tests/contract/") for line in done.stdout.splitlines() if "::" in line]
    assert len(ids) > 50, done.stdout
    return ids


def test_every_offered_value_is_installed_and_run(stacks: dict[str, dict[str, Any]]) -> None:
    assert missing_values(list(stacks.values()), installable()) == {}


def test_every_contract_test_runs_in_some_stack(stacks: dict[str, dict[str, Any]], contract_tests: list[str]) -> None:
    never = [t for t in contract_tests if all(expected_to_skip(t, answers) for answers in stacks.values())]
    assert never == [], "no end-to-end stack runs these contract tests; add a stack that does"


def test_the_plan_names_only_tests_that_exist(contract_tests: list[str]) -> None:
    stale = [prefix for prefix, _ in SKIPPED_WHEN if not any(t.startswith(prefix) for t in contract_tests)]
    assert stale == [], "contract_plan.py names tests that no longer exist"


def test_each_framework_runs_every_stack_it_offers(stacks: dict[str, dict[str, Any]]) -> None:
    for framework in OFFERED["framework"]:
        ran = {name.split("/")[1] for name in stacks if name.startswith(f"{framework}/")}
        assert ran >= set(STACKS) - NOT_OFFERED.get(framework, set()), framework


def test_stacks_not_offered_are_refused(questions: list[Question]) -> None:
    """A stack left out for a framework is one its validators refuse, so leaving it out hides nothing."""
    for framework, names in NOT_OFFERED.items():
        if framework not in OFFERED["framework"]:
            continue
        for name in names:
            with pytest.raises(InvalidAnswersError):
                resolve_answers(
                    questions, {"project_name": "e2e-stack", "framework": framework, **STACKS[name]}, use_defaults=True
                )

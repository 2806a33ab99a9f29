"""End to end: a user's project takes a new template release with `pybackend update`, and still works; once per
framework on offer.

    uv run pytest tests/e2e/test_update_project.py -m e2e

A release copy of this checkout is tagged v1.0.0 and a project generated from it, as a user would (`new -y`, git,
uv.lock). The user adds an endpoint and its test and commits. The maintainer changes the same routes module further
down, adds a test to the generated suite, and tags v1.1.0. `pybackend update` must merge both without conflicts,
and the project's own pytest, ruff and mypy must pass on the result. The user commits that, then turns Celery and
the cache on with `pybackend add`, which refreshes uv.lock; the same checks pass again, the new features' tests
among them. The texts of each framework's edits are in `updates/<framework>.py`.

No service is needed: the defaults stack uses SQLite, and its own tests run against it.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from support.offered import OFFERED
from support.procs import run
from support.project import Project
from support.release import git, release, release_copy, user_machine
from support.service import read_answers
from support.steps import Steps
from support.summary import parse_summary

from .updates import UpdateScenario

NAME = "orders-api"
OLD, NEW = "v1.0.0", "v1.1.0"
PYBACKEND = Path(sys.executable).parent / "pybackend"


def _scenario(framework: str) -> UpdateScenario:
    scenario = importlib.import_module(f".updates.{framework}", __package__).SCENARIO
    assert isinstance(scenario, UpdateScenario)
    return scenario


IDENTITY = ["-c", "user.name=Orders Developer", "-c", "user.email=dev@orders.example"]


def _insert(path: Path, anchor: str, text: str, *, after: bool) -> None:
    """Insert `text` next to the one occurrence of `anchor`, so a drifted template fails loudly here."""
    content = path.read_text()
    assert content.count(anchor) == 1, f"expected {anchor!r} once in {path}:\n{content}"
    replacement = anchor + text if after else text + anchor
    path.write_text(content.replace(anchor, replacement))


@pytest.mark.e2e
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("framework", OFFERED["framework"])
def test_update_keeps_the_users_route_and_brings_the_template_change(framework: str, tmp_path: Path) -> None:
    steps = Steps(f"{framework}/update")
    scenario = _scenario(framework)
    templates, work, env = user_machine(tmp_path)
    path = work / NAME

    with steps.hard(f"release {OLD} and generate {NAME} from it"):
        release_copy(templates, tag=OLD)
        run([str(PYBACKEND), "new", NAME, "-y", "--framework", framework], cwd=work, env=env, timeout=300)
        answers = read_answers(path)
        assert (answers["_src_path"], answers["_commit"]) == (str(templates), OLD), answers
        assert (path / "uv.lock").is_file(), "`pybackend new` wrote no uv.lock"
        assert git("status", "--porcelain", cwd=path) == "", "the new project is not committed"

    with steps.hard("user adds GET /api/v1/items/count and its test, commits"):
        _insert(path / scenario.routes, scenario.route_anchor, scenario.user_route, after=True)
        route_tests = path / scenario.route_tests
        route_tests.write_text(route_tests.read_text() + scenario.user_test)
        run(["git", *IDENTITY, "commit", "-q", "-am", "Count items"], cwd=path, env=env, timeout=60)

    with steps.hard(f"maintainer edits the routes and the health tests, releases {NEW}"):
        _insert(
            templates / scenario.template_routes, scenario.docstring_anchor, scenario.template_docstring, after=True
        )
        _insert(
            templates / scenario.template_health_tests, scenario.health_test_anchor, scenario.template_test, after=False
        )
        release(templates, NEW, message="Document deleting an item; test that /health ignores readiness checks")

    with steps.hard(f"pybackend update --no-lock {OLD} -> {NEW}: no conflicts"):
        _update(path, env, scenario)

    with steps.soft("the user's route and test kept, the template's changes in"):
        _merged(path, templates, scenario)

    project = Project(path, tmp_path / "logs")
    _own_checks(project, steps, scenario.own_tests())

    with steps.hard("commit the update; pybackend add celery cache (uv.lock refreshed)"):
        run(["git", *IDENTITY, "commit", "-q", "-am", f"Template {NEW}"], cwd=path, env=env, timeout=60)
        _add_features(path, env, scenario)

    _own_checks(project, steps, (*scenario.own_tests(), *scenario.feature_tests))
    steps.finish()


def _update(path: Path, env: dict[str, str], scenario: UpdateScenario) -> None:
    updated = run([str(PYBACKEND), "update", "--no-lock"], cwd=path, env=env, timeout=300)
    summary = parse_summary(updated.output, updated.describe())
    changed = sorted([".copier-answers.yml", scenario.health_tests, scenario.routes])
    expected = {"added": [], "changed": changed, "deleted": []}
    assert summary == {**expected, "conflicts": []}, updated.describe()
    status = git("status", "--porcelain", "--untracked-files=all", cwd=path).splitlines()
    assert sorted(line[3:] for line in status) == expected["changed"], status
    assert all(line.startswith(" M ") for line in status), status


def _merged(path: Path, templates: Path, scenario: UpdateScenario) -> None:
    routes = (path / scenario.routes).read_text()
    assert scenario.user_route in routes, routes
    assert scenario.docstring_anchor + scenario.template_docstring in routes, routes
    if scenario.route_order:
        first, second = scenario.route_order
        assert routes.index(first) < routes.index(second), f"the user's route moved below {second}"
    assert "<<<<<<<" not in routes and ">>>>>>>" not in routes, routes
    assert (path / scenario.route_tests).read_text().endswith(scenario.user_test)
    assert scenario.template_test + scenario.health_test_anchor in (path / scenario.health_tests).read_text()
    assert git("log", "-1", "--format=%s", cwd=path).strip() == "Count items", "the update made a commit"
    answers = read_answers(path)
    assert (answers["_src_path"], answers["_commit"]) == (str(templates), NEW), answers


def _add_features(path: Path, env: dict[str, str], scenario: UpdateScenario) -> None:
    added = run([str(PYBACKEND), "add", "celery", "cache"], cwd=path, env=env, timeout=300)
    summary = parse_summary(added.output, added.describe())
    assert summary["conflicts"] == [] and summary["deleted"] == [], added.describe()
    assert set(scenario.added_files) <= set(summary["added"]), added.describe()
    assert {"pyproject.toml", "uv.lock"} <= set(summary["changed"]), added.describe()
    answers = read_answers(path)
    assert (answers["celery"], answers["cache"], answers["_commit"]) == (True, True, NEW), answers
    assert scenario.user_route in (path / scenario.routes).read_text()


def _own_checks(project: Project, steps: Steps, expected: tuple[str, ...]) -> None:
    with steps.hard("uv sync (--locked: uv.lock matches pyproject.toml)"):
        project.uv_sync()
    with steps.soft("own pytest, with the user's test and the template's"):
        tested = project.uv_run(["pytest", "-q", "-rA", "-p", "no:cacheprovider"], timeout=900)
        for node in expected:
            assert f"PASSED {node}" in tested.output, f"{node} did not pass:\n{tested.describe()}"
    for name, args, timeout in (
        ("ruff check", ["ruff", "check", "."], 120),
        ("ruff format --check", ["ruff", "format", "--check", "."], 120),
        ("mypy", ["mypy"], 600),
    ):
        with steps.soft(name):
            project.uv_run(args, timeout=timeout)

"""End to end: a user's project takes a new template release with `pybackend update`, and still works; once per
framework on offer.

    uv run pytest tests/e2e/test_update_project.py -m e2e

A release copy of this checkout is tagged v1.0.0 and a project generated from it, as a user would (`new -y`, git,
uv.lock). The user adds an endpoint and its test, then two resources of their own (`add resource`: an author, and
a book that refers to it and to users), edits the book's routes, and commits. The maintainer changes the items
routes module further down, the routes of every resource, and the health tests, and tags v1.1.0. `pybackend
update` must merge all of it without conflicts and without touching a migration, keeping the user's edits, and
leave uv.lock matching. The user then changes the book's fields (`set resource`, one migration), turns Celery and
the cache on with `pybackend add` (uv.lock refreshed), and the project's own pytest, ruff and mypy pass, as
generated on SQLite: the user's test, the template's, the features' and the resources' among them. Last, removing
the author is refused while the book refers to it, and `remove resource book --drop` writes one migration.
The texts of each framework's edits are in `updates/<framework>.py`, the resources' in `updates/resources.py`.

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
from support.user_resources import add_resources, migrations, remove_book

from .updates import PACKAGE, UpdateScenario, resources

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

    with steps.hard("user adds GET /api/v1/items/count and its test, then two resources, and edits one"):
        _insert(path / scenario.routes, scenario.route_anchor, scenario.user_route, after=True)
        route_tests = path / scenario.route_tests
        route_tests.write_text(route_tests.read_text() + scenario.user_test)
        run(["git", *IDENTITY, "commit", "-q", "-am", "Count items"], cwd=path, env=env, timeout=60)
        add_resources(path, env)
        book_routes = resources.routes_in(path, PACKAGE, framework)["book"]
        book_routes.write_text(book_routes.read_text() + resources.USER_EDIT)
        run(["git", *IDENTITY, "commit", "-q", "-am", "Note the order of books"], cwd=path, env=env, timeout=60)

    with steps.hard(f"maintainer edits the routes of items and of every resource, and the health tests; {NEW}"):
        _insert(
            templates / scenario.template_routes, scenario.docstring_anchor, scenario.template_docstring, after=True
        )
        _insert(
            templates / scenario.template_health_tests, scenario.health_test_anchor, scenario.template_test, after=False
        )
        resources.mark_every_resource(templates, framework)
        release(templates, NEW, message="Document deleting an item; say that resources answer JSON; test /health")

    with steps.hard(f"pybackend update --no-lock {OLD} -> {NEW}: no conflicts, no migration touched"):
        _update(path, env, scenario, framework)

    with steps.soft("the user's route, test and resource edit kept, the template's changes in, every resource's"):
        _merged(path, templates, scenario, framework)

    project = Project(path, tmp_path / "logs")
    with steps.hard("uv sync --locked: the update left uv.lock matching pyproject.toml"):
        project.uv_sync()

    with steps.hard("set resource book +summary:text? -pages: one migration, the user's edit kept"):
        run(["git", *IDENTITY, "commit", "-q", "-am", f"Template {NEW}"], cwd=path, env=env, timeout=60)
        _set_resource(path, env, framework)

    with steps.hard("pybackend add celery cache (uv.lock refreshed)"):
        _add_features(path, env, scenario)
        run(["git", "add", "-A"], cwd=path, env=env, timeout=60)
        run(["git", *IDENTITY, "commit", "-q", "-m", "Celery and the cache"], cwd=path, env=env, timeout=60)

    # One run of the project's checks covers the update, the features and the resources, on SQLite as generated.
    _own_checks(project, steps, (*scenario.own_tests(), *scenario.feature_tests), resources.TESTS)

    with steps.soft("remove resource: refused while referred to; remove resource book --drop writes one migration"):
        _remove_resources(path, env, framework)
    steps.finish()


def _update(path: Path, env: dict[str, str], scenario: UpdateScenario, framework: str) -> None:
    updated = run([str(PYBACKEND), "update", "--no-lock"], cwd=path, env=env, timeout=300)
    summary = parse_summary(updated.output, updated.describe())
    resource_routes = [str(p.relative_to(path)) for p in resources.routes_in(path, PACKAGE, framework).values()]
    changed = sorted([".copier-answers.yml", scenario.health_tests, scenario.routes, *resource_routes])
    expected = {"added": [], "changed": changed, "deleted": []}
    assert summary == {**expected, "conflicts": []}, updated.describe()
    status = git("status", "--porcelain", "--untracked-files=all", cwd=path).splitlines()
    assert sorted(line[3:] for line in status) == expected["changed"], status
    assert all(line.startswith(" M ") for line in status), status


def _merged(path: Path, templates: Path, scenario: UpdateScenario, framework: str) -> None:
    for name, module in resources.routes_in(path, PACKAGE, framework).items():
        assert resources.TEMPLATE_LINE in module.read_text(), f"the template's change did not reach {name}"
    assert resources.routes_in(path, PACKAGE, framework)["book"].read_text().endswith(resources.USER_EDIT)
    routes = (path / scenario.routes).read_text()
    assert scenario.user_route in routes, routes
    assert scenario.docstring_anchor + scenario.template_docstring in routes, routes
    if scenario.route_order:
        first, second = scenario.route_order
        assert routes.index(first) < routes.index(second), f"the user's route moved below {second}"
    assert "<<<<<<<" not in routes and ">>>>>>>" not in routes, routes
    assert (path / scenario.route_tests).read_text().endswith(scenario.user_test)
    assert scenario.template_test + scenario.health_test_anchor in (path / scenario.health_tests).read_text()
    assert git("log", "-1", "--format=%s", cwd=path).strip() == "Note the order of books", "the update made a commit"
    answers = read_answers(path)
    assert (answers["_src_path"], answers["_commit"]) == (str(templates), NEW), answers


def _set_resource(path: Path, env: dict[str, str], framework: str) -> None:
    before = set(migrations(path))
    changed = run(
        [str(PYBACKEND), "set", "resource", "book", "+summary:text?", "-pages"], cwd=path, env=env, timeout=300
    )
    assert parse_summary(changed.output, changed.describe())["conflicts"] == [], changed.describe()
    assert len(set(migrations(path)) - before) == 1, changed.describe()
    assert resources.routes_in(path, PACKAGE, framework)["book"].read_text().endswith(resources.USER_EDIT)
    run(["git", "add", "-A"], cwd=path, env=env, timeout=60)
    run(["git", *IDENTITY, "commit", "-q", "-m", "Books have a summary, and no pages"], cwd=path, env=env, timeout=60)


def _remove_resources(path: Path, env: dict[str, str], framework: str) -> None:
    remove = [str(PYBACKEND), "remove", "resource"]
    refused = run([*remove, "author", "--drop"], cwd=path, env=env, timeout=300, check=False)
    assert refused.returncode == 3 and "book.author refer to 'author'" in refused.output, refused.describe()
    remove_book(path, env)
    assert not resources.routes_in(path, PACKAGE, framework)["book"].parent.exists(), "the book's package is left"


def _add_features(path: Path, env: dict[str, str], scenario: UpdateScenario) -> None:
    added = run([str(PYBACKEND), "add", "celery", "cache"], cwd=path, env=env, timeout=300)
    summary = parse_summary(added.output, added.describe())
    assert summary["conflicts"] == [] and summary["deleted"] == [], added.describe()
    assert set(scenario.added_files) <= set(summary["added"]), added.describe()
    assert {"pyproject.toml", "uv.lock"} <= set(summary["changed"]), added.describe()
    answers = read_answers(path)
    assert (answers["celery"], answers["cache"], answers["_commit"]) == (True, True, NEW), answers
    assert scenario.user_route in (path / scenario.routes).read_text()


def _own_checks(project: Project, steps: Steps, expected: tuple[str, ...], directories: tuple[str, ...]) -> None:
    with steps.hard("uv sync (--locked: uv.lock matches pyproject.toml)"):
        project.uv_sync()
    with steps.soft("own pytest: the user's test, the template's, the features' and the resources'"):
        tested = project.uv_run(["pytest", "-q", "-rA", "-p", "no:cacheprovider"], timeout=900)
        for node in expected:
            assert f"PASSED {node}" in tested.output, f"{node} did not pass:\n{tested.describe()}"
        for directory in directories:
            assert f"PASSED {directory}" in tested.output, f"no test of {directory} passed:\n{tested.describe()}"
    for name, args, timeout in (
        ("ruff check", ["ruff", "check", "."], 120),
        ("ruff format --check", ["ruff", "format", "--check", "."], 120),
        ("mypy", ["mypy"], 600),
    ):
        with steps.soft(name):
            project.uv_run(args, timeout=timeout)

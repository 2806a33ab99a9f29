"""End to end: a user's FastAPI project takes a new template release with `pybackend update`, and still works.

    uv run pytest tests/e2e/test_update_fastapi.py -m e2e

A release copy of this checkout is tagged v1.0.0 and a project generated from it, as a user would (`new -y`, git,
uv.lock). The user adds an endpoint and its test and commits. The maintainer changes the same routes module further
down, adds a test to the generated suite, and tags v1.1.0. `pybackend update` must merge both without conflicts,
and the project's own pytest, ruff and mypy must pass on the result. The user commits that, then turns Celery and
the cache on with `pybackend add`, which refreshes uv.lock; the same checks pass again, the new features' tests
among them.

No service is needed: the defaults stack uses SQLite, and its own tests run against it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.procs import clean_env, run
from support.project import Project
from support.release import git, release, release_copy
from support.service import read_answers
from support.steps import Steps
from support.summary import parse_summary

NAME = "orders-api"
PACKAGE = "orders_api"
OLD, NEW = "v1.0.0", "v1.1.0"
PYBACKEND = Path(sys.executable).parent / "pybackend"

TEMPLATE_ROUTES = "templates/fastapi/src/{{ package_name }}/{% if database != 'none' %}items{% endif %}/routes.py"
TEMPLATE_HEALTH_TESTS = "templates/fastapi/tests/test_health.py.jinja"
ROUTES = f"src/{PACKAGE}/items/routes.py"
ROUTE_TESTS = "tests/items/test_routes.py"
HEALTH_TESTS = "tests/test_health.py"

# The user's edit: a new endpoint, placed before /{item_id} so that it is matched first, and a test for it.
LIST_RETURN = "    return await items.page(limit=limit, offset=offset)\n"
USER_ROUTE = '''

@router.get("/count")
async def count_items(items: ItemServiceDep) -> dict[str, int]:
    """How many items there are, without reading any of them."""
    page = await items.page(limit=1, offset=0)
    return {"total": page.total}
'''
USER_TEST = """

def test_count_items(client: TestClient, auth_headers: Headers) -> None:
    for name in ("first", "second"):
        _create(client, auth_headers, name=name)

    response = client.get("/api/v1/items/count")

    assert response.status_code == 200
    assert response.json() == {"total": 2}
"""

# The maintainer's change: a docstring at the other end of the routes module the user edited, and a new test in a
# generated test module the user never touched.
DELETE_SIGNATURE = "async def delete_item(item: ChangeableItem, items: ItemServiceDep) -> None:\n"
TEMPLATE_DOCSTRING = '    """Delete the item for good; reading it afterwards is a 404."""\n'
HEALTH_TEST_ANCHOR = "def test_ready_when_every_backing_service_answers("
TEMPLATE_TEST = """def test_health_ignores_failing_readiness_checks(app: FastAPI, client: TestClient) -> None:
    app.state.readiness_checks["broken"] = _unreachable

    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


"""


IDENTITY = ["-c", "user.name=Orders Developer", "-c", "user.email=dev@orders.example"]
USER_AND_TEMPLATE_TESTS = (
    f"{ROUTE_TESTS}::test_count_items",
    f"{HEALTH_TESTS}::test_health_ignores_failing_readiness_checks",
)
# A test module of each feature `add` brings in.
FEATURE_TESTS = ("tests/test_worker.py", "tests/items/test_cache.py")


def _insert(path: Path, anchor: str, text: str, *, after: bool) -> None:
    """Insert `text` next to the one occurrence of `anchor`, so a drifted template fails loudly here."""
    content = path.read_text()
    assert content.count(anchor) == 1, f"expected {anchor!r} once in {path}:\n{content}"
    replacement = anchor + text if after else text + anchor
    path.write_text(content.replace(anchor, replacement))


def _uv_cache_dir() -> str:
    """The outer uv cache, so that `uv lock` under the scratch HOME does not start from an empty one."""
    if os.environ.get("UV_CACHE_DIR"):
        return os.environ["UV_CACHE_DIR"]
    found = subprocess.run(["uv", "cache", "dir"], capture_output=True, text=True, check=True).stdout.strip()
    assert found, "uv cache dir printed nothing"
    return found


@pytest.mark.e2e
@pytest.mark.timeout(1800)
def test_update_keeps_the_users_route_and_brings_the_template_change(tmp_path: Path) -> None:
    steps = Steps("fastapi/update")
    templates, home, work = (tmp_path / name for name in ("templates", "home", "work"))
    for directory in (templates, home, work):
        directory.mkdir()
    env = clean_env(
        {
            "HOME": str(home),
            "PYBACKEND_TEMPLATE": str(templates),
            "UV_CACHE_DIR": _uv_cache_dir(),
            "UV_PYTHON": sys.executable,
        }
    )
    path = work / NAME

    with steps.hard(f"release {OLD} and generate {NAME} from it"):
        release_copy(templates, tag=OLD)
        run([str(PYBACKEND), "new", NAME, "-y"], cwd=work, env=env, timeout=300)
        answers = read_answers(path)
        assert (answers["_src_path"], answers["_commit"]) == (str(templates), OLD), answers
        assert (path / "uv.lock").is_file(), "`pybackend new` wrote no uv.lock"
        assert git("status", "--porcelain", cwd=path) == "", "the new project is not committed"

    with steps.hard("user adds GET /api/v1/items/count and its test, commits"):
        _insert(path / ROUTES, LIST_RETURN, USER_ROUTE, after=True)
        (path / ROUTE_TESTS).write_text((path / ROUTE_TESTS).read_text() + USER_TEST)
        run(["git", *IDENTITY, "commit", "-q", "-am", "Count items"], cwd=path, env=env, timeout=60)

    with steps.hard(f"maintainer edits routes.py and test_health.py, releases {NEW}"):
        _insert(templates / TEMPLATE_ROUTES, DELETE_SIGNATURE, TEMPLATE_DOCSTRING, after=True)
        _insert(templates / TEMPLATE_HEALTH_TESTS, HEALTH_TEST_ANCHOR, TEMPLATE_TEST, after=False)
        release(templates, NEW, message="Document delete_item; test that /health ignores readiness checks")

    with steps.hard(f"pybackend update --no-lock {OLD} -> {NEW}: no conflicts"):
        _update(path, env)

    with steps.soft("the user's route and test kept, the template's changes in"):
        _merged(path, templates)

    project = Project(path, tmp_path / "logs")
    _own_checks(project, steps, USER_AND_TEMPLATE_TESTS)

    with steps.hard("commit the update; pybackend add celery cache (uv.lock refreshed)"):
        run(["git", *IDENTITY, "commit", "-q", "-am", f"Template {NEW}"], cwd=path, env=env, timeout=60)
        _add_features(path, env)

    _own_checks(project, steps, (*USER_AND_TEMPLATE_TESTS, *FEATURE_TESTS))
    steps.finish()


def _update(path: Path, env: dict[str, str]) -> None:
    updated = run([str(PYBACKEND), "update", "--no-lock"], cwd=path, env=env, timeout=300)
    summary = parse_summary(updated.output, updated.describe())
    expected = {"added": [], "changed": sorted([".copier-answers.yml", HEALTH_TESTS, ROUTES]), "deleted": []}
    assert summary == {**expected, "conflicts": []}, updated.describe()
    status = git("status", "--porcelain", "--untracked-files=all", cwd=path).splitlines()
    assert sorted(line[3:] for line in status) == expected["changed"], status
    assert all(line.startswith(" M ") for line in status), status


def _merged(path: Path, templates: Path) -> None:
    routes = (path / ROUTES).read_text()
    assert USER_ROUTE in routes, routes
    assert DELETE_SIGNATURE + TEMPLATE_DOCSTRING in routes, routes
    assert routes.index('"/count"') < routes.index('"/{item_id}"'), "the user's route moved below /{item_id}"
    assert "<<<<<<<" not in routes and ">>>>>>>" not in routes, routes
    assert (path / ROUTE_TESTS).read_text().endswith(USER_TEST)
    assert TEMPLATE_TEST + HEALTH_TEST_ANCHOR in (path / HEALTH_TESTS).read_text()
    assert git("log", "-1", "--format=%s", cwd=path).strip() == "Count items", "the update made a commit"
    answers = read_answers(path)
    assert (answers["_src_path"], answers["_commit"]) == (str(templates), NEW), answers


def _add_features(path: Path, env: dict[str, str]) -> None:
    added = run([str(PYBACKEND), "add", "celery", "cache"], cwd=path, env=env, timeout=300)
    summary = parse_summary(added.output, added.describe())
    assert summary["conflicts"] == [] and summary["deleted"] == [], added.describe()
    assert {f"src/{PACKAGE}/worker.py", f"src/{PACKAGE}/items/cache.py"} <= set(summary["added"]), added.describe()
    assert {"pyproject.toml", "uv.lock"} <= set(summary["changed"]), added.describe()
    answers = read_answers(path)
    assert (answers["celery"], answers["cache"], answers["_commit"]) == (True, True, NEW), answers
    assert USER_ROUTE in (path / ROUTES).read_text()


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

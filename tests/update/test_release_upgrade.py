"""The upgrade a real user has: a FastAPI project made by the first release (0.1.0, the only framework it had), with
work of the user's own committed, brought to what this checkout releases by its wheel, on a machine whose template
cache is empty. At a release's commit that wheel is the release itself (0.2.0 when it was cut).

The project comes from either origin the first release had: its wheel, or `uv run pybackend new` in a clone checked
out at it. Each is built as that release was built, from its commit in the release list. One `pybackend update` (the
command `check` gives) brings either to the same files, the user's work kept, without a conflict; the project's own
pytest, ruff and mypy then pass.

    uv run pytest tests/update/test_release_upgrade.py -q
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml
from pybackend.errors import ExitCode
from support import REPO_ROOT
from support.procs import clean_env
from support.release import FIRST, checkout_copy, git, uv_cache_dir
from support.wheels import build_wheel, install_wheel, run, uv

from .runs import Run, run_pybackend

TIMEOUT = 600

# The user's own resource, written the way the project's items are, and its tests. A free-text path parameter
# and a documented 404: the fuzzing tests that the update brings call this route too.
ROUTES = '''"""Discount rates per customer tier."""

from fastapi import APIRouter, HTTPException

router = APIRouter(prefix="/api/v1/discounts", tags=["discounts"])

RATES: dict[str, float] = {"bronze": 0.0, "silver": 0.05, "gold": 0.1}


@router.get("/{tier}", responses={404: {"description": "No such tier"}})
async def discount(tier: str) -> dict[str, float]:
    """The discount rate of one tier."""
    if tier not in RATES:
        raise HTTPException(status_code=404, detail=f"no tier {tier!r}")
    return {"rate": RATES[tier]}
'''
ROUTES_TESTS = """from fastapi.testclient import TestClient


def test_a_tier_has_its_rate(client: TestClient) -> None:
    response = client.get("/api/v1/discounts/gold")

    assert response.status_code == 200
    assert response.json() == {"rate": 0.1}


def test_an_unknown_tier_is_not_found(client: TestClient) -> None:
    assert client.get("/api/v1/discounts/platinum").status_code == 404
"""
USER_FILES = {
    "src/orders_api/discounts/__init__.py": '"""Discounts: the rates agreed with each customer tier."""\n',
    "src/orders_api/discounts/routes.py": ROUTES,
    "tests/discounts/__init__.py": "",
    "tests/discounts/test_routes.py": ROUTES_TESTS,
}
# The user's edits of generated files: (path, line as generated, line as edited).
USER_EDITS = [
    (
        "src/orders_api/api.py",
        "from .items import routes as items\n",
        "from .discounts import routes as discounts\nfrom .items import routes as items\n",
    ),
    (
        "src/orders_api/api.py",
        "router.include_router(items.router)\n",
        "router.include_router(items.router)\nrouter.include_router(discounts.router)\n",
    ),
    (
        "src/orders_api/items/routes.py",
        "limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,\n",
        "limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,  # our clients page in fifties\n",
    ),
    ("tests/items/test_routes.py", '"total": 0, "limit": 20, "offset": 0}', '"total": 0, "limit": 50, "offset": 0}'),
]


def test_a_first_release_project_of_either_origin_reaches_this_release(tmp_path: Path) -> None:
    first = _first_release_checkout(tmp_path / "first")
    by_wheel = _made_by_the_first_wheel(first, tmp_path / "a")
    by_clone = _made_in_the_first_clone(first, tmp_path / "c")
    for project in (by_wheel, by_clone):
        _users_work(project)

    new = build_wheel(checkout_copy(tmp_path / "pybackend"), tmp_path / "dist")
    (tmp_path / "b").mkdir()
    pybackend, env = install_wheel(new, tmp_path / "b", offline=False)
    assert not (Path(env["HOME"]) / ".cache" / "pybackend").exists()
    latest = f"v{run(pybackend, '--version', cwd=tmp_path, env=env).split()[-1]}"

    for project, command in ((by_wheel, "pybackend update"), (by_clone, f"pybackend update --to {latest[1:]}")):
        report = json.loads(
            _pybackend(pybackend, env, project, "check", "--json").expect(ExitCode.UPDATE_AVAILABLE).stdout
        )
        assert (report["latest"], report["command"]) == (latest, command)

        updated = _pybackend(pybackend, env, project, *command.split()[1:]).expect(ExitCode.OK)

        assert updated.summary()["conflicts"] == [], updated.describe()
        assert f"By hand, after updating a project made with {FIRST['version']}" in updated.stdout
        for name, content in USER_FILES.items():
            assert (project / name).read_text() == content
        for name, _, edited in USER_EDITS:
            assert edited in (project / name).read_text(), f"{name} lost the user's edit\n{updated.describe()}"
        answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
        assert answers["_commit"] == latest
        git("add", "--all", cwd=project)
        git("commit", "--quiet", "-m", f"Update to {latest}", cwd=project)
        _pybackend(pybackend, env, project, "check").expect(ExitCode.OK)

    assert _files(by_clone) == _files(by_wheel), "either origin reaches the same files"
    tools = clean_env({"HOME": env["HOME"], "UV_CACHE_DIR": uv_cache_dir(), "UV_PYTHON": sys.executable})
    run(uv(), "sync", "--quiet", cwd=by_wheel, env=tools)
    for check in (
        ["pytest", "-q", "-p", "no:cacheprovider"],
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
    ):
        run(uv(), "run", *check, cwd=by_wheel, env=tools)
    run(uv(), "run", "mypy", cwd=by_wheel, env=tools)


def _first_release_checkout(destination: Path) -> Path:
    """A clone at the first release's commit, tagged as that release's build wanted."""
    git("clone", "--quiet", "--no-checkout", "--no-tags", REPO_ROOT, destination, cwd=destination.parent)
    git("checkout", "--quiet", FIRST["commit"], cwd=destination)
    git("tag", f"v{FIRST['version']}", cwd=destination)
    return destination


def _made_by_the_first_wheel(first: Path, machine: Path) -> Path:
    machine.mkdir()
    pybackend, env = install_wheel(build_wheel(first, machine / "dist"), machine, offline=False)
    run(pybackend, "new", "orders-api", "-y", cwd=machine, env=env)
    return machine / "orders-api"


def _made_in_the_first_clone(first: Path, machine: Path) -> Path:
    """`uv run pybackend new` as the first release's README said, from a clone of it."""
    (machine / "home").mkdir(parents=True)
    env = clean_env({"HOME": str(machine / "home"), "UV_CACHE_DIR": uv_cache_dir(), "UV_PYTHON": sys.executable})
    run(uv(), "run", "--quiet", "--project", first, "pybackend", "new", "orders-api", "-y", cwd=machine, env=env)
    return machine / "orders-api"


def _users_work(project: Path) -> None:
    for name, content in USER_FILES.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(content)
    for name, generated, edited in USER_EDITS:
        text = (project / name).read_text()
        assert text.count(generated) == 1, f"{name} as the first release wrote it lacks {generated!r}"
        (project / name).write_text(text.replace(generated, edited))
    git("add", "--all", cwd=project)
    git("commit", "--quiet", "-m", "Discounts; pages of fifty", cwd=project)


def _pybackend(pybackend: Path, env: dict[str, str], project: Path, *args: str) -> Run:
    return run_pybackend(*args, cwd=project, env=env, timeout=TIMEOUT, pybackend=pybackend)


def _files(project: Path) -> dict[str, bytes]:
    listed = git("ls-files", "-z", cwd=project).split("\0")
    return {name: (project / name).read_bytes() for name in filter(None, listed)}

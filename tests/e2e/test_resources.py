"""End to end: the user's own resources on a real database, for the stacks whose own answers `add resource` does
not take yet (an ORM it writes no resources for, such as fastapi/mysql's SQLModel).

    PYBACKEND_REQUIRE_SERVICES=1 uv run pytest tests/e2e/test_resources.py -m e2e

Every other stack on PostgreSQL or MariaDB adds the resources itself (tests/e2e/test_stacks.py), and the update
tier brings a template change into them (tests/update/test_resources_update.py). Here the stack is generated with
the answers `add resource` takes (the stack's override left out), the resources added, the project's pytest, ruff
and mypy run, its migrations upgrade the real database, its tests run against it, and the API answers over HTTP.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pybackend.resources import FRAMEWORKS
from support.generate import generate_project
from support.project import Project, new_secret
from support.pythons import interpreter
from support.services import redis_database, sql_database
from support.steps import Steps
from support.user_resources import add_resources, exercise, supported

from .test_stacks import RESOURCE_STACKS, STACK_OVERRIDES, framework_stacks


def _uncovered() -> dict[str, dict[str, Any]]:
    """The resource stacks of frameworks that write resources whose own answers they cannot take, each with the
    answers it can."""
    uncovered = {}
    for stack, answers in framework_stacks().items():
        framework, name = stack.split("/")
        if framework in FRAMEWORKS and name in RESOURCE_STACKS and not supported(answers):
            plain = {key: value for key, value in answers.items() if key not in STACK_OVERRIDES.get(stack, {})}
            assert supported(plain), f"{stack} takes no resources even without its overrides: {plain}"
            uncovered[stack] = plain
    return uncovered


@pytest.mark.e2e
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("stack", sorted(_uncovered()))
def test_resources_on_a_real_database(stack: str, tmp_path: Path) -> None:
    steps = Steps(f"{stack}/resources")
    answers = {**_uncovered()[stack], "auth": "jwt"}
    with steps.hard("generate, uv sync, add resource author, then book"):
        path = generate_project(f"e2e-resources-{stack.replace('/', '-')}", answers, tmp_path / "out")
        project = Project(path, tmp_path / "logs", python=interpreter(answers.get("python_version", "3.11")))
        project.uv_sync()
        add_resources(project.path, project.env())
    for name, args in (
        ("own pytest", ["pytest", "-q", "-p", "no:cacheprovider"]),
        ("ruff check", ["ruff", "check", "."]),
        ("ruff format", ["ruff", "format", "--check", "."]),
        ("mypy", ["mypy"]),
    ):
        with steps.soft(name):
            project.uv_run(args, timeout=900)
    database = project.answers["database"]
    with sql_database(database) as url, redis_database() as (redis_url, _):
        with steps.soft(f"{database}: the resources' tests against it"):
            tests = ["tests/author", "tests/book", "--no-cov", "-q", "-p", "no:cacheprovider"]
            project.uv_run(["pytest", *tests], env={"TEST_DATABASE_URL": url}, timeout=900)
        env = {"DATABASE_URL": url, "REDIS_URL": redis_url, "SECRET_KEY": new_secret(), "APP_ENV": "development"}
        with steps.hard(f"{database}: {' '.join(project.migrate_command)}"):
            project.uv_run(project.migrate_command, env=env, timeout=300)
        server, base_url, _ = project.serve(f"resources-{database}", env, 60)
        try:
            with steps.soft(f"{database}: the resources' API over HTTP"):
                exercise(base_url, auth=True)
        finally:
            server.terminate(timeout=10)
    steps.finish()

"""Every value of every choice question that this version of pybackend offers, written out by hand.

The render matrix and the end-to-end tier each assert that their stacks cover all of these. The list is kept by
hand on purpose: derived from copier.yml's validators, a value they wrongly refuse would silently drop out.
"""

from __future__ import annotations

from typing import Any

OFFERED: dict[str, list[Any]] = {
    "python_version": ["3.11", "3.12", "3.13", "3.14"],
    "framework": ["fastapi", "flask", "django", "tornado", "pyramid"],
    "database": ["sqlite", "postgresql", "mysql", "none"],
    "orm": ["sqlalchemy", "sqlmodel", "flask-sqlalchemy", "django"],
    "auth": ["jwt", "none"],
    "celery": [False, True],
    "celery_broker": ["redis", "rabbitmq"],
    "cache": [False, True],
    "log_format": ["json", "console"],
    "metrics": [False, True],
    # A multi-select: each choice is a value, held by a stack whose list names it.
    "testing": ["api-fuzzing", "load"],
    "docker": [False, True],
    "kubernetes": [False, True],
    "ci": ["github", "none"],
}

# Rendered and linted only: no interpreter for it exists on the machines the tests run on yet.
RENDER_ONLY: dict[str, list[Any]] = {"python_version": ["3.14"]}


def missing_values(stacks: list[dict[str, Any]], offered: dict[str, list[Any]] = OFFERED) -> dict[str, list[Any]]:
    """The offered values that no stack (complete answers) holds."""
    return {
        name: absent
        for name, values in offered.items()
        if (absent := [v for v in values if not any(_holds(stack.get(name), v) for stack in stacks)])
    }


def _holds(answer: Any, value: Any) -> bool:
    return value in answer if isinstance(answer, list | tuple) else answer == value


def installable() -> dict[str, list[Any]]:
    return {name: [v for v in values if v not in RENDER_ONLY.get(name, [])] for name, values in OFFERED.items()}

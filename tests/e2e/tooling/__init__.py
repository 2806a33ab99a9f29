"""Each framework's own tooling, run on a generated project the way that framework's developers would.

One module per framework, named after it, with `check(project, env, steps, tmp)`: it runs each command as a
soft step of the stack (`env` is the production environment, the database migrated; `tmp` is the test's own
directory).
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from support.project import Project
from support.steps import Steps


def framework_tooling(project: Project, env: dict[str, str], steps: Steps, tmp: Path) -> None:
    module = import_module(f"{__name__}.{project.answers['framework']}")
    module.check(project, env, steps, tmp)

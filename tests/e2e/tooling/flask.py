"""Flask's own tooling on a generated project: `flask --app <package> ...` against the production settings and the
migrated database of the stack."""

from __future__ import annotations

from pathlib import Path

from support.project import Project
from support.steps import Steps

TIMEOUT = 120

# Run by `flask shell` before the shell context is added (PYTHONSTARTUP), in the dict that becomes the context: the
# hook it sets runs after, as the interactive prompt opens, and reads the database through the context's session.
SHELL_STARTUP = """\
import sys


def _use_the_context():
    names = sorted(name for name in globals() if not name.startswith("_"))
    rows = session.scalars(select(Item).limit(1)).all()
    print("shell context:", *names, "items:", len(rows))


sys.__interactivehook__ = _use_the_context
"""


def check(project: Project, env: dict[str, str], steps: Steps, tmp: Path) -> None:
    flask = ["flask", "--app", project.package]
    with steps.soft(f"flask --app {project.package} routes"):
        routes = project.uv_run([*flask, "routes"], env=env, timeout=TIMEOUT).output
        for path in ("/health", "/ready", "/openapi.json"):
            assert path in routes, routes
    if project.answers["database"] == "none":
        return
    with steps.soft(f"flask --app {project.package} db upgrade, then db current: at head"):
        project.uv_run([*flask, "db", "upgrade"], env=env, timeout=TIMEOUT)
        current = project.uv_run([*flask, "db", "current"], env=env, timeout=TIMEOUT).output
        assert "(head)" in current, current
    with steps.soft(f"flask --app {project.package} db check: the models match the migrations"):
        project.uv_run([*flask, "db", "check"], env=env, timeout=TIMEOUT)
    with steps.soft(f"flask --app {project.package} shell: the session and the models in its context"):
        startup = tmp / "flask_shell_startup.py"
        startup.write_text(SHELL_STARTUP)
        shell = project.uv_run([*flask, "shell"], env={**env, "PYTHONSTARTUP": str(startup)}, timeout=TIMEOUT).output
        assert "items: " in shell, shell
        # Flask-SQLAlchemy adds its `db` to the context, beside the models.
        extension = ("db",) if project.answers.get("orm") == "flask-sqlalchemy" else ()
        for name in ("Item", "app", "session", "select", *extension):
            assert f" {name} " in shell, shell

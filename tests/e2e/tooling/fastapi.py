"""FastAPI's own tooling on a generated project: uvicorn's command line, and its reloader in development."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
from support.procs import Background, PortTaken, free_port, wait_http
from support.project import Project
from support.steps import Steps

BOOT_TIMEOUT = 60
CLEAN_EXITS = {0, 143, -15}
# What the generated README gives as the equivalent of `python -m <package>`, less host and port.
UVICORN_OPTIONS = [
    "--factory",
    "--timeout-graceful-shutdown",
    "20",
    "--no-access-log",
    "--no-server-header",
    "--no-proxy-headers",
]


def check(project: Project, env: dict[str, str], steps: Steps, tmp: Path) -> None:
    with steps.soft(f"uvicorn {project.package}.app:create_app --factory serves as python -m does"):
        _uvicorn_command_line(project, env)
    with steps.soft("development: uvicorn's reloader restarts the service on a code change"):
        _development_reload(project, env)
    if project.answers.get("orm") == "sqlmodel" and project.answers["database"] != "none":
        with steps.soft("sqlmodel: a new str column autogenerates a revision that passes ruff and mypy, and runs"):
            _sqlmodel_revision_runs(project, env)


def _start(project: Project, name: str, args: list[str], env: dict[str, str]) -> tuple[Background, str]:
    """Start args with {port} filled in, and wait for its /health (another port if ours was taken)."""
    for attempt in range(3):
        port = free_port()
        server = project.background(
            f"{name}-{attempt}", [arg.replace("{port}", str(port)) for arg in args], {**env, "PORT": str(port)}
        )
        server.start()
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_http(f"{base_url}/health", server, BOOT_TIMEOUT)
        except PortTaken:
            server.terminate(timeout=5)
            continue
        except BaseException:
            server.terminate(timeout=5)
            raise
        return server, base_url
    raise PortTaken(f"{name}: the port was taken three times in a row")


def _stop(server: Background, what: str) -> None:
    code = server.terminate(timeout=25)
    assert code in CLEAN_EXITS, f"{what} exited with {code} on SIGTERM\n{server.output(3000)}"
    assert "Traceback" not in server.stderr_path.read_text(errors="replace"), server.output(3000)


def _json_lines(server: Background) -> list[dict[str, object]]:
    lines = server.stdout_path.read_text(errors="replace").splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def _uvicorn_command_line(project: Project, env: dict[str, str]) -> None:
    """The README's uvicorn command: the same headers and JSON lines as `python -m`, uvicorn's own included."""
    args = ["uvicorn", f"{project.package}.app:create_app", "--host", "127.0.0.1", "--port", "{port}"]
    server, base_url = _start(project, "uvicorn-cli", [*args, *UVICORN_OPTIONS], env)
    try:
        response = httpx.get(f"{base_url}/health", timeout=10)
        assert response.status_code == 200, response.text
        assert "server" not in response.headers, response.headers
        assert "x-request-id" in response.headers, response.headers
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not any(line.get("event") == "request" for line in _json_lines(server)):
            time.sleep(0.1)
        lines = _json_lines(server)
        assert any(line.get("event") == "request" and line.get("path") == "/health" for line in lines), (
            f"no JSON access line for /health\n{server.output(3000)}"
        )
        assert any(str(line.get("logger", "")).startswith("uvicorn") for line in lines), (
            f"uvicorn's own lines are not the service's JSON\n{server.output(3000)}"
        )
    finally:
        _stop(server, "uvicorn's command line")


def _development_reload(project: Project, env: dict[str, str]) -> None:
    """`python -m <package>` with APP_ENV=development: a changed module restarts the serving process."""
    dev_env = {**env, "APP_ENV": "development", "HOST": "127.0.0.1"}
    server, base_url = _start(project, "dev-reload", ["python", "-m", project.package], dev_env)
    try:
        module = project.path / "src" / project.package / "health.py"
        module.write_text(module.read_text())  # a change, as an editor's save
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "Reloading" not in server.stdout_path.read_text(errors="replace"):
            time.sleep(0.2)
        output = server.stdout_path.read_text(errors="replace")
        assert "Reloading" in output, f"no reload after health.py changed\n{server.output(3000)}"
        while time.monotonic() < deadline:
            started = server.stdout_path.read_text(errors="replace").count("Application startup complete")
            if started >= 2:  # the first process, then the reloaded one
                break
            time.sleep(0.2)
        assert httpx.get(f"{base_url}/health", timeout=10).status_code == 200, server.output(3000)
    finally:
        _stop(server, "development server")


def _sqlmodel_revision_runs(project: Project, env: dict[str, str]) -> None:
    """SQLModel renders a str column as sqlmodel.sql.sqltypes.AutoString: the revision must import it, pass the
    project's own lint and type check, and upgrade and downgrade the real database. Everything is undone after."""
    models = project.path / "src" / project.package / "items" / "models.py"
    versions = project.path / "migrations" / "versions"
    original = models.read_text()
    before = set(versions.glob("*.py"))
    anchor = "    created_at: datetime"
    assert anchor in original, original
    column = "    colour: str | None = Field(default=None, max_length=20)\n"
    models.write_text(original.replace(anchor, column + anchor))
    try:
        project.uv_run(["alembic", "revision", "--autogenerate", "-m", "add a colour"], env=env, timeout=120)
        written = sorted(set(versions.glob("*.py")) - before)
        assert len(written) == 1, f"alembic wrote {written}"
        revision = written[0].read_text()
        assert "sqlmodel.sql.sqltypes.AutoString(length=20)" in revision, revision
        for args in (["ruff", "check"], ["ruff", "format", "--check"], ["mypy"]):
            project.uv_run([*args, str(written[0])], timeout=120)
        project.uv_run(["alembic", "upgrade", "head"], env=env, timeout=120)
        project.uv_run(["alembic", "check"], env=env, timeout=120)
        project.uv_run(["alembic", "downgrade", "-1"], env=env, timeout=120)
    finally:
        models.write_text(original)
        for path in set(versions.glob("*.py")) - before:
            path.unlink()

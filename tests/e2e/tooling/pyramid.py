"""Pyramid's own tooling on a generated project: pserve, proutes and pshell on development.ini."""

from __future__ import annotations

from pathlib import Path

import httpx
from support.procs import PortTaken, free_port, wait_http
from support.project import Project
from support.steps import Steps

BOOT_TIMEOUT = 60.0


def check(project: Project, env: dict[str, str], steps: Steps, tmp: Path) -> None:
    # development.ini brings the debug toolbar, which the app refuses in production.
    development = {**env, "APP_ENV": "development"}
    with steps.soft("pserve development.ini --reload answers /health, naming no server"):
        _pserve(project, development)
    with steps.soft("proutes development.ini lists the routes"):
        routes = project.uv_run(["proutes", "development.ini"], env=development, timeout=60).output
        assert f"{project.package}.health.health" in routes, routes
        assert "/openapi.json" in routes, routes
    with steps.soft("pshell development.ini loads the app and its set-up"):
        # Its standard input is empty: the shell lists what it holds, then ends at once.
        shell = project.uv_run(["pshell", "development.ini"], env=development, timeout=60).output
        expected = ["app", "request", "registry"]
        if project.answers.get("database") != "none":
            expected += ["dbsession", "tm", "Item"]
        listed = {line.split()[0] for line in shell.split("Environment:", 1)[-1].splitlines() if line.strip()}
        assert set(expected) <= listed, shell


def _pserve(project: Project, env: dict[str, str]) -> None:
    """pserve on a free port (HOST and PORT from the environment, as for `python -m`), stopped by its pid."""
    for attempt in range(3):
        port = free_port()
        server = project.background(
            f"pserve-{attempt}",
            ["pserve", "development.ini", "--reload"],
            {**env, "HOST": "127.0.0.1", "PORT": str(port)},
        )
        server.start()
        try:
            wait_http(f"http://127.0.0.1:{port}/health", server, BOOT_TIMEOUT)
            response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
            assert response.json() == {"status": "ok"}, response.text
            assert "server" not in response.headers, response.headers
            return
        except PortTaken:
            continue
        finally:
            server.terminate(timeout=10)
    raise PortTaken("pserve: the port was taken three times in a row")

"""Tornado's own tooling on a generated project: its autoreload in development."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from support.procs import Background, wait_http
from support.project import Project
from support.steps import Steps

BOOT_TIMEOUT = 60
# Tornado looks for changed files every half second, and records a file's first time when it first looks.
FIRST_LOOK_SECONDS = 1.0
RESTART_TIMEOUT = 30


def check(project: Project, env: dict[str, str], steps: Steps, tmp: Path) -> None:
    with steps.soft("python -m <pkg> in development: Tornado's autoreload restarts it when a source file changes"):
        _autoreload(project, env)


def _autoreload(project: Project, env: dict[str, str]) -> None:
    development = {**env, "APP_ENV": "development", "LOG_FORMAT": "json"}
    server, base_url, _ = project.serve("autoreload", development, BOOT_TIMEOUT)
    try:
        [serving] = _serving_lines(server)
        assert serving.get("autoreload") is True, f"development serves without autoreload: {serving}"
        time.sleep(FIRST_LOOK_SECONDS)
        source = project.path / "src" / project.package / "app.py"
        os.utime(source)  # a save in an editor
        deadline = time.monotonic() + RESTART_TIMEOUT
        while len(_serving_lines(server)) < 2 and time.monotonic() < deadline:
            assert server.running(), f"the service ended instead of restarting\n{server.output(3000)}"
            time.sleep(0.2)
        assert len(_serving_lines(server)) == 2, (
            f"no restart within {RESTART_TIMEOUT}s of touching {source.name}\n{server.output(3000)}"
        )
        assert "modified; restarting server" in server.stdout_path.read_text(errors="replace")
        wait_http(f"{base_url}/health", server, BOOT_TIMEOUT)
    finally:
        _stop(server)


def _serving_lines(server: Background) -> list[dict[str, object]]:
    """The JSON lines of the service's "serving" event (the environment's LOG_FORMAT is json)."""
    lines = server.stdout_path.read_text(errors="replace").splitlines()
    events = [json.loads(line) for line in lines if line.startswith("{")]
    return [event for event in events if event.get("event") == "serving"]


def _stop(server: Background) -> None:
    code = server.terminate(timeout=20)
    assert code is not None, f"the development server did not stop on SIGTERM\n{server.output(3000)}"

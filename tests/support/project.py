"""A generated project on disk, and the commands the harness runs inside it."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from .procs import Background, PortTaken, Result, clean_env, free_port, run, wait_http
from .service import read_answers


@dataclass
class Project:
    path: Path
    log_dir: Path
    python: str = sys.executable  # the interpreter uv builds the project's environment with

    @cached_property
    def answers(self) -> dict[str, Any]:
        return read_answers(self.path)

    @property
    def package(self) -> str:
        return str(self.answers["package_name"])

    @property
    def migrate_command(self) -> list[str]:
        """The project's migration command (docs/generated-project.md): Django's own, or Alembic's."""
        if (self.path / "manage.py").is_file():
            return ["python", "manage.py", "migrate"]
        return ["alembic", "upgrade", "head"]

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The outer environment without the service's variables, using the running Python for uv."""
        return clean_env({"UV_PYTHON": self.python, "PYTHONUNBUFFERED": "1", **(extra or {})})

    def uv_sync(self, timeout: float = 900) -> Result:
        locked = ["--locked"] if (self.path / "uv.lock").exists() else []
        return run(["uv", "sync", *locked], cwd=self.path, env=self.env(), timeout=timeout)

    def uv_run(
        self, args: Sequence[str], *, timeout: float, env: Mapping[str, str] | None = None, check: bool = True
    ) -> Result:
        return run(["uv", "run", "--no-sync", *args], cwd=self.path, env=self.env(env), timeout=timeout, check=check)

    def background(self, name: str, args: Sequence[str], env: Mapping[str, str]) -> Background:
        return Background(name, ["uv", "run", "--no-sync", *args], self.path, self.env(env), self.log_dir)

    def server(self, name: str, env: Mapping[str, str]) -> tuple[Background, str]:
        """The service on a free port, not yet started; returns it and its base URL."""
        port = free_port()
        proc = self.background(name, ["python", "-m", self.package], {"HOST": "127.0.0.1", "PORT": str(port), **env})
        return proc, f"http://127.0.0.1:{port}"

    def serve(self, name: str, env: Mapping[str, str], timeout: float) -> tuple[Background, str, float]:
        """Start the service and wait for its /health; returns it, its base URL and the seconds it took.
        A port taken by another process before ours bound it is tried again with another."""
        for attempt in range(3):
            server, base_url = self.server(name if attempt == 0 else f"{name}-retry{attempt}", env)
            server.start()
            try:
                return server, base_url, wait_http(f"{base_url}/health", server, timeout)
            except PortTaken:
                server.terminate(timeout=5)
            except BaseException:
                server.terminate(timeout=5)
                raise
        raise PortTaken(f"{name}: the port was taken three times in a row")

    def worker(self, env: Mapping[str, str]) -> Background:
        return self.background(
            "worker",
            [
                "celery",
                "-A",
                f"{self.package}.worker:celery_app",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            env,
        )

    def beat(self, env: Mapping[str, str], schedule: Path) -> Background:
        app = f"{self.package}.worker:celery_app"
        return self.background(
            "beat", ["celery", "-A", app, "beat", "--loglevel=INFO", "--schedule", str(schedule)], env
        )


def new_secret() -> str:
    return secrets.token_hex(32)  # 64 characters

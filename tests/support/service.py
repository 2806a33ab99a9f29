"""How the contract suite finds the running service it checks.

The harness (or a person) writes a JSON file and points PYBACKEND_SERVICE at it:

    {
      "base_url": "http://127.0.0.1:8123",
      "answers": {...the project's .copier-answers.yml...},
      "secret_key": "...",                       # to forge expired and alg=none tokens
      "log_paths": ["/tmp/.../service.stdout.log"],   # the service's stdout (JSON log lines)
      "stderr_paths": ["/tmp/.../service.stderr.log"],# optional: scanned for leaked secrets only
      "cors_origins": ["https://allowed.example"],
      "access_token_expire_minutes": 30,
      "schemathesis_checks": "not_a_server_error,response_schema_conformance,status_code_conformance",
      "app_env": "production",                   # the service's APP_ENV
      "max_body_bytes": 1048576,                 # its MAX_BODY_BYTES
      "auth_rate_limit_per_minute": 10,          # its AUTH_RATE_LIMIT_PER_MINUTE
      "forwarded_allow_ips": ["127.0.0.1"],      # its FORWARDED_ALLOW_IPS
      "project_path": "/tmp/.../svc"             # the generated project (its README and Ingress name routes)
    }

Fields left out take the contract's defaults.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

ENV_VAR = "PYBACKEND_SERVICE"
DEFAULT_CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"


@dataclass(frozen=True)
class Service:
    base_url: str
    answers: dict[str, Any]
    secret_key: str
    log_paths: list[str] = field(default_factory=list)
    stderr_paths: list[str] = field(default_factory=list)
    cors_origins: list[str] = field(default_factory=list)
    access_token_expire_minutes: int = 30
    schemathesis_checks: str = DEFAULT_CHECKS
    app_env: str = "development"
    max_body_bytes: int = 1_048_576
    auth_rate_limit_per_minute: int = 10
    forwarded_allow_ips: list[str] = field(default_factory=lambda: ["127.0.0.1"])
    project_path: str = ""

    @property
    def project_name(self) -> str:
        """The name tokens carry as their issuer and audience."""
        return str(self.answers["project_name"])

    # What the answers switch on.
    @property
    def database(self) -> bool:
        return str(self.answers.get("database", "none")) != "none"

    @property
    def auth(self) -> bool:
        return str(self.answers.get("auth")) == "jwt"

    @property
    def celery(self) -> bool:
        return bool(self.answers.get("celery"))

    @property
    def cache(self) -> bool:
        return bool(self.answers.get("cache"))

    @property
    def metrics(self) -> bool:
        return bool(self.answers.get("metrics"))

    @property
    def redis(self) -> bool:
        return self.celery or self.cache

    @property
    def rabbitmq(self) -> bool:
        return self.celery and self.answers.get("celery_broker") == "rabbitmq"

    @property
    def dependencies(self) -> list[str]:
        """The checks /ready names, as the contract calls them."""
        on = {"database": self.database, "redis": self.redis, "rabbitmq": self.rabbitmq}
        return [name for name, used in on.items() if used]

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    # Logs
    def log_lines(self) -> list[str]:
        """Every line the service has written to stdout so far."""
        lines: list[str] = []
        for path in self.log_paths:
            p = Path(path)
            if p.exists():
                lines.extend(line for line in p.read_text(errors="replace").splitlines() if line.strip())
        return lines

    def all_output(self) -> str:
        return "\n".join(
            Path(p).read_text(errors="replace") for p in [*self.log_paths, *self.stderr_paths] if Path(p).exists()
        )

    def wait_for_log(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 5) -> list[dict[str, Any]]:
        """JSON log records matching predicate, waiting for them to be flushed."""
        deadline = time.monotonic() + timeout
        while True:
            found = [r for r in parse_json_lines(self.log_lines()) if predicate(r)]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.1)

    # (De)serialisation
    def dump(self, path: Path) -> Path:
        path.write_text(json.dumps(asdict(self), indent=2, default=str))
        return path

    @classmethod
    def load(cls, path: Path) -> Service:
        return cls(**json.loads(path.read_text()))

    @classmethod
    def from_env(cls) -> Service | None:
        value = os.environ.get(ENV_VAR)
        return cls.load(Path(value)) if value else None


def read_answers(project: Path) -> dict[str, Any]:
    data = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert isinstance(data, dict)
    return data


def parse_json_lines(lines: list[str]) -> list[dict[str, Any]]:
    records = []
    for line in lines:
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            records.append(value)
    return records

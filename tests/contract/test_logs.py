"""Structured logs on stdout: one JSON object per line, an access line per request, no secrets."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import httpx
import pytest
from support.service import Service

from .helpers import SECRETS, logged_so_far, unique_email

REQUIRED = ("timestamp", "level", "event", "logger")


@pytest.fixture(autouse=True)
def _logs_available(service: Service) -> None:
    if not service.log_paths:
        pytest.skip("the service description names no log file")


def _access_lines(service: Service, rid: str) -> list[dict[str, object]]:
    return service.wait_for_log(lambda r: r.get("request_id") == rid and r.get("event") == "request")


def test_every_stdout_line_is_a_json_object(service: Service, client: httpx.Client) -> None:
    logged_so_far(service, client)
    lines = service.log_lines()
    assert lines, "the service wrote nothing to stdout"
    problems = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            problems.append(f"not JSON: {line[:300]}")
            continue
        if not isinstance(record, dict):
            problems.append(f"not an object: {line[:300]}")
            continue
        missing = [k for k in REQUIRED if k not in record]
        if missing:
            problems.append(f"missing {missing}: {line[:300]}")
            continue
        try:
            stamp = datetime.fromisoformat(str(record["timestamp"]).replace("Z", "+00:00"))
        except ValueError:
            problems.append(f"timestamp is not ISO 8601: {line[:300]}")
            continue
        if stamp.utcoffset() != timedelta(0):
            problems.append(f"timestamp is not UTC: {line[:300]}")
    assert not problems, f"{len(problems)} of {len(lines)} stdout lines break the log format:\n" + "\n".join(
        problems[:20]
    )


def test_one_access_line_per_request(service: Service, client: httpx.Client) -> None:
    rid = f"log-{uuid.uuid4().hex}"
    r = client.get("/health", headers={"X-Request-ID": rid})
    assert r.status_code == 200
    lines = _access_lines(service, rid)
    assert len(lines) == 1, f"expected one access line with request_id={rid}, got {lines}"
    line = lines[0]
    assert line.get("method") == "GET" and line.get("path") == "/health", line
    assert str(line.get("status")) == "200", line
    assert isinstance(line.get("duration_ms"), int | float) and line["duration_ms"] >= 0, line  # type: ignore[operator]


def test_access_line_for_errors(service: Service, client: httpx.Client) -> None:
    rid = f"log-{uuid.uuid4().hex}"
    path = f"/missing-{uuid.uuid4().hex}"
    client.get(path, headers={"X-Request-ID": rid})
    lines = _access_lines(service, rid)
    assert len(lines) == 1 and str(lines[0].get("status")) == "404" and lines[0].get("path") == path, lines


def test_no_secret_in_any_log_line(service: Service, client: httpx.Client) -> None:
    secrets = [service.secret_key, *SECRETS]
    if service.auth:
        email, password = unique_email("logs"), f"pw-{uuid.uuid4().hex}"
        short = uuid.uuid4().hex[:7]
        wrong = f"wrong-{uuid.uuid4().hex}"
        client.post("/api/v1/auth/register", json={"email": email, "password": short})
        client.post("/api/v1/auth/register", json={"email": email, "password": password})
        client.post("/api/v1/auth/token", data={"username": email, "password": wrong})
        client.post("/api/v1/auth/token", json={"email": email, "password": wrong})
        form = client.post("/api/v1/auth/token", data={"username": email, "password": password}).json()
        as_json = client.post("/api/v1/auth/token", json={"email": email, "password": password}).json()
        tokens = [t["access_token"] for t in (form, as_json) if "access_token" in t]
        for token in tokens:
            client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
            if service.database:
                client.post("/api/v1/items", json={"name": "logged"}, headers={"Authorization": f"Bearer {token}"})
        secrets += [password, short, wrong, *tokens]
    client.get("/health", headers={"Authorization": f"Bearer {service.secret_key}"})
    logged_so_far(service, client)
    output = service.all_output()
    leaked = [s[:12] + "..." for s in secrets if s and s in output]
    assert not leaked, f"secrets found in the service's output: {leaked}"

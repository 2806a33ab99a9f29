"""Celery: a task goes through Redis and a real worker, and its result comes back."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from support.service import Service

from .helpers import User, assert_error, json_body, poll, show

TIMEOUT = 60


@pytest.fixture
def headers(service: Service, request: pytest.FixtureRequest) -> dict[str, str]:
    if not service.celery:
        pytest.skip("celery is off (absence is checked in test_basics)")
    # The contract does not say whether tasks need a token; sending one works either way.
    if not service.auth:
        return {}
    user: User = request.getfixturevalue("user")
    return user.headers


def _run(client: httpx.Client, headers: dict[str, str], x: Any, y: Any) -> dict[str, Any]:
    r = client.post("/api/v1/tasks/add", json={"x": x, "y": y}, headers=headers)
    assert r.status_code == 202, show(r)
    task_id = json_body(r).get("task_id")
    assert isinstance(task_id, str) and task_id, show(r)

    def fetch() -> dict[str, Any]:
        got = client.get(f"/api/v1/tasks/{task_id}", headers=headers)
        assert got.status_code == 200, show(got)
        return dict(json_body(got))

    body: dict[str, Any] = poll(fetch, lambda b: b.get("status") in {"SUCCESS", "FAILURE", "REVOKED"}, TIMEOUT)
    assert body.get("task_id") == task_id, body
    assert body.get("status") == "SUCCESS", f"task {task_id} not done after {TIMEOUT}s (is a worker running?): {body}"
    return body


def test_add_runs_on_a_worker(client: httpx.Client, headers: dict[str, str]) -> None:
    assert _run(client, headers, 2, 3)["result"] == 5


def test_add_numbers(client: httpx.Client, headers: dict[str, str]) -> None:
    assert _run(client, headers, 1.5, 2.25)["result"] == pytest.approx(3.75)
    assert _run(client, headers, -7, 7)["result"] == 0


@pytest.mark.parametrize("body", [{"x": 1}, {"y": 1}, {"x": "a", "y": 1}, {}])
def test_add_rejects_invalid(client: httpx.Client, headers: dict[str, str], body: dict[str, Any]) -> None:
    assert_error(client.post("/api/v1/tasks/add", json=body, headers=headers), 422)


def test_unknown_task_is_pending(client: httpx.Client, headers: dict[str, str]) -> None:
    task_id = str(uuid.uuid4())
    r = client.get(f"/api/v1/tasks/{task_id}", headers=headers)
    assert r.status_code == 200, show(r)
    body = json_body(r)
    assert body.get("task_id") == task_id and body.get("status") == "PENDING" and body.get("result") is None, body

"""Liveness, readiness, documentation and the shape of errors."""

from __future__ import annotations

import uuid

import httpx
import pytest
from support.service import Service

from .helpers import assert_error, json_body, show


def test_health_is_ok(client: httpx.Client) -> None:
    r = client.get("/health")
    assert r.status_code == 200, show(r)
    assert json_body(r) == {"status": "ok"}, show(r)


def test_ready_names_each_dependency(service: Service, client: httpx.Client) -> None:
    r = client.get("/ready")
    assert r.status_code == 200, show(r)
    body = json_body(r)
    expected = dict.fromkeys(service.dependencies, "ok")
    assert body.get("status") == "ok", show(r)
    assert body.get("checks") == expected, f"expected checks {expected}: {show(r)}"


def test_unknown_route_is_json_404(client: httpx.Client) -> None:
    assert_error(client.get(f"/no-such-route-{uuid.uuid4().hex}"), 404)
    assert_error(client.get(f"/api/v1/no-such-route-{uuid.uuid4().hex}"), 404)


def test_docs_page(client: httpx.Client) -> None:
    r = client.get("/docs", follow_redirects=True)
    assert r.status_code == 200, show(r)
    assert "text/html" in r.headers.get("content-type", ""), show(r)


def test_metrics_absent_when_off(service: Service, client: httpx.Client) -> None:
    if service.metrics:
        pytest.skip("metrics is on")
    assert client.get("/metrics").status_code == 404


def test_items_absent_without_database(service: Service, client: httpx.Client) -> None:
    if service.database:
        pytest.skip("database is on")
    for method, path in (
        ("GET", "/api/v1/items"),
        ("POST", "/api/v1/items"),
        ("GET", "/api/v1/items/1"),
        ("PATCH", "/api/v1/items/1"),
        ("DELETE", "/api/v1/items/1"),
    ):
        r = client.request(method, path, json={"name": "x"} if method in {"POST", "PATCH"} else None)
        assert r.status_code == 404, f"database is off, expected 404: {show(r)}"


def test_auth_absent_when_off(service: Service, client: httpx.Client) -> None:
    if service.auth:
        pytest.skip("auth is on")
    for method, path in (
        ("POST", "/api/v1/auth/register"),
        ("POST", "/api/v1/auth/token"),
        ("GET", "/api/v1/users/me"),
    ):
        r = client.request(
            method, path, json={"email": "a@example.com", "password": "password1"} if method == "POST" else None
        )
        assert r.status_code == 404, f"auth is off, expected 404: {show(r)}"


def test_tasks_absent_without_celery(service: Service, client: httpx.Client) -> None:
    if service.celery:
        pytest.skip("celery is on")
    for method, path in (("POST", "/api/v1/tasks/add"), ("GET", f"/api/v1/tasks/{uuid.uuid4()}")):
        r = client.request(method, path, json={"x": 1, "y": 2} if method == "POST" else None)
        assert r.status_code == 404, f"celery is off, expected 404: {show(r)}"

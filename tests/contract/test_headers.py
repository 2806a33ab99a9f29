"""Headers every response carries, request ids, and CORS."""

from __future__ import annotations

import uuid

import httpx
import pytest
from support.service import Service

from .helpers import show

DISALLOWED_ORIGIN = "https://not-allowed.example"


def _samples(service: Service) -> list[tuple[str, str, dict[str, object] | None]]:
    """Requests that between them reach success, 404, 405/422 and 401 paths."""
    reqs: list[tuple[str, str, dict[str, object] | None]] = [
        ("GET", "/health", None),
        ("GET", "/ready", None),
        ("GET", f"/missing-{uuid.uuid4().hex}", None),
        ("GET", "/openapi.json", None),
    ]
    if service.database:
        reqs += [("GET", "/api/v1/items", None), ("GET", "/api/v1/items?limit=0", None)]
    if service.auth:
        reqs += [("GET", "/api/v1/users/me", None), ("POST", "/api/v1/auth/register", {"email": "bad"})]
    if service.metrics:
        reqs.append(("GET", "/metrics", None))
    return reqs


def test_security_headers_on_every_response(service: Service, client: httpx.Client) -> None:
    problems = []
    for method, path, body in _samples(service):
        r = client.request(method, path, json=body)
        if r.headers.get("x-content-type-options") != "nosniff":
            problems.append(f"X-Content-Type-Options={r.headers.get('x-content-type-options')!r}: {show(r)}")
        if r.headers.get("referrer-policy") != "no-referrer":
            problems.append(f"Referrer-Policy={r.headers.get('referrer-policy')!r}: {show(r)}")
        if not r.headers.get("x-request-id"):
            problems.append(f"no X-Request-ID: {show(r)}")
    assert not problems, "\n".join(problems)


def test_request_id_is_echoed(service: Service, client: httpx.Client) -> None:
    for method, path, body in _samples(service):
        rid = f"contract-{uuid.uuid4().hex}"
        r = client.request(method, path, json=body, headers={"X-Request-ID": rid})
        assert r.headers.get("x-request-id") == rid, f"X-Request-ID {r.headers.get('x-request-id')!r}: {show(r)}"


def test_request_id_is_generated(client: httpx.Client) -> None:
    ids = {client.get("/health").headers.get("x-request-id") for _ in range(3)}
    assert None not in ids and "" not in ids, ids
    assert len(ids) == 3, f"generated request ids repeat: {ids}"


def test_cors_preflight_from_allowed_origin(service: Service, client: httpx.Client) -> None:
    if not service.cors_origins:
        pytest.skip("the service was started without CORS_ORIGINS")
    origin = service.cors_origins[0]
    # A write where the API has one; without a database, the one route there is (a service may answer with the
    # methods of the route alone).
    path, method = ("/api/v1/items", "POST") if service.database else ("/health", "GET")
    r = client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type,authorization",
        },
    )
    # A preflight is answered 200 (docs/generated-project.md), naming the origin, the method and both headers
    # themselves: browsers never let a "*" cover Authorization, nor any wildcard when credentials are allowed.
    assert r.status_code == 200, show(r)
    assert r.headers.get("access-control-allow-origin") == origin, f"preflight: {dict(r.headers)}"
    methods = {m.strip().upper() for m in r.headers.get("access-control-allow-methods", "").split(",")}
    assert method in methods, f"preflight does not allow {method}: {dict(r.headers)}"
    allowed = {h.strip().lower() for h in r.headers.get("access-control-allow-headers", "").split(",")}
    assert {"content-type", "authorization"} <= allowed, f"preflight does not allow both headers: {dict(r.headers)}"
    assert "origin" in r.headers.get("vary", "").lower(), f"preflight without 'Vary: Origin': {dict(r.headers)}"


def test_cors_simple_request_from_allowed_origin(service: Service, client: httpx.Client) -> None:
    if not service.cors_origins:
        pytest.skip("the service was started without CORS_ORIGINS")
    origin = service.cors_origins[0]
    r = client.get("/health", headers={"Origin": origin})
    assert r.headers.get("access-control-allow-origin") == origin, f"GET /health from {origin}: {dict(r.headers)}"


def test_cors_refuses_other_origins(service: Service, client: httpx.Client) -> None:
    r = client.get("/health", headers={"Origin": DISALLOWED_ORIGIN})
    allowed = r.headers.get("access-control-allow-origin")
    assert allowed not in {DISALLOWED_ORIGIN, "*"}, f"GET /health from {DISALLOWED_ORIGIN}: ACAO {allowed!r}"
    r = client.options("/health", headers={"Origin": DISALLOWED_ORIGIN, "Access-Control-Request-Method": "GET"})
    allowed = r.headers.get("access-control-allow-origin")
    assert allowed not in {DISALLOWED_ORIGIN, "*"}, f"preflight from {DISALLOWED_ORIGIN}: ACAO {allowed!r}"

"""HTTP details of contract version 3: HEAD on every GET route, 415 for a body that is not JSON, no 5xx for a
deeply nested body, a client that goes away mid-body, and a 413 the client can read."""

from __future__ import annotations

import contextlib
import socket
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from support.rawhttp import connect, head
from support.service import Service

from .helpers import assert_error, logged_so_far, parse_metrics, show

# Headers that may differ between two answers to the same request.
_VOLATILE = {"date", "x-request-id", "content-length", "set-cookie", "etag", "last-modified", "server", "connection"}
_VOLATILE |= {"keep-alive", "transfer-encoding"}
_ERROR_LEVELS = {"error", "critical", "exception", "fatal"}


@pytest.fixture(scope="module")
def get_routes(service: Service, client: httpx.Client, write_headers: dict[str, str]) -> list[str]:
    """A concrete URL for every GET route that is on (with an id that exists where the route takes one)."""
    routes = ["/health", "/ready", "/openapi.json", "/docs"]
    if service.metrics:
        routes.append("/metrics")
    if service.database:
        r = client.post("/api/v1/items", json={"name": f"head-{uuid.uuid4().hex[:8]}"}, headers=write_headers)
        assert r.status_code == 201, show(r)
        routes += ["/api/v1/items", f"/api/v1/items/{r.json()['id']}"]
    if service.auth:
        routes.append("/api/v1/users/me")
    if service.celery:
        routes.append(f"/api/v1/tasks/{uuid.uuid4()}")
    return routes


def _json_routes(service: Service, client: httpx.Client, write_headers: dict[str, str]) -> list[tuple[str, str]]:
    """(method, path) of every route that reads a JSON body."""
    routes: list[tuple[str, str]] = []
    if service.database:
        r = client.post("/api/v1/items", json={"name": f"json-{uuid.uuid4().hex[:8]}"}, headers=write_headers)
        assert r.status_code == 201, show(r)
        routes += [("POST", "/api/v1/items"), ("PATCH", f"/api/v1/items/{r.json()['id']}")]
    if service.auth:
        routes += [("POST", "/api/v1/auth/register"), ("POST", "/api/v1/auth/token")]
    if service.celery:
        routes.append(("POST", "/api/v1/tasks/add"))
    return routes


def _raw_head(base_url: str, path: str, headers: dict[str, str], timeout: float = 15) -> tuple[bytes, bytes]:
    """The answer to a HEAD request as sent: its head, and whatever follows it within half a second (nothing)."""
    with connect(base_url, timeout) as sock:
        sock.sendall(head("HEAD", path, base_url, headers))
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        sock.settimeout(0.5)
        with contextlib.suppress(TimeoutError, OSError):
            while chunk := sock.recv(65536):
                data += chunk
    answer_head, _, rest = data.partition(b"\r\n\r\n")
    return answer_head, rest


def test_every_get_route_answers_head(
    service: Service, client: httpx.Client, get_routes: list[str], write_headers: dict[str, str]
) -> None:
    problems = []
    for path in get_routes:
        got = client.get(path, headers=write_headers)
        headed = client.head(path, headers=write_headers)
        if headed.status_code != got.status_code:
            problems.append(f"HEAD {path} -> {headed.status_code}, GET -> {got.status_code}")
            continue
        differ = {
            name: (got.headers.get(name), headed.headers.get(name))
            for name in {*got.headers.keys(), *headed.headers.keys()} - _VOLATILE
            if got.headers.get(name) != headed.headers.get(name)
        }
        if differ:
            problems.append(f"HEAD {path}: headers differ from GET's (GET, HEAD): {differ}")
        _, body = _raw_head(service.base_url, path, write_headers)
        if body:
            problems.append(f"HEAD {path} sent a body: {body[:200]!r}")
    assert not problems, "\n".join(problems)


def test_json_routes_refuse_other_content_types(
    service: Service, client: httpx.Client, write_headers: dict[str, str]
) -> None:
    """A JSON body sent as text/plain is refused with 415 (a form is refused too, except by the token route)."""
    routes = _json_routes(service, client, write_headers)
    if not routes:
        pytest.skip("no route of this project reads a JSON body")
    body = '{"name": "plain", "email": "plain@example.com", "password": "plain-text-1", "x": 1, "y": 2}'
    problems = []
    for method, path in routes:
        r = client.request(method, path, content=body, headers={**write_headers, "Content-Type": "text/plain"})
        if r.status_code != 415 or "detail" not in (r.json() if "json" in r.headers.get("content-type", "") else {}):
            problems.append(f"text/plain body: {show(r)}")
    assert not problems, "\n".join(problems)


def test_deeply_nested_json_is_no_server_error(
    service: Service, client: httpx.Client, write_headers: dict[str, str]
) -> None:
    routes = _json_routes(service, client, write_headers)
    if not routes:
        pytest.skip("no route of this project reads a JSON body")
    body = b"[" * 100_000
    problems = []
    for method, path in routes:
        r = client.request(method, path, content=body, headers={**write_headers, "Content-Type": "application/json"})
        if r.status_code >= 500:
            problems.append(f"100,000 '[': {show(r)}")
    assert not problems, "\n".join(problems)
    assert client.get("/health").status_code == 200


def _server_errors(client: httpx.Client) -> float:
    r = client.get("/metrics")
    assert r.status_code == 200, show(r)
    samples, _ = parse_metrics(r.text)
    return sum(
        s.value for s in samples if s.name == "http_requests_total" and s.labels.get("status", "").startswith("5")
    )


def _error_lines(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if str(r.get("level", "")).lower() in _ERROR_LEVELS]


@contextlib.contextmanager
def _new_log_lines(service: Service, client: httpx.Client) -> Iterator[list[dict[str, Any]]]:
    """The JSON records the service logs inside the block (and until it has logged the block's requests)."""
    from support.service import parse_json_lines

    logged_so_far(service, client)
    before = len(service.log_lines())
    found: list[dict[str, Any]] = []
    yield found
    time.sleep(0.5)  # the service notices a closed connection when it next reads from it
    logged_so_far(service, client)
    found.extend(parse_json_lines(service.log_lines()[before:]))


def test_client_going_away_mid_body_is_not_an_error(
    service: Service, client: httpx.Client, write_headers: dict[str, str]
) -> None:
    routes = [r for r in _json_routes(service, client, write_headers) if r[0] == "POST"] or [("POST", "/health")]
    errors_before = _server_errors(client) if service.metrics else 0.0
    rids = []
    with _new_log_lines(service, client) as records:
        for method, path in routes:
            rid = f"gone-{uuid.uuid4().hex}"
            rids.append(rid)
            headers = {**write_headers, "Content-Type": "application/json", "Content-Length": "1000"}
            with connect(service.base_url, 10) as sock:
                sock.sendall(head(method, path, service.base_url, {**headers, "X-Request-ID": rid}) + b'{"name": ')
                time.sleep(0.2)
    problems = [f"error-level line after a client went away: {rec}" for rec in _error_lines(records)]
    problems += [
        f"access line with a server error for a client that went away: {rec}"
        for rec in records
        if rec.get("request_id") in rids and str(rec.get("status", "")).startswith("5")
    ]
    if service.metrics:
        after = _server_errors(client)
        if after != errors_before:
            problems.append(f"/metrics counts {after - errors_before:.0f} new 5xx after clients went away")
    assert not problems, "\n".join(problems)


def test_large_body_gets_a_readable_413(service: Service, write_headers: dict[str, str]) -> None:
    """A 3 MB body sent whole, as a client does: it reads the 413, not a connection reset."""
    path = "/api/v1/items" if service.database else "/api/v1/tasks/add" if service.celery else "/health"
    body = b" " * (3 * 1024 * 1024)
    with httpx.Client(base_url=service.base_url, timeout=30) as client:
        for attempt in range(3):
            try:
                r = client.post(path, content=body, headers={**write_headers, "Content-Type": "application/json"})
            except httpx.TransportError as exc:
                pytest.fail(f"POST {path} with 3 MB, attempt {attempt + 1}: no answer to read ({exc!r})")
            assert_error(r, 413)


def test_connection_with_unread_body_answer_is_whole(service: Service, write_headers: dict[str, str]) -> None:
    """The same at the socket level: the 413 arrives before the connection ends, with its whole JSON body."""
    path = "/api/v1/items" if service.database else "/api/v1/tasks/add" if service.celery else "/health"
    size = 3 * 1024 * 1024
    headers = {**write_headers, "Content-Type": "application/json", "Content-Length": str(size)}
    with connect(service.base_url, 15) as sock:
        sock.sendall(head("POST", path, service.base_url, headers))
        with contextlib.suppress(OSError):
            sock.sendall(b" " * size)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_WR)
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except ConnectionResetError:
            if b"\r\n\r\n" not in data:
                pytest.fail(f"POST {path} with a 3 MB body: the connection was reset before the 413 ({data[:200]!r})")
    assert data.startswith(b"HTTP/1.1 413"), f"POST {path} with a 3 MB body: {data[:300]!r}"

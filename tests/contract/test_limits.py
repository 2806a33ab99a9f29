"""Limits on what one client can cost the service: the request line and body sizes, and the auth rate limit.

The body checks talk HTTP over a plain socket: a body is declared and never sent, or sent chunked and stopped just
past the limit, and the service must answer 413 at once rather than wait for (or hold) the rest. The rate limit is
per client address: each check connects from a loopback address of its own (127.0.0.0/8 all reaches the service),
so it neither suffers from nor eats into the budget of the rest of the suite.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from support.rawhttp import RawResponse, chunked_body, client_from, declared_body, fresh_loopback_address
from support.service import Service

from .helpers import User, show
from .limiting import (  # noqa: F401 - auth_limit_fixture: a fixture
    LIMITED_PATHS,
    assert_limited,
    auth_limit_fixture,
    empty_attempt,
    exhaust,
    register,
    wrong_login,
)

TOKEN, REGISTER = LIMITED_PATHS

# "At once": the service answers from the head of the request; nothing it could wait for will ever come.
ANSWER_WITHIN = 5.0
NO_BODY_ROUTE = "/health"


def _body_target(service: Service, request: pytest.FixtureRequest) -> tuple[str, dict[str, str]]:
    """A route that reads a JSON body, and what a caller needs to be allowed to send one."""
    headers: dict[str, str] = {}
    if service.auth:
        user: User = request.getfixturevalue("user")
        headers = user.headers
    if service.database:
        return "/api/v1/items", headers
    if service.celery:
        return "/api/v1/tasks/add", headers
    return NO_BODY_ROUTE, headers  # no route takes a body: a declared one is refused all the same


def _assert_too_large(r: RawResponse, what: str) -> None:
    assert r.status == 413, f"{what}: expected 413, got {r.describe()}"
    assert "json" in r.headers.get("content-type", ""), f"{what}: 413 is not JSON: {r.describe()}"
    body = r.json()
    assert isinstance(body, dict) and "detail" in body, f"{what}: 413 body lacks 'detail': {r.describe()}"


@pytest.mark.parametrize("over", [1, 100 * 1024 * 1024], ids=["one byte over", "100 MiB over"])
def test_declared_oversized_body_is_refused_at_once(
    service: Service, request: pytest.FixtureRequest, over: int
) -> None:
    path, headers = _body_target(service, request)
    size = service.max_body_bytes + over
    try:
        r = declared_body(service.base_url, "POST", path, size, headers, timeout=ANSWER_WITHIN)
    except TimeoutError:
        pytest.fail(
            f"POST {path} declaring Content-Length {size} (MAX_BODY_BYTES={service.max_body_bytes}) and sending "
            f"nothing: no answer within {ANSWER_WITHIN:.0f}s; the service waits for a body it must refuse"
        )
    _assert_too_large(r, f"POST {path} with Content-Length {size}, body never sent")


def test_chunked_body_is_refused_once_past_the_limit(service: Service, request: pytest.FixtureRequest) -> None:
    path, headers = _body_target(service, request)
    if path == NO_BODY_ROUTE:
        # Refused "as soon as it passes the limit" while being read: a route that never reads one answers at once.
        pytest.skip("no route of this project reads a request body")
    size = service.max_body_bytes + 1
    try:
        r = chunked_body(service.base_url, "POST", path, size, headers, timeout=ANSWER_WITHIN, finish=False)
    except TimeoutError:
        pytest.fail(
            f"POST {path} with a chunked body stopped at {size} bytes (MAX_BODY_BYTES={service.max_body_bytes}): "
            f"no answer within {ANSWER_WITHIN:.0f}s; the service waits for the end of a body already too large"
        )
    _assert_too_large(r, f"POST {path} with a chunked body passing {service.max_body_bytes} bytes")


def test_body_at_the_limit_is_accepted(service: Service, request: pytest.FixtureRequest) -> None:
    """The limit is MAX_BODY_BYTES itself, not less: a body of exactly that size is read and handled."""
    path, headers = _body_target(service, request)
    payload = f'{{"name": "at-the-limit-{uuid.uuid4().hex[:8]}", "x": 1, "y": 2}}'.encode()
    body = payload + b" " * (service.max_body_bytes - len(payload))  # JSON allows trailing whitespace
    client = httpx.Client(base_url=service.base_url, timeout=30)
    with client:
        r = client.post(path, content=body, headers={**headers, "Content-Type": "application/json"})
    assert r.status_code != 413 and r.status_code < 500, f"a body of exactly MAX_BODY_BYTES: {show(r)}"


def test_token_attempts_are_limited_per_client_address(service: Service, auth_limit: int) -> None:
    with client_from(service.base_url, fresh_loopback_address()) as client:
        refused = exhaust(lambda: empty_attempt(client, TOKEN), lambda: wrong_login(client), auth_limit)
        assert_limited(refused)
    with client_from(service.base_url, fresh_loopback_address()) as other:
        r = wrong_login(other)
        assert r.status_code == 401, f"another client address is refused too: the limit is not per address: {show(r)}"


def test_registrations_are_limited_per_client_address(service: Service, auth_limit: int) -> None:
    with client_from(service.base_url, fresh_loopback_address()) as client:
        assert_limited(exhaust(lambda: empty_attempt(client, REGISTER), lambda: register(client), auth_limit))
    with client_from(service.base_url, fresh_loopback_address()) as other:
        r = register(other)
        assert r.status_code == 201, f"another client address is refused too: the limit is not per address: {show(r)}"


def test_reading_is_not_limited(service: Service, auth_limit: int) -> None:
    """Only /auth/token and /auth/register count: other routes answer as before from an address that is limited."""
    with client_from(service.base_url, fresh_loopback_address()) as client:
        exhaust(lambda: empty_attempt(client, TOKEN), lambda: wrong_login(client), auth_limit)
        for path in ("/health", "/api/v1/items"):
            r = client.get(path)
            assert r.status_code == 200, f"{path} from a client over the auth limit: {show(r)}"


def test_oversized_request_line_is_refused_cleanly(service: Service) -> None:
    """A 16 KiB URL: the server answers it (with a 414 of its own, or by ignoring the unknown parameter), never
    with a 5xx, and the service goes on answering."""
    url = f"{NO_BODY_ROUTE}?pad={'a' * 16 * 1024}"
    with httpx.Client(base_url=service.base_url, timeout=ANSWER_WITHIN) as client:
        r = client.get(url)
        assert r.status_code < 500, f"GET with a 16 KiB request line: {show(r)}"
        after = client.get(NO_BODY_ROUTE)
    assert after.status_code == 200, f"{NO_BODY_ROUTE} after a 16 KiB request line: {show(after)}"

"""The auth rate limit, as the checks of limits and of client addresses both exercise it."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
import pytest
from support.rawhttp import is_loopback
from support.service import Service

from .helpers import SECRETS, assert_error, show

# Beyond this a service takes too long to drive over its limit in a test run.
REACHABLE_LIMIT = 5000
LIMITED_PATHS = ("/api/v1/auth/token", "/api/v1/auth/register")


@pytest.fixture(name="auth_limit")
def auth_limit_fixture(service: Service) -> int:
    """AUTH_RATE_LIMIT_PER_MINUTE, when these checks can reach it."""
    if not service.auth:
        pytest.skip("auth is off in this project")
    if not is_loopback(service.base_url):
        pytest.skip("the rate limit checks connect from loopback addresses of their own")
    if service.auth_rate_limit_per_minute > REACHABLE_LIMIT:
        pytest.skip(f"AUTH_RATE_LIMIT_PER_MINUTE={service.auth_rate_limit_per_minute} is too high to reach here")
    return service.auth_rate_limit_per_minute


def empty_attempt(client: httpx.Client, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """A request to a limited route that costs the service next to nothing (it is invalid), but counts all the
    same: the limit is on requests, whatever they hold."""
    return client.post(path, json={}, headers=headers or {})


def wrong_login(client: httpx.Client, headers: dict[str, str] | None = None) -> httpx.Response:
    wrong = f"wrong-{uuid.uuid4().hex}"
    SECRETS.append(wrong)
    return client.post(
        "/api/v1/auth/token",
        data={"username": f"nobody-{uuid.uuid4().hex[:12]}@example.com", "password": wrong},
        headers=headers or {},
    )


def register(client: httpx.Client, headers: dict[str, str] | None = None) -> httpx.Response:
    password = f"pw-{uuid.uuid4().hex}"
    SECRETS.append(password)
    email = f"limited-{uuid.uuid4().hex[:12]}@example.com"
    return client.post("/api/v1/auth/register", json={"email": email, "password": password}, headers=headers or {})


def assert_limited(r: httpx.Response) -> None:
    """A JSON 429 that says, in whole seconds, when to come back (within the minute the limit counts)."""
    assert_error(r, 429)
    retry = r.headers.get("retry-after", "")
    assert retry.isdigit(), f"429 without an integer Retry-After ({retry!r}): {show(r)}"
    assert 1 <= int(retry) <= 60, f"Retry-After {retry} is not within the minute the limit counts: {show(r)}"


def exhaust(cheap: Callable[[], httpx.Response], genuine: Callable[[], httpx.Response], limit: int) -> httpx.Response:
    """`limit` requests pass (cheap ones, so a high limit is quick to use up); then genuine attempts, of which one
    is refused within `limit` + 1 (a window may turn over once): that refusal is returned."""
    for i in range(limit):
        r = cheap()
        assert r.status_code != 429, f"request {i + 1} of the {limit} a minute allowed was refused: {show(r)}"
        assert r.status_code < 500, show(r)
    for _ in range(limit + 1):
        r = genuine()
        if r.status_code == 429:
            return r
        assert r.status_code < 500, show(r)
    pytest.fail(f"{2 * limit + 1} requests from one address within a minute and none refused (limit {limit})")

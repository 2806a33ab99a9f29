"""The auth rate limit, as the checks of limits and of client addresses both exercise it."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
import pytest
from support.rawhttp import is_loopback
from support.service import Service

from .helpers import SECRETS, assert_error, show

# A limit above this takes too many requests to reach in a test run; such a service is checked with a lower one.
REACHABLE_LIMIT = 60


@pytest.fixture(name="auth_limit")
def auth_limit_fixture(service: Service) -> int:
    """AUTH_RATE_LIMIT_PER_MINUTE, when these checks can reach it."""
    if not service.auth:
        pytest.skip("auth is off in this project")
    if not is_loopback(service.base_url):
        pytest.skip("the rate limit checks connect from loopback addresses of their own")
    if service.auth_rate_limit_per_minute > REACHABLE_LIMIT:
        pytest.skip(
            f"AUTH_RATE_LIMIT_PER_MINUTE={service.auth_rate_limit_per_minute} is more than these checks send; "
            "they run against a service started with the default"
        )
    return service.auth_rate_limit_per_minute


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


def exhaust(send: Callable[[], httpx.Response], limit: int) -> httpx.Response:
    """`limit` requests pass; within `limit` + 1 more (a window may turn over once) one is refused: it is returned."""
    for i in range(limit):
        r = send()
        assert r.status_code != 429, f"request {i + 1} of the {limit} a minute allowed was refused: {show(r)}"
        assert r.status_code < 500, show(r)
    for _ in range(limit + 1):
        r = send()
        if r.status_code == 429:
            return r
        assert r.status_code < 500, show(r)
    pytest.fail(f"{2 * limit + 1} requests from one address within a minute and none refused (limit {limit})")

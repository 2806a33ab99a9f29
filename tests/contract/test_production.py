"""What a production service adds: Strict-Transport-Security on every response, and a readiness body of exactly the
contract's shape."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from support.service import Service

from .helpers import json_body, show

_MAX_AGE = re.compile(r"(?:^|;)\s*max-age=\"?(\d+)\"?\s*(?:;|$)", re.IGNORECASE)


def _paths(service: Service) -> list[str]:
    paths = ["/health", "/ready", "/openapi.json", "/docs", f"/missing-{uuid.uuid4().hex}"]
    if service.database:
        paths.append("/api/v1/items?limit=0")
    if service.auth:
        paths.append("/api/v1/users/me")
    return paths


@pytest.mark.parametrize("proto", [None, "https"], ids=["direct", "behind a TLS proxy"])
def test_hsts_in_production(service: Service, client: httpx.Client, proto: str | None) -> None:
    if service.app_env != "production":
        pytest.skip(f"APP_ENV={service.app_env}: Strict-Transport-Security is for production")
    headers = {"X-Forwarded-Proto": proto} if proto else {}
    problems = []
    for path in _paths(service):
        r = client.get(path, headers=headers)
        value = r.headers.get("strict-transport-security")
        found = _MAX_AGE.search(value or "")
        if value is None or found is None or int(found[1]) <= 0:
            problems.append(f"Strict-Transport-Security={value!r}: {show(r)}")
    assert not problems, "\n".join(problems)


def test_ready_body_is_exactly_the_contracts(service: Service, client: httpx.Client) -> None:
    r = client.get("/ready")
    expected = dict.fromkeys(service.dependencies, "ok")
    assert r.status_code == 200, show(r)
    assert json_body(r) == {"status": "ok", "checks": expected}, show(r)

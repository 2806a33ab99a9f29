"""The client address, for logs and limits, comes from X-Forwarded-For only when the direct peer is a trusted proxy
(FORWARDED_ALLOW_IPS); anyone else could name any address and so escape their limit or forge the logs.

Every loopback address reaches the service, so a check connects from 127.0.0.1 (a trusted proxy by default) or from
an address of its own that is not in FORWARDED_ALLOW_IPS.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

import httpx
import pytest
from support.rawhttp import client_from, fresh_loopback_address, is_loopback
from support.service import Service

from .helpers import show
from .limiting import assert_limited, auth_limit_fixture, empty_attempt, exhaust  # noqa: F401 - a fixture

TRUSTED_PEER = "127.0.0.1"


@pytest.fixture
def loopback(service: Service) -> None:
    if not is_loopback(service.base_url):
        pytest.skip("these checks connect from loopback addresses of their own")


def _documentation_address() -> str:
    """An address from 198.18.0.0/15 (RFC 2544, for tests), unlikely to be any other check's."""
    return f"198.{18 + secrets.randbelow(2)}.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"


def _trusted(service: Service) -> bool:
    return TRUSTED_PEER in service.forwarded_allow_ips or "*" in service.forwarded_allow_ips


def _access_values(service: Service, rid: str) -> list[str]:
    records = service.wait_for_log(lambda r: r.get("request_id") == rid and r.get("event") == "request")
    assert records, f"no access line with request_id={rid}"
    return [str(v) for record in records for v in _leaves(record)]


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def _names(values: list[str], address: str) -> bool:
    """Whether a logged value is that address, alone or with its port."""
    return any(v == address or v.startswith(f"{address}:") for v in values)


def _logged_with(service: Service, client: httpx.Client, forwarded_for: str) -> list[str]:
    if not service.log_paths:
        pytest.skip("the service description names no log file")
    rid = f"client-{uuid.uuid4().hex}"
    r = client.get("/health", headers={"X-Forwarded-For": forwarded_for, "X-Request-ID": rid})
    assert r.status_code == 200, show(r)
    return _access_values(service, rid)


def test_logs_name_the_forwarded_client_behind_a_trusted_proxy(service: Service, loopback: None) -> None:
    if not _trusted(service):
        pytest.skip(f"{TRUSTED_PEER} is not in FORWARDED_ALLOW_IPS ({service.forwarded_allow_ips})")
    client_address = _documentation_address()
    with client_from(service.base_url, TRUSTED_PEER) as client:
        values = _logged_with(service, client, client_address)
    assert _names(values, client_address), (
        f"X-Forwarded-For {client_address} from a trusted proxy: the access line does not name it: {values}"
    )


def test_logs_ignore_forwarded_for_from_other_peers(service: Service, loopback: None) -> None:
    peer, claimed = fresh_loopback_address(), _documentation_address()
    with client_from(service.base_url, peer) as client:
        values = _logged_with(service, client, claimed)
    assert not _names(values, claimed), f"X-Forwarded-For {claimed} from untrusted {peer} was believed: {values}"
    assert _names(values, peer), f"the access line of a request from {peer} does not name it: {values}"


def test_untrusted_peer_cannot_escape_the_limit(service: Service, auth_limit: int) -> None:
    """Naming a new address in each request gains nothing when the peer is not a trusted proxy."""
    with client_from(service.base_url, fresh_loopback_address()) as client:

        def send() -> httpx.Response:
            return client.post(
                "/api/v1/auth/token",
                data={"username": f"nobody-{uuid.uuid4().hex[:8]}@example.com", "password": uuid.uuid4().hex},
                headers={"X-Forwarded-For": _documentation_address()},
            )

        def cheap() -> httpx.Response:
            return empty_attempt(client, "/api/v1/auth/token", {"X-Forwarded-For": _documentation_address()})

        assert_limited(exhaust(cheap, send, auth_limit))


def test_trusted_proxy_limits_each_forwarded_client(service: Service, auth_limit: int) -> None:
    """Behind a trusted proxy each forwarded client has a limit of its own (and not the proxy's)."""
    if not _trusted(service):
        pytest.skip(f"{TRUSTED_PEER} is not in FORWARDED_ALLOW_IPS ({service.forwarded_allow_ips})")
    first, second = _documentation_address(), _documentation_address()
    while second == first:
        second = _documentation_address()
    with client_from(service.base_url, TRUSTED_PEER) as client:

        def send(address: str) -> httpx.Response:
            return client.post(
                "/api/v1/auth/token",
                data={"username": f"nobody-{uuid.uuid4().hex[:8]}@example.com", "password": uuid.uuid4().hex},
                headers={"X-Forwarded-For": address},
            )

        cheap = {"X-Forwarded-For": first}
        assert_limited(
            exhaust(lambda: empty_attempt(client, "/api/v1/auth/token", cheap), lambda: send(first), auth_limit)
        )
        r = send(second)
        assert r.status_code == 401, f"client {second} behind the same proxy is refused with {first}: {show(r)}"

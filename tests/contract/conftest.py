"""The contract suite: black-box checks over real HTTP that hold for every framework.

Point PYBACKEND_SERVICE at a JSON service description (see support/service.py), then

    PYBACKEND_SERVICE=/tmp/service.json uv run pytest tests/contract

Without it every test here is skipped. Parts the answers switch off are checked to be absent (404).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from support.pending import contract_not_yet
from support.service import Service

from .helpers import SECRETS, User, unique_email


@pytest.fixture(scope="session")
def service() -> Service:
    found = Service.from_env()
    if found is None:
        pytest.skip("no running service: set PYBACKEND_SERVICE to a service description (support/service.py)")
    return found


@pytest.fixture(autouse=True)
def _not_yet_met(request: pytest.FixtureRequest, service: Service) -> None:
    """Skip, saying so, a version 3 test that the service's framework does not pass yet (support/pending.py)."""
    framework = str(service.answers.get("framework", ""))
    if contract_not_yet(f"{request.node.path.name}::{request.node.name}", framework):
        pytest.skip(f"contract v3: not yet met by {framework} (tests/support/pending.py)")


@pytest.fixture(scope="session")
def client(service: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.base_url, timeout=15, follow_redirects=False) as c:
        yield c


@pytest.fixture(scope="session")
def make_user(service: Service, client: httpx.Client) -> Callable[[], User]:
    if not service.auth:
        pytest.skip("auth is off in this project")

    def make() -> User:
        email, password = unique_email(), f"pw-{uuid.uuid4().hex}"
        SECRETS.append(password)
        r = client.post("/api/v1/auth/register", json={"email": email, "password": password})
        assert r.status_code == 201, f"POST /api/v1/auth/register -> {r.status_code} {r.text}"
        body = r.json()
        r = client.post("/api/v1/auth/token", data={"username": email, "password": password})
        assert r.status_code == 200, f"POST /api/v1/auth/token (form) -> {r.status_code} {r.text}"
        token = r.json()["access_token"]
        SECRETS.append(token)
        return User(id=body["id"], email=email, password=password, token=token)

    return make


@pytest.fixture(scope="session")
def user(make_user: Callable[[], User]) -> User:
    return make_user()


@pytest.fixture(scope="session")
def other_user(make_user: Callable[[], User]) -> User:
    return make_user()


@pytest.fixture(scope="session")
def write_headers(service: Service, request: pytest.FixtureRequest) -> dict[str, str]:
    """What a caller needs to create, change or delete items: a token with auth on, nothing without."""
    if not service.auth:
        return {}
    user: User = request.getfixturevalue("user")
    return user.headers


@pytest.fixture
def need(service: Service) -> Callable[[str], None]:
    def check(part: str) -> None:
        if not getattr(service, part):
            pytest.skip(f"{part} is off in this project (answers: {service.answers})")

    return check


@pytest.fixture
def make_item(service: Service, client: httpx.Client, write_headers: dict[str, str]) -> Callable[..., dict[str, Any]]:
    if not service.database:
        pytest.skip("database is off in this project")

    def make(name: str | None = None, headers: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
        payload = {"name": name or f"item-{uuid.uuid4().hex[:8]}", **extra}
        r = client.post("/api/v1/items", json=payload, headers=write_headers if headers is None else headers)
        assert r.status_code == 201, f"POST /api/v1/items {payload} -> {r.status_code} {r.text}"
        return dict(r.json())

    return make

"""Tokens: HS256 only, signed with SECRET_KEY, and `sub`, `exp`, `iat`, `iss` and `aud` (both the project's name)
set and required. Every token here is forged with the service's own secret, so each one fails for its own reason."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import httpx
import jwt
import pytest
from support.service import Service

from .helpers import SECRETS, User, assert_bearer_challenge, json_body, show

REQUIRED_CLAIMS = ("sub", "exp", "iat", "iss", "aud")


@pytest.fixture(autouse=True)
def _auth_on(service: Service) -> None:
    if not service.auth:
        pytest.skip("auth is off in this project")


def _claims(service: Service, user: User) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": str(user.id), "iat": now, "exp": now + 600, "iss": service.project_name, "aud": service.project_name}


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=").decode()


def _forge(service: Service, claims: dict[str, Any], alg: str = "HS256") -> str:
    if alg == "none":
        return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    token = jwt.encode(claims, service.secret_key, algorithm=alg)
    SECRETS.append(token)
    return token


def _me(client: httpx.Client, token: str) -> httpx.Response:
    return client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})


def test_issued_token_is_hs256_with_issuer_and_audience(service: Service, user: User) -> None:
    header = jwt.get_unverified_header(user.token)
    assert header.get("alg") == "HS256", f"token header {header}"
    claims = jwt.decode(
        user.token,
        service.secret_key,
        algorithms=["HS256"],
        audience=service.project_name,
        issuer=service.project_name,
        options={"require": list(REQUIRED_CLAIMS)},
    )
    assert claims["sub"] == str(user.id), claims


def test_forged_token_with_every_claim_is_accepted(service: Service, client: httpx.Client, user: User) -> None:
    """The control for the refusals below: these claims, signed this way, are what the service issues."""
    r = _me(client, _forge(service, _claims(service, user)))
    assert r.status_code == 200, show(r)
    assert json_body(r).get("id") == user.id, show(r)


def _without(claim: str) -> Any:
    def change(claims: dict[str, Any]) -> None:
        del claims[claim]

    return change


def _setting(claim: str, value: Any) -> Any:
    def change(claims: dict[str, Any]) -> None:
        claims[claim] = value

    return change


BAD_CLAIMS = {
    "missing aud": _without("aud"),
    "wrong aud": _setting("aud", "some-other-service"),
    "missing iss": _without("iss"),
    "wrong iss": _setting("iss", "some-other-service"),
    "missing exp": _without("exp"),
    "missing iat": _without("iat"),
    "missing sub": _without("sub"),
    "expired": _setting("exp", int(time.time()) - 600),
    "user that does not exist": _setting("sub", "999999999"),
}


@pytest.mark.parametrize("kind", list(BAD_CLAIMS))
def test_token_with_bad_claims_is_refused(service: Service, client: httpx.Client, user: User, kind: str) -> None:
    claims = _claims(service, user)
    BAD_CLAIMS[kind](claims)
    if kind == "expired":
        claims["iat"] = claims["exp"] - 60
    assert_bearer_challenge(_me(client, _forge(service, claims)))


@pytest.mark.parametrize("alg", ["none", "HS384", "HS512"])
def test_token_with_another_algorithm_is_refused(service: Service, client: httpx.Client, user: User, alg: str) -> None:
    assert_bearer_challenge(_me(client, _forge(service, _claims(service, user), alg)))


def test_tasks_need_a_token(service: Service, client: httpx.Client, user: User) -> None:
    if not service.celery:
        pytest.skip("celery is off in this project")
    claims = _claims(service, user)
    claims["aud"] = "some-other-service"
    for headers in ({}, {"Authorization": f"Bearer {_forge(service, claims)}"}):
        assert_bearer_challenge(client.post("/api/v1/tasks/add", json={"x": 1, "y": 2}, headers=headers))
        assert_bearer_challenge(client.get(f"/api/v1/tasks/{uuid.uuid4()}", headers=headers))

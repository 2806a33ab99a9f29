"""JWT auth: registration, token issue (form and JSON), /users/me and the tokens it must refuse."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import httpx
import jwt
import pytest
from support.service import Service

from .helpers import (
    SECRETS,
    User,
    assert_bearer_challenge,
    assert_error,
    json_body,
    show,
    token_for,
    unique_email,
    unsigned_token,
)


@pytest.fixture(autouse=True)
def _auth_on(service: Service) -> None:
    if not service.auth:
        pytest.skip("auth is off (absence is checked in test_basics)")


def test_register(client: httpx.Client) -> None:
    email, password = unique_email(), f"pw-{uuid.uuid4().hex}"
    SECRETS.append(password)
    r = client.post("/api/v1/auth/register", json={"email": email, "password": password})
    assert r.status_code == 201, show(r)
    body = json_body(r)
    assert set(body) >= {"id", "email"} and body["email"] == email, body
    assert not {"password", "hashed_password", "password_hash"} & set(body), f"password material leaked: {body}"
    assert password not in r.text
    assert_error(client.post("/api/v1/auth/register", json={"email": email, "password": password}), 409)


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-email", "password": "long-enough-1"},
        {"email": "short@example.com", "password": "1234567"},
        {"email": "nopass@example.com"},
        {"password": "long-enough-1"},
        {},
    ],
)
def test_register_rejects_invalid(client: httpx.Client, body: dict[str, str]) -> None:
    assert_error(client.post("/api/v1/auth/register", json=body), 422)


def test_password_of_eight_is_enough(client: httpx.Client) -> None:
    r = client.post("/api/v1/auth/register", json={"email": unique_email(), "password": "Zq7#vK2m"})
    assert r.status_code == 201, show(r)


def _check_token(service: Service, r: httpx.Response, user: User) -> str:
    assert r.status_code == 200, show(r)
    body = json_body(r)
    assert body.get("token_type", "").lower() == "bearer" and body.get("access_token"), body
    assert isinstance(body.get("expires_in"), int) and body["expires_in"] > 0, body
    token = str(body["access_token"])
    SECRETS.append(token)
    claims = jwt.decode(token, service.secret_key, algorithms=["HS256"], audience=service.project_name)
    assert claims["sub"] == str(user.id), f"sub {claims['sub']!r} is not the user id {user.id!r}"
    assert abs(claims["exp"] - time.time() - body["expires_in"]) < 120, (claims, body)
    assert abs(body["expires_in"] - service.access_token_expire_minutes * 60) < 120, body
    return token


def test_token_from_oauth2_form(service: Service, client: httpx.Client, user: User) -> None:
    r = client.post("/api/v1/auth/token", data={"username": user.email, "password": user.password})
    token = _check_token(service, r, user)
    assert client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_token_from_json(service: Service, client: httpx.Client, user: User) -> None:
    r = client.post("/api/v1/auth/token", json={"email": user.email, "password": user.password})
    token = _check_token(service, r, user)
    assert client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_wrong_credentials(client: httpx.Client, user: User) -> None:
    wrong = "wrong-" + uuid.uuid4().hex
    SECRETS.append(wrong)
    for attempt in (
        {"data": {"username": user.email, "password": wrong}},
        {"json": {"email": user.email, "password": wrong}},
        {"json": {"email": unique_email("ghost"), "password": wrong}},
        {"data": {"username": unique_email("ghost"), "password": wrong}},
    ):
        r = client.post("/api/v1/auth/token", **attempt)  # type: ignore[arg-type]
        assert_error(r, 401)


def test_token_request_without_credentials(client: httpx.Client) -> None:
    assert_error(client.post("/api/v1/auth/token", json={}), 422)
    assert_error(client.post("/api/v1/auth/token", data={}), 422)


def test_me(client: httpx.Client, user: User) -> None:
    r = client.get("/api/v1/users/me", headers=user.headers)
    assert r.status_code == 200, show(r)
    body = json_body(r)
    assert body.get("id") == user.id and body.get("email") == user.email, body
    assert not {"password", "hashed_password", "password_hash"} & set(body), body


def _bad_tokens(service: Service, user: User) -> dict[str, dict[str, str]]:
    forged = token_for(user.id, "not-the-" + "secret-key-of-this-service-" * 2)
    expired = token_for(user.id, service.secret_key, exp_offset=-600)
    unknown_user = token_for(999_999_999 if isinstance(user.id, int) else str(uuid.uuid4()), service.secret_key)
    header = user.token.split(".")
    tampered = ".".join([header[0], token_for("0", "x" * 40).split(".")[1], header[2]])
    return {
        "missing": {},
        "empty bearer": {"Authorization": "Bearer"},
        "malformed": {"Authorization": "Bearer not.a.jwt"},
        "garbage": {"Authorization": "Bearer " + uuid.uuid4().hex},
        "wrong scheme": {"Authorization": f"Basic {user.token}"},
        "no scheme": {"Authorization": user.token},
        "forged signature": {"Authorization": f"Bearer {forged}"},
        "tampered payload": {"Authorization": f"Bearer {tampered}"},
        "expired": {"Authorization": f"Bearer {expired}"},
        "alg none": {"Authorization": f"Bearer {unsigned_token(user.id)}"},
        "user that does not exist": {"Authorization": f"Bearer {unknown_user}"},
    }


@pytest.mark.parametrize(
    "kind",
    [
        "missing",
        "empty bearer",
        "malformed",
        "garbage",
        "wrong scheme",
        "no scheme",
        "forged signature",
        "tampered payload",
        "expired",
        "alg none",
        "user that does not exist",
    ],
)
def test_me_refuses_bad_tokens(service: Service, client: httpx.Client, user: User, kind: str) -> None:
    headers = _bad_tokens(service, user)[kind]
    assert_bearer_challenge(client.get("/api/v1/users/me", headers=headers))


def test_users_are_distinct(client: httpx.Client, make_user: Callable[[], User], user: User) -> None:
    other = make_user()
    me = json_body(client.get("/api/v1/users/me", headers=other.headers))
    assert me["email"] == other.email and me["id"] != user.id

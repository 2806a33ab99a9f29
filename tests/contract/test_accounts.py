"""Accounts of contract version 3: common passwords and passwords made of the address are refused, and an
address is one account whatever its case."""

from __future__ import annotations

import uuid

import httpx
import pytest
from support.service import Service

from .helpers import SECRETS, assert_error, show

# Each on every published list of the most common passwords, and 8+ characters long.
COMMON = ["password1", "qwerty123", "12345678", "iloveyou", "sunshine"]


@pytest.fixture(autouse=True)
def _auth_on(service: Service) -> None:
    if not service.auth:
        pytest.skip("auth is off (absence is checked in test_basics)")


def _says_why(r: httpx.Response, *words: str) -> None:
    body = assert_error(r, 422)
    text = str(body["detail"]).lower()
    assert any(word in text for word in words), f"the 422 does not say why (expected one of {words}): {show(r)}"


@pytest.mark.parametrize("password", COMMON)
def test_common_password_is_refused(client: httpx.Client, password: str) -> None:
    email = f"common-{uuid.uuid4().hex[:12]}@example.com"
    _says_why(client.post("/api/v1/auth/register", json={"email": email, "password": password}), "common")


def test_password_with_the_address_is_refused(client: httpx.Client) -> None:
    local = f"marguerite{uuid.uuid4().hex[:6]}"
    password = f"{local}-2024!"
    SECRETS.append(password)
    r = client.post("/api/v1/auth/register", json={"email": f"{local}@example.com", "password": password})
    _says_why(r, "email", "address")


def test_addresses_are_one_account_whatever_the_case(client: httpx.Client) -> None:
    tag = uuid.uuid4().hex[:10]
    mixed, lower = f"Bob-{tag}@Example.com", f"bob-{tag}@example.com"
    password = f"pw-{uuid.uuid4().hex}"
    SECRETS.append(password)
    r = client.post("/api/v1/auth/register", json={"email": mixed, "password": password})
    assert r.status_code == 201, show(r)
    assert_error(client.post("/api/v1/auth/register", json={"email": lower, "password": password}), 409)
    for email in (mixed, lower):
        r = client.post("/api/v1/auth/token", data={"username": email, "password": password})
        assert r.status_code == 200, f"login as {email}: {show(r)}"
        SECRETS.append(r.json()["access_token"])

"""The items resource: CRUD, validation, pagination and, with auth on, ownership."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest
from support.service import Service

from .helpers import User, assert_bearer_challenge, assert_error, json_body, show

MakeItem = Callable[..., dict[str, Any]]


@pytest.fixture(autouse=True)
def _database_on(service: Service) -> None:
    if not service.database:
        pytest.skip("database is off (absence is checked in test_basics)")


def missing_id(item: dict[str, Any]) -> str:
    """An id of the same kind as item's that no item has."""
    return str(2**31 - 7) if isinstance(item["id"], int) else str(uuid.uuid4())


def test_create_returns_the_item(make_item: MakeItem) -> None:
    item = make_item(name="widget", description="a thing")
    assert set(item) >= {"id", "name", "description", "created_at"}, item
    assert item["name"] == "widget" and item["description"] == "a thing", item
    datetime.fromisoformat(item["created_at"].replace("Z", "+00:00"))


def test_description_is_optional(make_item: MakeItem) -> None:
    item = make_item(name="bare")
    assert item["description"] is None, item


def test_name_length_bounds(
    service: Service, client: httpx.Client, write_headers: dict[str, str], make_item: MakeItem
) -> None:
    assert make_item(name="x" * 200)["name"] == "x" * 200
    assert make_item(name="y")["name"] == "y"
    for body in ({"name": ""}, {"name": "x" * 201}, {}, {"description": "no name"}, {"name": 5}, {"name": None}):
        assert_error(client.post("/api/v1/items", json=body, headers=write_headers), 422)


def test_malformed_json_is_rejected(client: httpx.Client, write_headers: dict[str, str]) -> None:
    r = client.post(
        "/api/v1/items", content=b"{not json", headers={**write_headers, "Content-Type": "application/json"}
    )
    assert_error(r, 422)


def test_get_one(client: httpx.Client, make_item: MakeItem) -> None:
    item = make_item(description="d")
    r = client.get(f"/api/v1/items/{item['id']}")
    assert r.status_code == 200, show(r)
    assert json_body(r) == item, show(r)
    assert_error(client.get(f"/api/v1/items/{missing_id(item)}"), 404)


def test_patch(client: httpx.Client, write_headers: dict[str, str], make_item: MakeItem) -> None:
    item = make_item(name="before", description="kept")
    r = client.patch(f"/api/v1/items/{item['id']}", json={"name": "after"}, headers=write_headers)
    assert r.status_code == 200, show(r)
    body = json_body(r)
    assert body["name"] == "after" and body["description"] == "kept" and body["id"] == item["id"], body
    r = client.patch(f"/api/v1/items/{item['id']}", json={"description": "changed"}, headers=write_headers)
    assert r.status_code == 200 and json_body(r)["description"] == "changed", show(r)
    assert json_body(client.get(f"/api/v1/items/{item['id']}"))["name"] == "after"
    for body in ({"name": ""}, {"name": "x" * 201}, {"name": 7}):
        assert_error(client.patch(f"/api/v1/items/{item['id']}", json=body, headers=write_headers), 422)
    assert_error(client.patch(f"/api/v1/items/{missing_id(item)}", json={"name": "n"}, headers=write_headers), 404)


def test_delete(client: httpx.Client, write_headers: dict[str, str], make_item: MakeItem) -> None:
    item = make_item()
    r = client.delete(f"/api/v1/items/{item['id']}", headers=write_headers)
    assert r.status_code == 204, show(r)
    assert r.content == b"", f"204 with a body: {show(r)}"
    assert_error(client.get(f"/api/v1/items/{item['id']}"), 404)
    assert_error(client.delete(f"/api/v1/items/{item['id']}", headers=write_headers), 404)


def test_list_shape_and_default_limit(client: httpx.Client, make_item: MakeItem) -> None:
    make_item()
    r = client.get("/api/v1/items")
    assert r.status_code == 200, show(r)
    body = json_body(r)
    assert set(body) >= {"items", "total", "limit", "offset"}, body
    assert body["limit"] == 20 and body["offset"] == 0, body
    assert isinstance(body["items"], list) and len(body["items"]) <= 20, body
    assert isinstance(body["total"], int) and body["total"] >= len(body["items"]) >= 1, body


def test_list_pagination(client: httpx.Client, make_item: MakeItem) -> None:
    created = [make_item(name=f"page-{i}") for i in range(3)]
    total = json_body(client.get("/api/v1/items"))["total"]
    assert total >= 3
    r = client.get("/api/v1/items", params={"limit": 2, "offset": 0})
    body = json_body(r)
    assert body["limit"] == 2 and body["offset"] == 0 and len(body["items"]) == 2, show(r)
    last = json_body(client.get("/api/v1/items", params={"limit": 1, "offset": total - 1}))
    assert len(last["items"]) == 1 and last["offset"] == total - 1, last
    beyond = json_body(client.get("/api/v1/items", params={"limit": 5, "offset": total}))
    assert beyond["items"] == [] and beyond["total"] == total, beyond
    # Every item is reachable through pages, each once.
    seen: list[Any] = []
    for offset in range(0, total, 100):
        seen += [
            i["id"] for i in json_body(client.get("/api/v1/items", params={"limit": 100, "offset": offset}))["items"]
        ]
    assert len(seen) == len(set(seen)) == total, f"{len(seen)} listed, {len(set(seen))} distinct, total {total}"
    assert {c["id"] for c in created} <= set(seen)


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 101}, {"limit": -1}, {"offset": -1}, {"limit": "many"}, {"offset": "x"}]
)
def test_list_bounds(client: httpx.Client, params: dict[str, Any]) -> None:
    assert_error(client.get("/api/v1/items", params=params), 422)


@pytest.mark.parametrize("limit", [1, 100])
def test_list_limits_accepted(client: httpx.Client, limit: int) -> None:
    r = client.get("/api/v1/items", params={"limit": limit})
    assert r.status_code == 200 and json_body(r)["limit"] == limit, show(r)


# Ownership (auth on)
@pytest.fixture
def _auth_on(service: Service) -> None:
    if not service.auth:
        pytest.skip("auth is off")


@pytest.mark.usefixtures("_auth_on")
def test_writes_need_a_token(client: httpx.Client, make_item: MakeItem) -> None:
    item = make_item()
    assert_bearer_challenge(client.post("/api/v1/items", json={"name": "anon"}))
    assert_bearer_challenge(client.patch(f"/api/v1/items/{item['id']}", json={"name": "anon"}))
    assert_bearer_challenge(client.delete(f"/api/v1/items/{item['id']}"))
    bad = {"Authorization": "Bearer not-a-token"}
    assert_bearer_challenge(client.post("/api/v1/items", json={"name": "anon"}, headers=bad))
    # Reading stays open.
    assert client.get(f"/api/v1/items/{item['id']}").status_code == 200
    assert client.get("/api/v1/items").status_code == 200


@pytest.mark.usefixtures("_auth_on")
def test_only_the_owner_changes_an_item(
    client: httpx.Client, make_item: MakeItem, user: User, other_user: User
) -> None:
    item = make_item(headers=user.headers)
    r = client.patch(f"/api/v1/items/{item['id']}", json={"name": "taken"}, headers=other_user.headers)
    assert_error(r, 403)
    assert_error(client.delete(f"/api/v1/items/{item['id']}", headers=other_user.headers), 403)
    assert json_body(client.get(f"/api/v1/items/{item['id']}"))["name"] == item["name"]
    # The other user's own items are theirs to change.
    theirs = make_item(headers=other_user.headers)
    r = client.patch(f"/api/v1/items/{theirs['id']}", json={"name": "mine"}, headers=other_user.headers)
    assert r.status_code == 200, show(r)
    assert client.delete(f"/api/v1/items/{item['id']}", headers=user.headers).status_code == 204


def test_writes_need_no_token_without_auth(service: Service, client: httpx.Client, make_item: MakeItem) -> None:
    if service.auth:
        pytest.skip("auth is on")
    item = make_item(headers={})
    assert client.patch(f"/api/v1/items/{item['id']}", json={"name": "free"}).status_code == 200
    assert client.delete(f"/api/v1/items/{item['id']}").status_code == 204

"""Reads after writes never return stale data (with the cache on, reads come from Redis)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from support.service import Service

from .helpers import assert_error, json_body


@pytest.fixture(autouse=True)
def _database_on(service: Service) -> None:
    if not service.database:
        pytest.skip("database is off")


def _listed(client: httpx.Client, item_id: Any) -> dict[str, Any] | None:
    total = json_body(client.get("/api/v1/items"))["total"]
    for offset in range(0, total, 100):
        page = json_body(client.get("/api/v1/items", params={"limit": 100, "offset": offset}))
        for item in page["items"]:
            if item["id"] == item_id:
                return dict(item)
    return None


def test_item_read_write_read(
    client: httpx.Client, write_headers: dict[str, str], make_item: Callable[..., dict[str, Any]]
) -> None:
    item = make_item(name="cache-v1", description="one")
    path = f"/api/v1/items/{item['id']}"
    for _ in range(2):  # the second read would be served from the cache
        assert json_body(client.get(path))["name"] == "cache-v1"
    assert client.patch(path, json={"name": "cache-v2"}, headers=write_headers).status_code == 200
    assert json_body(client.get(path))["name"] == "cache-v2", "stale item after PATCH"
    assert client.patch(path, json={"description": "two"}, headers=write_headers).status_code == 200
    fresh = json_body(client.get(path))
    assert (fresh["name"], fresh["description"]) == ("cache-v2", "two"), f"stale item after PATCH: {fresh}"
    assert client.delete(path, headers=write_headers).status_code == 204
    assert_error(client.get(path), 404)


def test_list_read_write_read(
    client: httpx.Client, write_headers: dict[str, str], make_item: Callable[..., dict[str, Any]]
) -> None:
    before = json_body(client.get("/api/v1/items"))
    json_body(client.get("/api/v1/items"))
    item = make_item(name="cache-list-v1")
    after = json_body(client.get("/api/v1/items"))
    assert after["total"] == before["total"] + 1, f"stale list after POST: total {before['total']} -> {after['total']}"
    assert (_listed(client, item["id"]) or {}).get("name") == "cache-list-v1"
    client.patch(f"/api/v1/items/{item['id']}", json={"name": "cache-list-v2"}, headers=write_headers)
    assert (_listed(client, item["id"]) or {}).get("name") == "cache-list-v2", "stale list after PATCH"
    client.delete(f"/api/v1/items/{item['id']}", headers=write_headers)
    assert _listed(client, item["id"]) is None, "stale list after DELETE"
    assert json_body(client.get("/api/v1/items"))["total"] == before["total"]

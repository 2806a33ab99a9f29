import json
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

Headers = dict[str, str]


def _create(client: TestClient, headers: Headers, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/items", json={"name": "an item", **fields}, headers=headers)
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


def test_no_items_yet(client: TestClient) -> None:
    response = client.get("/api/v1/items")

    assert response.status_code == 200
    assert response.json() == {"items": [], "total": 0, "limit": 20, "offset": 0}


def test_create_an_item(client: TestClient, auth_headers: Headers) -> None:
    response = client.post(
        "/api/v1/items", json={"name": "lamp", "description": "a desk lamp"}, headers=auth_headers
    )

    assert response.status_code == 201
    item = response.json()
    assert set(item) == {"id", "name", "description", "created_at"}
    assert (item["name"], item["description"]) == ("lamp", "a desk lamp")
    assert datetime.fromisoformat(item["created_at"]).utcoffset() is not None
    assert client.get(f"/api/v1/items/{item['id']}").json() == item


def test_the_description_is_optional(client: TestClient, auth_headers: Headers) -> None:
    assert _create(client, auth_headers)["description"] is None


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "x" * 201},
        {"name": None},
        {"name": 42},
        {"name": "nul\u0000character"},
        {"name": "lone \ud800 surrogate"},
        {"name": "ok", "description": "x" * 2001},
    ],
)
def test_an_invalid_item_is_refused(client: TestClient, auth_headers: Headers, body: Any) -> None:
    # Encoded here: the client would refuse to send the lone surrogate.
    headers = {**auth_headers, "Content-Type": "application/json"}
    response = client.post("/api/v1/items", content=json.dumps(body), headers=headers)

    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_a_name_may_have_200_characters(client: TestClient, auth_headers: Headers) -> None:
    assert _create(client, auth_headers, name="é" * 200)["name"] == "é" * 200


def test_read_an_unknown_item(client: TestClient) -> None:
    response = client.get("/api/v1/items/999")

    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found"}


@pytest.mark.parametrize("item_id", ["0", "-1", "2147483648", "abc"])
def test_an_invalid_id_is_refused(client: TestClient, item_id: str) -> None:
    assert client.get(f"/api/v1/items/{item_id}").status_code == 422


def test_pages_of_items(client: TestClient, auth_headers: Headers) -> None:
    ids = [_create(client, auth_headers, name=f"item {n}")["id"] for n in range(3)]

    first = client.get("/api/v1/items", params={"limit": 2}).json()
    second = client.get("/api/v1/items", params={"limit": 2, "offset": 2}).json()

    assert [item["id"] for item in first["items"]] == ids[:2]
    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0)
    assert [item["id"] for item in second["items"]] == ids[2:]
    assert (second["total"], second["limit"], second["offset"]) == (3, 2, 2)


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "x"}])
def test_invalid_paging_is_refused(client: TestClient, params: dict[str, Any]) -> None:
    assert client.get("/api/v1/items", params=params).status_code == 422


def test_update_changes_only_the_fields_given(client: TestClient, auth_headers: Headers) -> None:
    item = _create(client, auth_headers, name="old", description="kept")

    response = client.patch(
        f"/api/v1/items/{item['id']}", json={"name": "new"}, headers=auth_headers
    )

    assert response.status_code == 200
    assert response.json() == {**item, "name": "new"}
    assert client.get(f"/api/v1/items/{item['id']}").json() == {**item, "name": "new"}


def test_update_can_clear_the_description(client: TestClient, auth_headers: Headers) -> None:
    item = _create(client, auth_headers, description="to clear")

    response = client.patch(
        f"/api/v1/items/{item['id']}", json={"description": None}, headers=auth_headers
    )

    assert response.json()["description"] is None


@pytest.mark.parametrize("body", [{"name": None}, {"name": ""}, {"description": 1}])
def test_an_invalid_update_is_refused(client: TestClient, auth_headers: Headers, body: Any) -> None:
    item = _create(client, auth_headers)

    response = client.patch(f"/api/v1/items/{item['id']}", json=body, headers=auth_headers)

    assert response.status_code == 422


def test_update_an_unknown_item(client: TestClient, auth_headers: Headers) -> None:
    response = client.patch("/api/v1/items/999", json={"name": "x"}, headers=auth_headers)

    assert response.status_code == 404


def test_delete_an_item(client: TestClient, auth_headers: Headers) -> None:
    item = _create(client, auth_headers)

    response = client.delete(f"/api/v1/items/{item['id']}", headers=auth_headers)

    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/api/v1/items/{item['id']}").status_code == 404
    assert client.delete(f"/api/v1/items/{item['id']}", headers=auth_headers).status_code == 404

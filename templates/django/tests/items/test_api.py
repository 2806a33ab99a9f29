from typing import Any

from django.test import Client

Headers = dict[str, str]


def _create(client: Client, headers: Headers, **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/items", body, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    item: dict[str, Any] = response.json()
    return item


def test_create_read_update_delete(client: Client, write_headers: Headers) -> None:
    item = _create(client, write_headers, name="first", description="one")
    assert set(item) == {"id", "name", "description", "created_at"}

    assert client.get(f"/api/v1/items/{item['id']}").json() == item

    response = client.patch(
        f"/api/v1/items/{item['id']}",
        {"name": "renamed"},
        content_type="application/json",
        headers=write_headers,
    )
    assert response.status_code == 200
    assert response.json() == {**item, "name": "renamed"}

    response = client.delete(f"/api/v1/items/{item['id']}", headers=write_headers)
    assert response.status_code == 204
    assert client.get(f"/api/v1/items/{item['id']}").status_code == 404


def test_list_pages_in_creation_order(client: Client, write_headers: Headers) -> None:
    ids = [_create(client, write_headers, name=f"item {n}")["id"] for n in range(3)]

    page = client.get("/api/v1/items", {"limit": 2, "offset": 1}).json()

    assert [item["id"] for item in page["items"]] == ids[1:]
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)


def test_invalid_bodies_and_queries_are_422(client: Client, write_headers: Headers) -> None:
    for body in ({}, {"name": ""}, {"name": "x" * 201}, {"name": "nul\x00"}):
        response = client.post(
            "/api/v1/items", body, content_type="application/json", headers=write_headers
        )
        assert response.status_code == 422, body
        assert all("input" not in problem for problem in response.json()["detail"])
    assert client.get("/api/v1/items", {"limit": 0}).status_code == 422
    item = _create(client, write_headers, name="kept")
    response = client.patch(
        f"/api/v1/items/{item['id']}",
        {"name": None},
        content_type="application/json",
        headers=write_headers,
    )
    assert response.status_code == 422


def test_missing_items_are_404(client: Client, write_headers: Headers) -> None:
    assert client.get("/api/v1/items/999").json() == {"detail": "Item not found"}
    assert client.delete("/api/v1/items/999", headers=write_headers).status_code == 404
    response = client.patch(
        "/api/v1/items/999", {}, content_type="application/json", headers=write_headers
    )
    assert response.status_code == 404


def test_a_body_that_is_not_json_is_a_422(client: Client, write_headers: Headers) -> None:
    response = client.post(
        "/api/v1/items", b"{not json", content_type="application/json", headers=write_headers
    )

    assert response.status_code == 422


def test_a_body_nested_too_deep_to_parse_is_a_422(client: Client, write_headers: Headers) -> None:
    body = b"[" * 100_000
    response = client.post(
        "/api/v1/items", body, content_type="application/json", headers=write_headers
    )

    assert response.status_code == 422


def test_a_body_of_another_media_type_is_a_415(client: Client, write_headers: Headers) -> None:
    response = client.post(
        "/api/v1/items", b'{"name": "plain"}', content_type="text/plain", headers=write_headers
    )

    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]
    assert client.get("/api/v1/items").json()["total"] == 0


def test_head_answers_every_get_route_without_a_body(
    client: Client, write_headers: Headers
) -> None:
    item = _create(client, write_headers, name="headed")
    for path in ("/api/v1/items", f"/api/v1/items/{item['id']}", "/api/v1/items/999999"):
        got, head = client.get(path), client.head(path)

        assert head.status_code == got.status_code
        assert head.content == b""
        assert head["Content-Type"] == got["Content-Type"]
        assert head["Content-Length"] == str(len(got.content))

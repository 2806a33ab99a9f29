from webtest import TestApp

ITEMS = "/api/v1/items"


def test_create_read_update_and_delete_an_item(
    client: TestApp, auth_headers: dict[str, str]
) -> None:
    created = client.post_json(ITEMS, {"name": "first"}, headers=auth_headers, status=201).json
    url = f"{ITEMS}/{created['id']}"

    assert created["name"] == "first"
    assert created["description"] is None
    assert client.get(url).json == created
    changed = client.patch_json(url, {"description": "more"}, headers=auth_headers).json
    assert changed == {**created, "description": "more"}
    client.delete(url, headers=auth_headers, status=204)
    assert client.get(url, status=404).json == {"detail": "Item not found"}


def test_items_are_listed_a_page_at_a_time(client: TestApp, auth_headers: dict[str, str]) -> None:
    for name in ("a", "b", "c"):
        client.post_json(ITEMS, {"name": name}, headers=auth_headers, status=201)

    page = client.get(ITEMS, {"limit": 2, "offset": 1}).json

    assert [item["name"] for item in page["items"]] == ["b", "c"]
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)


def test_invalid_requests_are_422_without_the_input(
    client: TestApp, auth_headers: dict[str, str]
) -> None:
    nameless = client.post_json(ITEMS, {"name": ""}, headers=auth_headers, status=422).json
    undecodable = client.post(
        ITEMS, "{", headers=auth_headers, content_type="application/json", status=422
    ).json

    assert nameless["detail"][0]["loc"] == ["body", "name"]
    assert "input" not in nameless["detail"][0]
    assert undecodable["detail"][0]["type"] == "json_invalid"
    assert client.get(ITEMS, {"limit": 0}, status=422).json["detail"][0]["loc"] == [
        "query",
        "limit",
    ]
    assert client.get(f"{ITEMS}/zero", status=422)


def test_a_body_of_another_content_type_is_a_415(
    client: TestApp, auth_headers: dict[str, str]
) -> None:
    body = '{"name": "an item"}'

    typed = client.post(ITEMS, body, headers=auth_headers, content_type="text/plain", status=415)
    untyped = client.post(ITEMS, body, headers=auth_headers, content_type="", status=415)

    assert typed.json == untyped.json
    assert typed.json["detail"] == "The body must be JSON (Content-Type: application/json)"
    assert client.get(ITEMS).json["total"] == 0


def test_a_name_cannot_be_set_to_null(client: TestApp, auth_headers: dict[str, str]) -> None:
    created = client.post_json(ITEMS, {"name": "kept"}, headers=auth_headers, status=201).json

    client.patch_json(f"{ITEMS}/{created['id']}", {"name": None}, headers=auth_headers, status=422)


def test_changing_a_missing_item_is_a_404(client: TestApp, auth_headers: dict[str, str]) -> None:
    client.patch_json(f"{ITEMS}/999", {"name": "x"}, headers=auth_headers, status=404)
    client.delete(f"{ITEMS}/999", headers=auth_headers, status=404)


def test_the_items_routes_are_documented(client: TestApp) -> None:
    paths = client.get("/openapi.json").json["paths"]

    assert set(paths[ITEMS]) == {"get", "post"}
    assert set(paths[ITEMS + "/{item_id}"]) == {"get", "patch", "delete"}

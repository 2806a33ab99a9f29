"""The update scenario of a Django project."""

from __future__ import annotations

from . import PACKAGE, UpdateScenario

SCENARIO = UpdateScenario(
    template_routes="templates/django/src/{{ package_name }}/items/api.py",
    routes=f"src/{PACKAGE}/items/api.py",
    # A new endpoint, placed before /{item_id} so that it is matched first.
    route_anchor="    return reads.page(limit=limit, offset=offset)\n",
    user_route='''

@router.get("/count", response={200: dict[str, int]})
def count_items(request: HttpRequest) -> dict[str, int]:
    """How many items there are, without reading any of them."""
    return {"total": Item.objects.count()}
''',
    route_tests="tests/items/test_api.py",
    user_test="""

def test_count_items(client: Client, write_headers: Headers) -> None:
    for name in ("first", "second"):
        _create(client, write_headers, name=name)

    response = client.get("/api/v1/items/count")

    assert response.status_code == 200
    assert response.json() == {"total": 2}
""",
    docstring_anchor="def delete_item(request: HttpRequest, item_id: ItemId) -> Status[None]:\n",
    template_docstring='    """Delete the item for good; reading it afterwards is a 404."""\n',
    template_health_tests="templates/django/tests/test_health.py.jinja",
    health_tests="tests/test_health.py",
    health_test_anchor="def test_not_ready_while_migrations_are_pending(",
    template_test="""def test_health_ignores_failing_readiness_checks(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda *_: [("items", "0002")])

    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


""",
    route_order=('"/count"', '"/{item_id}"'),
)

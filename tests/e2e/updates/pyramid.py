"""The update scenario of a Pyramid project."""

from __future__ import annotations

from . import PACKAGE, UpdateScenario

SCENARIO = UpdateScenario(
    template_routes="templates/pyramid/src/{{ package_name }}/{% if database != 'none' %}items{% endif %}/views.py",
    routes=f"src/{PACKAGE}/items/views.py",
    # A new view on the item route, chosen over read_item by its extra predicate whatever the order.
    route_anchor="    return context.service.page(limit=page.limit, offset=page.offset)\n",
    user_route='''

@view_config(route_name="item", request_method="GET", renderer="json", match_param="item_id=count")
def count_items(context: Items, _request: Request) -> dict[str, int]:
    """How many items there are, without reading any of them."""
    return {"total": context.service.page(limit=1, offset=0).total}
''',
    route_tests="tests/items/test_routes.py",
    user_test="""

def test_count_items(client: TestApp, auth_headers: dict[str, str]) -> None:
    for name in ("first", "second"):
        client.post_json(ITEMS, {"name": name}, headers=auth_headers, status=201)

    response = client.get(f"{ITEMS}/count")

    assert response.json == {"total": 2}
""",
    docstring_anchor="def delete_item(context: ItemResource, _request: Request) -> HTTPNoContent:\n",
    template_docstring='    """Delete the item for good; reading it afterwards is a 404."""\n',
    template_health_tests="templates/pyramid/tests/test_health.py.jinja",
    health_tests="tests/test_health.py",
    health_test_anchor="def test_ready_checks_each_backing_service(",
    template_test="""def test_health_ignores_failing_readiness_checks(
    client: TestApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(client.app.registry["readiness_checks"], "broken", ReadinessCheck(_fail))

    response = client.get("/health")

    assert response.json == {"status": "ok"}


""",
    route_order=None,
)

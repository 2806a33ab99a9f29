"""The update scenario of a FastAPI project."""

from __future__ import annotations

from . import PACKAGE, UpdateScenario

SCENARIO = UpdateScenario(
    template_routes="templates/fastapi/src/{{ package_name }}/{% if database != 'none' %}items{% endif %}/routes.py",
    routes=f"src/{PACKAGE}/items/routes.py",
    # A new endpoint, placed before /{item_id} so that it is matched first.
    route_anchor="    return await items.page(limit=limit, offset=offset)\n",
    user_route='''

@router.get("/count")
async def count_items(items: ItemServiceDep) -> dict[str, int]:
    """How many items there are, without reading any of them."""
    page = await items.page(limit=1, offset=0)
    return {"total": page.total}
''',
    route_tests="tests/items/test_routes.py",
    user_test="""

def test_count_items(client: TestClient, auth_headers: Headers) -> None:
    for name in ("first", "second"):
        _create(client, auth_headers, name=name)

    response = client.get("/api/v1/items/count")

    assert response.status_code == 200
    assert response.json() == {"total": 2}
""",
    docstring_anchor="async def delete_item(item: ChangeableItem, items: ItemServiceDep) -> None:\n",
    template_docstring='    """Delete the item for good; reading it afterwards is a 404."""\n',
    template_health_tests="templates/fastapi/tests/test_health.py.jinja",
    health_tests="tests/test_health.py",
    health_test_anchor="def test_ready_when_every_backing_service_answers(",
    template_test="""def test_health_ignores_failing_readiness_checks(app: FastAPI, client: TestClient) -> None:
    app.state.readiness_checks["broken"] = _unreachable

    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


""",
    route_order=('"/count"', '"/{item_id}"'),
)

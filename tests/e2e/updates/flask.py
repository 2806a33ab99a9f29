"""The update scenario of a Flask project."""

from __future__ import annotations

from . import PACKAGE, UpdateScenario

SCENARIO = UpdateScenario(
    template_routes="templates/flask/src/{{ package_name }}/{% if database != 'none' %}items{% endif %}/routes.py",
    routes=f"src/{PACKAGE}/items/routes.py",
    # A new endpoint; Flask's int converter keeps /count apart from /<int:item_id> in any order.
    route_anchor="    return item_service().page(limit=query.limit, offset=query.offset)\n",
    user_route='''

@bp.get("/count")
def count_items() -> dict[str, int]:
    """How many items there are, without reading any of them."""
    return {"total": item_service().page(limit=1, offset=0).total}
''',
    route_tests="tests/items/test_routes.py",
    user_test="""

def test_count_items(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    for name in ("first", "second"):
        client.post(ITEMS, json={"name": name}, headers=auth_headers)

    response = client.get(f"{ITEMS}/count")

    assert response.status_code == 200
    assert response.json == {"total": 2}
""",
    docstring_anchor="def delete_item(item_id: int) -> tuple[str, int]:\n",
    template_docstring='    """Delete the item for good; reading it afterwards is a 404."""\n',
    template_health_tests="templates/flask/tests/test_app.py.jinja",
    health_tests="tests/test_app.py",
    health_test_anchor="def test_ready_names_each_dependency(",
    template_test="""def test_health_ignores_failing_readiness_checks(app: Flask) -> None:
    add_readiness_check(app, "broken", _fail(ConnectionError("down")))

    response = app.test_client().get("/health")

    assert response.status_code == 200
    assert response.json == {"status": "ok"}


""",
)

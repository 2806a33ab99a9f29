"""The update scenario of a Tornado project."""

from __future__ import annotations

from . import PACKAGE, UpdateScenario

SCENARIO = UpdateScenario(
    template_routes="templates/tornado/src/{{ package_name }}/{% if database != 'none' %}items{% endif %}/handlers.py",
    routes=f"src/{PACKAGE}/items/handlers.py",
    # A new handler, registered ahead of /{item_id} so that it is matched first.
    route_anchor="HANDLERS: list[type[BaseHandler]] = [ItemsHandler, ItemHandler]\n",
    user_route="""

class ItemCountHandler(BaseHandler):
    route = "/api/v1/items/count"

    @operation(
        "How many items there are, without reading any of them",
        tags=["items"],
        responses={HTTPStatus.OK: (None, 'The count, as {"total": N}')},
    )
    async def get(self) -> None:
        async with item_service(self) as items:
            page = await items.page(limit=1, offset=0)
        self.write_json({"total": page.total})


HANDLERS.insert(HANDLERS.index(ItemHandler), ItemCountHandler)
""",
    route_tests="tests/items/test_routes.py",
    user_test="""

def test_count_items(client: Client, auth_headers: Headers) -> None:
    for name in ("first", "second"):
        _create(client, auth_headers, name=name)

    response = client.get("/api/v1/items/count")

    assert response.status_code == 200
    assert response.json() == {"total": 2}
""",
    docstring_anchor="    async def patch(self, item_id: str) -> None:\n",
    template_docstring='        """Change the fields given; the others keep their value."""\n',
    template_health_tests="templates/tornado/tests/test_health.py.jinja",
    health_tests="tests/test_health.py",
    health_test_anchor="def test_ready_when_every_backing_service_answers(",
    template_test="""def test_health_ignores_failing_readiness_checks(app: Application, client: Client) -> None:
    app.settings["readiness_checks"]["broken"] = ReadinessCheck(_unreachable)

    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


""",
    route_order=("class ItemCountHandler", "HANDLERS.insert(HANDLERS.index(ItemHandler)"),
)

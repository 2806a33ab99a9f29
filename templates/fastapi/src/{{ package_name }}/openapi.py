"""How the OpenAPI document names each operation: generated clients name their methods so."""

from fastapi.routing import APIRoute


def operation_id(route: APIRoute) -> str:
    """`items-list_items` (first tag, then the route's name), not FastAPI's default
    `list_items_api_v1_items_get`, which repeats the path and method in every method's name."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name

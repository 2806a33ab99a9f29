"""The OpenAPI document lists every /api route that is on, none that is off, with their statuses."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from support.service import Service

from .helpers import find_path, json_body, show

# (part, path, method, success status)
ROUTES = [
    ("database", "/api/v1/items", "get", "200"),
    ("database", "/api/v1/items", "post", "201"),
    ("database", "/api/v1/items/{id}", "get", "200"),
    ("database", "/api/v1/items/{id}", "patch", "200"),
    ("database", "/api/v1/items/{id}", "delete", "204"),
    ("auth", "/api/v1/auth/register", "post", "201"),
    ("auth", "/api/v1/auth/token", "post", "200"),
    ("auth", "/api/v1/users/me", "get", "200"),
    ("celery", "/api/v1/tasks/add", "post", "202"),
    ("celery", "/api/v1/tasks/{id}", "get", "200"),
]


@pytest.fixture(scope="module")
def document(client: httpx.Client) -> dict[str, Any]:
    r = client.get("/openapi.json")
    assert r.status_code == 200, show(r)
    return dict(json_body(r))


def test_is_openapi_3(document: dict[str, Any]) -> None:
    assert str(document.get("openapi", "")).startswith("3."), document.get("openapi")
    assert isinstance(document.get("paths"), dict) and document.get("info", {}).get("title")


@pytest.mark.parametrize(
    ("part", "path", "method", "status"), ROUTES, ids=[f"{m.upper()} {p}" for _, p, m, _ in ROUTES]
)
def test_route_documented_when_on(
    service: Service, document: dict[str, Any], part: str, path: str, method: str, status: str
) -> None:
    found = find_path(document["paths"], path)
    if not getattr(service, part):
        assert found is None or method not in document["paths"][found], f"{part} is off, yet {path} is documented"
        return
    assert found, f"{path} missing from /openapi.json paths: {sorted(document['paths'])}"
    operation = document["paths"][found].get(method)
    assert operation, f"{method.upper()} {path} not documented"
    assert status in operation.get("responses", {}), (
        f"{method.upper()} {path} documents {sorted(operation.get('responses', {}))}, not its {status}"
    )
    if method in {"post", "patch"} and path != "/api/v1/auth/token":
        assert "requestBody" in operation, f"{method.upper()} {path} documents no request body"


def test_auth_scheme_documented(service: Service, document: dict[str, Any]) -> None:
    if not service.auth:
        pytest.skip("auth is off")
    schemes = document.get("components", {}).get("securitySchemes", {})
    kinds = {(s.get("type"), str(s.get("scheme", "")).lower()) for s in schemes.values()}
    assert any(t == "oauth2" or (t == "http" and scheme == "bearer") for t, scheme in kinds), schemes

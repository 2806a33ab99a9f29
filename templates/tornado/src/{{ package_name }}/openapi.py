"""The OpenAPI 3 document of the API, built from the route table and pydantic models, and /docs.

Each handler method that the document describes carries an `@operation(...)`: its bodies,
parameters and responses are the pydantic models the method itself validates and answers with, so
the document cannot drift from the code (tests/test_openapi.py checks every route against it).
/docs is Swagger UI, whose scripts and styles the service serves itself: it works offline.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from importlib.metadata import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel
from pydantic.json_schema import (
    GenerateJsonSchema,
    JsonSchemaMode,
    JsonSchemaValue,
    models_json_schema,
)
from pydantic_core import core_schema
from tornado.web import StaticFileHandler

from .errors import ErrorDetail
from .handlers import BaseHandler

OPENAPI_VERSION = "3.1.0"
DOCS_ASSETS_ROUTE = "/docs/assets/{path}"
SCHEMA_REF = "#/components/schemas/{model}"
BEARER_SCHEME = "bearer"

Method = TypeVar("Method", bound=Callable[..., Any])


class ValidationProblem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorDetail(BaseModel):
    """The body of a 422: what is wrong with each field of the request."""

    detail: list[ValidationProblem]


# A response: its body's model (None for no body) and what it means.
Response = tuple[type[BaseModel] | None, str]


@dataclass(frozen=True)
class Operation:
    """What the document says of one method of one route."""

    summary: str
    tags: tuple[str, ...]
    responses: dict[int, Response]
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    path: type[BaseModel] | None = None
    # A request body other than one JSON model (several content types).
    request_body: dict[str, Any] | None = None
    secured: bool = False
    headers: dict[int, dict[str, Any]] = field(default_factory=dict)

    def models(self) -> Iterable[tuple[type[BaseModel], JsonSchemaMode]]:
        for model in (self.body, self.query, self.path):
            if model is not None:
                yield model, "validation"
        for model, _ in self.responses.values():
            if model is not None:
                yield model, "serialization"

    def describe(self, schemas: dict[Any, dict[str, Any]]) -> dict[str, Any]:
        described: dict[str, Any] = {"summary": self.summary, "tags": list(self.tags)}
        parameters = [
            *_parameters(self.path, "path"),
            *_parameters(self.query, "query"),
        ]
        if parameters:
            described["parameters"] = parameters
        if self.body is not None:
            described["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": schemas[self.body, "validation"]}},
            }
        elif self.request_body is not None:
            described["requestBody"] = self.request_body
        responses: dict[str, Any] = {}
        for status, (model, description) in sorted(self.responses.items()):
            response: dict[str, Any] = {"description": description}
            if model is not None:
                schema = schemas[model, "serialization"]
                response["content"] = {"application/json": {"schema": schema}}
            if status in self.headers:
                response["headers"] = self.headers[status]
            responses[str(status)] = response
        described["responses"] = responses
        if self.secured:
            described["security"] = [{BEARER_SCHEME: []}]
        return described


class OpenAPISchema(GenerateJsonSchema):
    """pydantic's JSON Schema, less a `null` default that the field's own schema refuses.

    An optional field that may be left out but not sent as null (`str | SkipJsonSchema[None]`)
    would otherwise say `"type": "string", "default": null`, which OpenAPI validators reject.
    """

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        json_schema = super().default_schema(schema)
        if json_schema.get("default", ...) is None and json_schema.get("type", "null") != "null":
            del json_schema["default"]
        return json_schema


# Each documented handler method, and what the document says of it.
OPERATIONS: dict[Callable[..., Any], Operation] = {}


def operation(  # noqa: PLR0913 - a keyword for each part of an OpenAPI operation
    summary: str,
    *,
    tags: Iterable[str],
    responses: dict[int, Response],
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    path: type[BaseModel] | None = None,
    request_body: dict[str, Any] | None = None,
    secured: bool = False,
    headers: dict[int, dict[str, Any]] | None = None,
) -> Callable[[Method], Method]:
    """Document a handler method. A request it validates may also get a 422; a body, 413 or 415."""
    responses = dict(responses)
    if body is not None or query is not None or path is not None or request_body is not None:
        responses[HTTPStatus.UNPROCESSABLE_ENTITY] = (ValidationErrorDetail, "Validation error")
    if body is not None or request_body is not None:
        responses[HTTPStatus.REQUEST_ENTITY_TOO_LARGE] = (ErrorDetail, "The body is too large")
        responses[HTTPStatus.UNSUPPORTED_MEDIA_TYPE] = (ErrorDetail, "Not a content type it takes")
    described = Operation(
        summary,
        tuple(tags),
        responses,
        body,
        query,
        path,
        request_body,
        secured,
        headers or {},
    )

    def document(method: Method) -> Method:
        OPERATIONS[method] = described
        return method

    return document


def openapi_document(handlers: Iterable[type[BaseHandler]], project: str) -> dict[str, Any]:
    """The OpenAPI document of the routes of `handlers`, for the distribution `project`."""
    operations: list[tuple[str, str, Operation]] = []
    for handler in handlers:
        for method in handler.allowed_methods():
            described = OPERATIONS.get(getattr(handler, method.lower()))
            if described is not None:
                operations.append((handler.route, method.lower(), described))
    wanted = list(dict.fromkeys(model for *_, op in operations for model in op.models()))
    schemas, definitions = models_json_schema(
        wanted, ref_template=SCHEMA_REF, schema_generator=OpenAPISchema
    )
    paths: dict[str, dict[str, Any]] = {}
    for route, method, described in operations:
        paths.setdefault(route, {})[method] = described.describe(schemas)
    components: dict[str, Any] = {"schemas": definitions.get("$defs", {})}
    if any(described.secured for *_, described in operations):
        components["securitySchemes"] = {BEARER_SCHEME: {"type": "http", "scheme": "bearer"}}
    info = metadata(project)  # pyproject.toml's [project] table, as installed
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": info["Name"], "description": info["Summary"], "version": info["Version"]},
        "paths": paths,
        "components": components,
    }


def _parameters(model: type[BaseModel] | None, location: Literal["path", "query"]) -> list[Any]:
    if model is None:
        return []
    schema = model.model_json_schema()
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "in": location,
            "required": location == "path" or name in required,
            "schema": {key: value for key, value in field.items() if key != "title"},
        }
        for name, field in schema["properties"].items()
    ]


class OpenAPIHandler(BaseHandler):
    route = "/openapi.json"

    def get(self) -> None:
        self.write_json(self.application.settings["openapi"])


DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - API documentation</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-initializer.js"></script>
</body>
</html>
"""
# Swagger UI's own initializer points at its demo document; this one at the service's.
INITIALIZER = """window.onload = function () {
  window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
};
"""


class DocsHandler(BaseHandler):
    route = "/docs"

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        title = self.application.settings["openapi"]["info"]["title"]
        self.finish(DOCS_PAGE.format(title=title))


class DocsInitializerHandler(BaseHandler):
    route = "/docs/assets/swagger-initializer.js"

    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=UTF-8")
        self.finish(INITIALIZER)


class DocsAssetHandler(StaticFileHandler, BaseHandler):
    """Swagger UI's scripts and styles, from the swagger-ui-bundle-v2 package."""

    route = DOCS_ASSETS_ROUTE


def swagger_ui_directory() -> Path:
    """Where swagger-ui-bundle-v2 keeps its Swagger UI, a 5.x release: it renders OpenAPI 3.1."""
    vendor = Path(str(files("swagger_ui_bundle") / "vendor"))
    return next(vendor.glob("swagger-ui-*"))

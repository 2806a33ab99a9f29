"""Request validation with pydantic models, as a view deriver; responses rendered from models.

A view declares `body=Model` (a JSON body), `query=Model` (the query string) or `path=Model`
(the route's placeholders), may fix its success `status`, and may name a `guard` to run first
(the attempt limit, which counts invalid attempts too). The deriver validates before the view
runs and hands it `request.validated`. A body that does not decode or fails validation is a 422
listing the problems, without the rejected input (it may be a password). Views may return
pydantic models: the JSON renderer dumps them.
"""

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from pyramid.config import Configurator
from pyramid.renderers import JSON
from pyramid.request import Request
from pyramid.response import Response

from .errors import InvalidRequestError, UnsupportedMediaTypeError

# A body that does not decode: bad syntax, or nested deeper than the decoder recurses (100,000 `[`).
UNDECODABLE = (ValueError, RecursionError)

View = Callable[[Any, Request], Any]
# What a view may declare besides Pyramid's own arguments; the OpenAPI document reads them too.
OPTIONS = ("body", "query", "path", "guard", "responses", "status", "tags", "openapi")


def validate(model: type[BaseModel], data: Any, location: str) -> BaseModel:
    """`data` as `model`, or InvalidRequestError naming each problem, never the input."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = error.errors(include_url=False, include_input=False, include_context=False)
        raise InvalidRequestError(
            [{**problem, "loc": (location, *problem["loc"])} for problem in problems]
        ) from None


def is_json(content_type: str) -> bool:
    """Whether a media type names JSON: `application/json`, or `application/<anything>+json`."""
    media_type = content_type.lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def read_json(request: Request) -> Any:
    """The decoded JSON body; one that does not decode is a 422, as one that does not validate,
    and a body of another content type a 415."""
    if not is_json(request.content_type) and request.body:
        raise UnsupportedMediaTypeError("The body must be JSON (Content-Type: application/json)")
    try:
        return request.json_body
    except UNDECODABLE:
        problem = {"type": "json_invalid", "loc": ["body"], "msg": "JSON decode error"}
        raise InvalidRequestError([problem]) from None


def validated_view(view: View, info: Any) -> View:
    body: type[BaseModel] | None = info.options.get("body")
    query: type[BaseModel] | None = info.options.get("query")
    path: type[BaseModel] | None = info.options.get("path")
    status: int | None = info.options.get("status")
    guard: Callable[[Request], None] | None = info.options.get("guard")
    if body is None and query is None and path is None and status is None and guard is None:
        return view

    def wrapper(context: Any, request: Request) -> Response:
        if guard is not None:
            guard(request)
        if status is not None:
            request.response.status_int = status
        if path is not None:
            request.validated_path = validate(path, request.matchdict, "path")
        if query is not None:
            request.validated_query = validate(query, dict(request.GET), "query")
        if body is not None:
            request.validated = validate(body, read_json(request), "body")
        return view(context, request)

    return wrapper


validated_view.options = OPTIONS  # type: ignore[attr-defined]


def _dump_model(model: BaseModel, _request: Request) -> Any:
    return model.model_dump(mode="json")


def includeme(config: Configurator) -> None:
    config.add_view_deriver(validated_view)
    renderer = JSON()
    renderer.add_adapter(BaseModel, _dump_model)
    config.add_renderer("json", renderer)

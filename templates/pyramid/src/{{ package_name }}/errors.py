"""Errors a client can act on, answered as JSON `{"detail": ...}` with their HTTP status."""

from typing import Any, ClassVar

import structlog
from pydantic import BaseModel
from pyramid.config import Configurator
from pyramid.exceptions import PredicateMismatch
from pyramid.httpexceptions import HTTPException, HTTPNotFound
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import exception_view_config, notfound_view_config

from .tweens import json_error

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

logger = structlog.stdlib.get_logger(__name__)


class ErrorDetail(BaseModel):
    """The body of an error response."""

    detail: str


class ValidationErrors(BaseModel):
    """The body of a 422: pydantic's problems, each with its `loc`, `msg` and `type`."""

    detail: list[dict[str, Any]]


class ServiceError(Exception):
    """Base of the errors raised by the services; each subclass fixes its HTTP status."""

    status_code: ClassVar[int] = 500

    def __init__(self, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}


class ForbiddenError(ServiceError):
    status_code = 403


class NotFoundError(ServiceError):
    status_code = 404


class ConflictError(ServiceError):
    status_code = 409


class UnsupportedMediaTypeError(ServiceError):
    status_code = 415


class ServiceUnavailableError(ServiceError):
    """A backing service the request needs does not answer; the client may retry later."""

    status_code = 503


class InvalidRequestError(Exception):
    """A request that decodes but fails validation: 422 with pydantic's list of problems."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__("invalid request")
        self.problems = problems


@exception_view_config(ServiceError)
def service_error(error: ServiceError, _request: Request) -> Response:
    return json_error(error.status_code, error.detail, error.headers)


@exception_view_config(InvalidRequestError)
def invalid_request(error: InvalidRequestError, _request: Request) -> Response:
    return json_error(422, error.problems)


@notfound_view_config()
def not_found(error: HTTPNotFound, request: Request) -> Response:
    """404, or 405 with `Allow` when the path exists but has no view for this method."""
    route = request.matched_route
    if isinstance(error, PredicateMismatch) and route is not None:
        allowed = allowed_methods(request, route.name)
        if allowed and request.method not in allowed:
            return json_error(405, "Method Not Allowed", {"Allow": ", ".join(allowed)})
    return json_error(404, "Not Found")


@exception_view_config(HTTPException)
def http_error(error: HTTPException, _request: Request) -> Response:
    """Pyramid's HTTP errors (401, 403, 429...) as JSON, keeping their headers."""
    detail = error.detail or error.title
    headers = {
        name: value
        for name, value in error.headers.items()
        if name.lower() in {"www-authenticate", "retry-after", "allow"}
    }
    return json_error(error.status_code, detail, headers)


@exception_view_config(Exception)
def unexpected_error(error: Exception, request: Request) -> Response:
    """The client learns that it failed and under which id it was logged; never why."""
    logger.error(
        "unhandled_exception", method=request.method, path=request.path_info, exc_info=error
    )
    return json_error(500, "Internal Server Error")


def allowed_methods(request: Request, route_name: str) -> list[str]:
    """The methods the views of a route answer, from Pyramid's introspection."""
    introspector = request.registry.introspector
    route = introspector.get("routes", route_name)
    found: set[str] = set()
    for view in introspector.related(route) if route is not None else ():
        if view.category_name == "views":
            found.update(request_methods(view))
    return [method for method in METHODS if method in found]


def request_methods(view: Any) -> tuple[str, ...]:
    """The methods a view introspectable answers, all of them if it names none."""
    methods = view["request_methods"]
    if methods is None:
        return METHODS
    return (methods,) if isinstance(methods, str) else tuple(methods)


def includeme(config: Configurator) -> None:
    config.scan(__name__)

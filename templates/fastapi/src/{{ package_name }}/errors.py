"""Errors a client can act on, answered as JSON `{"detail": ...}` with their HTTP status."""

from collections.abc import Callable, Coroutine
from typing import Any, ClassVar

from fastapi import FastAPI, HTTPException, Request, Response, params, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.routing import Match

# When a client told that a backing service is unavailable may try again.
RETRY_AFTER_SECONDS = 5


class ErrorDetail(BaseModel):
    """The body of an error response."""

    detail: str


class ServiceError(Exception):
    """Base of the errors raised by the services; each subclass fixes its HTTP status."""

    status_code: ClassVar[int] = status.HTTP_500_INTERNAL_SERVER_ERROR
    headers: ClassVar[dict[str, str]] = {}

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class ForbiddenError(ServiceError):
    status_code = status.HTTP_403_FORBIDDEN


class NotFoundError(ServiceError):
    status_code = status.HTTP_404_NOT_FOUND


class ConflictError(ServiceError):
    status_code = status.HTTP_409_CONFLICT


class ServiceUnavailableError(ServiceError):
    """A backing service the request needs does not answer; the client may retry later."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    headers: ClassVar[dict[str, str]] = {"Retry-After": str(RETRY_AFTER_SECONDS)}


def error_response(description: str) -> dict[str, Any]:
    """An entry of a route's OpenAPI `responses` for an error answered with `ErrorDetail`."""
    return {"model": ErrorDetail, "description": description}


# What a route answers, before validation, to a body it cannot even decode.
MALFORMED_BODY: dict[int | str, dict[str, Any]] = {
    status.HTTP_400_BAD_REQUEST: error_response("The body cannot be decoded"),
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: error_response("The body is not JSON"),
}


def is_json(content_type: str | None) -> bool:
    """Whether a Content-Type names JSON: `application/json`, or `application/<anything>+json`."""
    media_type = (content_type or "").partition(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def unsupported_media_type(expected: str) -> HTTPException:
    return HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, f"The body must be {expected}")


class JSONBodyRoute(APIRoute):
    """A route whose body is JSON: a body of another content type is a 415, not a 422."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        if self.body_field is None or isinstance(self.body_field.field_info, params.Form):
            return handle

        async def handle_json(request: Request) -> Response:
            if not is_json(request.headers.get("content-type")) and await request.body():
                raise unsupported_media_type("JSON (Content-Type: application/json)")
            return await handle(request)

        return handle_json


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _answer_service_error(_request: Request, error: ServiceError) -> JSONResponse:
        return JSONResponse(
            {"detail": error.detail}, status_code=error.status_code, headers=error.headers
        )

    # FastAPI's 422 without the `input` of each error, which may be a secret, or text that cannot
    # even be encoded back (a lone surrogate).
    @app.exception_handler(RequestValidationError)
    async def _answer_validation_error(
        _request: Request, error: RequestValidationError
    ) -> JSONResponse:
        problems = [
            {key: value for key, value in problem.items() if key != "input"}
            for problem in error.errors()
        ]
        return JSONResponse(
            {"detail": jsonable_encoder(problems)},
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )

    # Each method of a path is its own route, so the router's 405 names only the first one's in
    # `Allow`; list every method the path supports instead.
    @app.exception_handler(status.HTTP_405_METHOD_NOT_ALLOWED)
    async def _answer_method_not_allowed(request: Request, _error: Exception) -> JSONResponse:
        allowed = [
            method
            for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
            if any(
                route.matches({**request.scope, "method": method})[0] == Match.FULL
                for route in app.router.routes
            )
        ]
        return JSONResponse(
            {"detail": "Method Not Allowed"},
            status_code=status.HTTP_405_METHOD_NOT_ALLOWED,
            headers={"Allow": ", ".join(allowed)},
        )

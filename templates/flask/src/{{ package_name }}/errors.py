"""Errors a client can act on, answered as JSON `{"detail": ...}` with their HTTP status."""

from typing import Any, ClassVar, NoReturn

from apiflask import APIFlask, HTTPError
from flask import Request

# Every error answer, as the OpenAPI document describes it.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"detail": {"description": "What went wrong: a message, or the problems found"}},
    "required": ["detail"],
}

NOT_JSON = "The body must be JSON (Content-Type: application/json)"


class ServiceError(HTTPError):
    """Base of the errors raised by the services; each subclass fixes its HTTP status."""

    code: ClassVar[int] = 500

    def __init__(self, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(self.code, detail, headers=headers)


class ForbiddenError(ServiceError):
    code = 403


class NotFoundError(ServiceError):
    code = 404


class ConflictError(ServiceError):
    code = 409


class UnsupportedMediaTypeError(ServiceError):
    code = 415


class ServiceUnavailableError(ServiceError):
    """A backing service the request needs does not answer; the client may retry later."""

    code = 503


class JSONRequest(Request):
    """A body of another content type is a 415; one that says JSON but is not is invalid like any
    other: 422, as the contract says."""

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        if not self.is_json and self.get_data(cache=True):
            raise UnsupportedMediaTypeError(NOT_JSON)
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            # Nested deeper than the decoder recurses (100,000 `[`): as undecodable as bad syntax.
            return self.on_json_loading_failed(ValueError("nested too deep"))

    def on_json_loading_failed(self, e: ValueError | None) -> NoReturn:  # noqa: ARG002
        raise HTTPError(422, "Validation error", {"json": {"_schema": ["Invalid JSON body"]}})


def install_error_handlers(app: APIFlask) -> None:
    app.config.update(HTTP_ERROR_SCHEMA=ERROR_SCHEMA, VALIDATION_ERROR_SCHEMA=ERROR_SCHEMA)

    @app.error_processor
    def _answer(error: HTTPError) -> tuple[dict[str, Any], int, Any]:
        # APIFlask's validation errors carry the problems in `detail`, the others their message;
        # an unhandled exception is "Internal Server Error", never its traceback.
        detail = error.detail or error.message
        return {"detail": detail}, error.status_code, error.headers or {}

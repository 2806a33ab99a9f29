"""Errors a client can act on, answered as JSON `{"detail": ...}` with their HTTP status."""

from http import HTTPStatus
from typing import ClassVar

from pydantic import BaseModel
from tornado.web import HTTPError


class ErrorDetail(BaseModel):
    """The body of an error response."""

    detail: str


class ServiceError(HTTPError):
    """An error answered as `{"detail": detail}`; each subclass fixes its HTTP status.

    A `tornado.web.HTTPError`, so that Tornado answers it without logging a traceback, and
    `BaseHandler.write_error` writes its detail and headers.
    """

    status: ClassVar[HTTPStatus] = HTTPStatus.INTERNAL_SERVER_ERROR

    def __init__(self, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(self.status)
        self.detail = detail
        self.headers = headers or {}


class UnauthorizedError(ServiceError):
    status = HTTPStatus.UNAUTHORIZED

    def __init__(self, detail: str) -> None:
        super().__init__(detail, {"WWW-Authenticate": "Bearer"})


class ForbiddenError(ServiceError):
    status = HTTPStatus.FORBIDDEN


class NotFoundError(ServiceError):
    status = HTTPStatus.NOT_FOUND


class ConflictError(ServiceError):
    status = HTTPStatus.CONFLICT


class PayloadTooLargeError(ServiceError):
    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE


class UnsupportedMediaTypeError(ServiceError):
    status = HTTPStatus.UNSUPPORTED_MEDIA_TYPE


class TooManyRequestsError(ServiceError):
    status = HTTPStatus.TOO_MANY_REQUESTS


class ServiceUnavailableError(ServiceError):
    """A backing service the request needs does not answer; the client may retry later."""

    status = HTTPStatus.SERVICE_UNAVAILABLE


class ValidationFailedError(HTTPError):
    """A request whose body, query or path does not validate: 422 with pydantic's errors."""

    def __init__(self, problems: list[dict[str, object]]) -> None:
        super().__init__(HTTPStatus.UNPROCESSABLE_ENTITY)
        self.problems = problems

"""The base of every handler: request ids, client address, body limit, headers, JSON in and out.

Every response (404, 405, 413 and 500 included) goes through `BaseHandler`, so each carries the
request id and the security headers, and `Application.log_request` writes one access line for it.
Bodies are streamed (`stream_request_body`): a body past MAX_BODY_BYTES is refused with a 413 from
its Content-Length before it is read, or as soon as a chunked body passes the limit (however large
its chunks), and is never held whole in memory.
"""

import asyncio
import os
import re
import sys
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any, ClassVar, TypeVar

import orjson
import structlog
from pydantic import BaseModel, ValidationError
from tornado.http1connection import HTTP1Connection
from tornado.iostream import StreamClosedError
from tornado.web import HTTPError, RequestHandler, stream_request_body

from .errors import (
    PayloadTooLargeError,
    ServiceError,
    UnsupportedMediaTypeError,
    ValidationFailedError,
)
from .log import REQUEST_ID
from .proxies import PeerProxies
from .settings import Settings

REQUEST_ID_HEADER = "X-Request-ID"
JSON_CONTENT_TYPE = "application/json"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# Sent in production only: browsers would refuse plain HTTP to a development server for a year.
HSTS_HEADER = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
# A caller's request id is kept only if it is short and plain, so it cannot forge log content.
_ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
# The route template of a request that matches no route: one label value for every unknown path.
UNMATCHED_ROUTE = "<unmatched>"
_PARAMETER = re.compile(r"\{(\w+)\}")
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CORS_MAX_AGE_SECONDS = 600
# The connection's limit on a chunked body, which the handler refuses itself past MAX_BODY_BYTES.
UNLIMITED = sys.maxsize

Model = TypeVar("Model", bound=BaseModel)

logger = structlog.stdlib.get_logger(__name__)


class InFlight:
    """The requests being handled, which a stopping server lets finish."""

    def __init__(self) -> None:
        self._handlers: set[RequestHandler] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    def __len__(self) -> int:
        return len(self._handlers)

    def add(self, handler: RequestHandler) -> None:
        self._handlers.add(handler)
        self._idle.clear()

    def discard(self, handler: RequestHandler) -> None:
        self._handlers.discard(handler)
        if not self._handlers:
            self._idle.set()

    async def wait_idle(self) -> None:
        await self._idle.wait()


class RequestPolicy:
    """What every request of one application is held to; built once, read by each handler."""

    def __init__(self, settings: Settings) -> None:
        self.max_body_bytes = settings.max_body_bytes
        self.proxies = PeerProxies(settings.forwarded_allow_ips)
        self.cors_origins = frozenset(settings.cors_origins)
        headers = dict(SECURITY_HEADERS)
        if settings.app_env == "production":
            headers.update([HSTS_HEADER])
        self.headers = tuple(headers.items())


class RequestContext(RequestHandler):
    """Request id, client address, security and CORS headers, JSON answers and errors.

    The part of every handler that does not read a body, WebSocket handlers included.
    """

    # The path template of the handler's route, `{name}` for each path parameter.
    route: ClassVar[str] = UNMATCHED_ROUTE

    request_id = ""
    client_address = ""

    # Tornado calls this from `__init__` (and again before an error is written): the request's
    # context is settled on the first call.
    def set_default_headers(self) -> None:
        policy = self.policy
        if not self.request_id:
            self._settle_context(policy)
        for name, value in policy.headers:
            self.set_header(name, value)
        self.set_header(REQUEST_ID_HEADER, self.request_id)
        self.clear_header("Server")
        origin = self.request.headers.get("Origin")
        if origin is not None and origin in policy.cors_origins:
            self.set_header("Access-Control-Allow-Origin", origin)
            self.set_header("Access-Control-Expose-Headers", REQUEST_ID_HEADER)
            self.add_header("Vary", "Origin")

    def _settle_context(self, policy: RequestPolicy) -> None:
        given = self.request.headers.get(REQUEST_ID_HEADER)
        accepted = given is not None and _ACCEPTED_REQUEST_ID.fullmatch(given)
        self.request_id = given if given is not None and accepted else os.urandom(16).hex()
        peer = self.request.remote_ip or ""
        forwarded_for = self.request.headers.get_list("X-Forwarded-For")
        self.client_address = policy.proxies.client_of(
            peer, ",".join(forwarded_for) if forwarded_for else None
        )
        self.request.protocol = policy.proxies.scheme(
            peer, self.request.protocol, self.request.headers.get("X-Forwarded-Proto")
        )

    @property
    def policy(self) -> RequestPolicy:
        policy: RequestPolicy = self.application.settings["policy"]
        return policy

    def prepare(self) -> None:
        REQUEST_ID.set(self.request_id)

    @property
    def config(self) -> Settings:
        """The settings the application was made with."""
        settings: Settings = self.application.settings["config"]
        return settings

    def options(self, *_args: str, **_kwargs: str) -> None:
        """A CORS preflight from an allowed origin; anything else is a 405."""
        origin = self.request.headers.get("Origin")
        requested = self.request.headers.get("Access-Control-Request-Method")
        if origin is None or origin not in self.policy.cors_origins or requested is None:
            raise HTTPError(HTTPStatus.METHOD_NOT_ALLOWED)
        self.set_header("Access-Control-Allow-Methods", ", ".join(self.answered_methods()))
        self.set_header(
            "Access-Control-Allow-Headers",
            self.request.headers.get("Access-Control-Request-Headers", ""),
        )
        self.set_header("Access-Control-Max-Age", str(CORS_MAX_AGE_SECONDS))
        self.set_status(HTTPStatus.OK)
        self.finish()

    def _head_as_get(self, *args: str, **kwargs: str) -> Awaitable[None] | None:
        """What GET answers, status and headers alike; Tornado sends no body for a HEAD."""
        if "GET" not in self.allowed_methods():
            raise HTTPError(HTTPStatus.METHOD_NOT_ALLOWED)
        return self.get(*args, **kwargs)

    # Typed as Tornado types its method attributes, so that subclasses may narrow it.
    head: Callable[..., Awaitable[None] | None] = _head_as_get

    @classmethod
    def allowed_methods(cls) -> list[str]:
        """The methods this handler implements."""
        return [
            method
            for method in _METHODS
            if getattr(cls, method.lower()) is not getattr(RequestHandler, method.lower())
        ]

    @classmethod
    def answered_methods(cls) -> list[str]:
        """The methods this handler answers: those it implements, and HEAD with GET."""
        methods = cls.allowed_methods()
        return [*methods, "HEAD"] if "GET" in methods else methods

    # JSON out.

    def respond(self, model: BaseModel, status: int = HTTPStatus.OK) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(model.__pydantic_serializer__.to_json(model))

    def write_json(self, content: Any, status: int = HTTPStatus.OK) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(orjson.dumps(content))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs["exc_info"][1] if "exc_info" in kwargs else None
        if isinstance(error, ServiceError):
            for name, value in error.headers.items():
                self.set_header(name, value)
            self.write_json({"detail": error.detail}, status_code)
        elif isinstance(error, ValidationFailedError):
            self.write_json({"detail": error.problems}, status_code)
        else:
            if status_code == HTTPStatus.METHOD_NOT_ALLOWED:
                self.set_header("Allow", ", ".join(self.answered_methods()))
            # The client learns what failed and under which request id it was logged; never why.
            self.write_json({"detail": HTTPStatus(status_code).phrase}, status_code)

    def log_exception(self, typ: Any, value: BaseException | None, tb: Any) -> None:
        if isinstance(value, HTTPError):
            return  # an answer, not a failure
        if isinstance(value, StreamClosedError) and self._finished:
            return  # the client went away after its body was refused
        logger.error(
            "unhandled_exception",
            method=self.request.method,
            path=self.request.path,
            exc_info=(typ, value, tb),
        )


@stream_request_body
class BaseHandler(RequestContext):
    """Reads JSON bodies, streamed within MAX_BODY_BYTES; answers JSON, errors included."""

    _received = 0
    _chunks: list[bytes]

    def prepare(self) -> None:
        super().prepare()
        self._chunks = []
        # A stopping server lets the requests in this set finish before it closes connections.
        self.settings["in_flight"].add(self)
        declared = self.request.headers.get("Content-Length")
        limit = self.policy.max_body_bytes
        if declared is not None and declared.isdigit() and int(declared) > limit:
            self._refuse_body()
        if declared is None and isinstance(self.request.connection, HTTP1Connection):
            # Without a Content-Length, a body is chunked: `data_received` counts it as it streams
            # in. Tornado's connection judges each chunk by the size it announces, and would answer
            # one announced past its own limit with a plain-text 400 before the handler saw a byte.
            self.request.connection.set_max_body_size(UNLIMITED)

    def data_received(self, chunk: bytes) -> None:
        if self._finished:
            return  # refused already: the rest is dropped until the connection closes
        self._received += len(chunk)
        if self._received > self.policy.max_body_bytes:
            try:
                self._refuse_body()
            except PayloadTooLargeError as error:
                self.send_error(error.status_code, exc_info=(type(error), error, None))
            return
        self._chunks.append(chunk)

    def on_finish(self) -> None:
        self.settings["in_flight"].discard(self)

    def on_connection_close(self) -> None:
        self.settings["in_flight"].discard(self)
        super().on_connection_close()

    def _refuse_body(self) -> None:
        # Answered before the body is read: Tornado closes the connection after the response.
        raise PayloadTooLargeError(
            f"Request body larger than {self.policy.max_body_bytes} bytes",
            {"Connection": "close"},
        )

    @property
    def body(self) -> bytes:
        """The request body, as streamed in within the limit."""
        return b"".join(self._chunks)

    # JSON in.

    def parse_body(self, model: type[Model]) -> Model:
        """The JSON body as `model`; a 415 for another content type, a 422 naming each problem."""
        if not self.has_content_type(JSON_CONTENT_TYPE):
            raise UnsupportedMediaTypeError(f"Send the body as {JSON_CONTENT_TYPE}")
        try:
            return model.model_validate_json(self.body or b"null")
        except ValidationError as error:
            raise ValidationFailedError(problems(error, "body")) from None

    def has_content_type(self, media_type: str, *, default: bool = True) -> bool:
        """Whether the body is of `media_type` (`default` when the request names no type)."""
        declared = self.request.headers.get("Content-Type")
        if declared is None:
            return default
        return declared.partition(";")[0].strip().lower() == media_type

    def parse_query(self, model: type[Model]) -> Model:
        """The query arguments as `model`, or a 422 naming each problem."""
        arguments = {name: self.get_query_argument(name) for name in self.request.query_arguments}
        try:
            return model.model_validate(arguments)
        except ValidationError as error:
            raise ValidationFailedError(problems(error, "query")) from None

    def parse_path(self, model: type[Model], **arguments: str) -> Model:
        """The path parameters as `model`, or a 422 naming each problem."""
        try:
            return model.model_validate(arguments)
        except ValidationError as error:
            raise ValidationFailedError(problems(error, "path")) from None


class NotFoundHandler(BaseHandler):
    """Every path no route matches: a JSON 404, whatever the method.

    Answered once the request is read, not from `prepare`, so that the connection stays open.
    """

    def _not_found(self, *_args: str, **_kwargs: str) -> None:
        raise HTTPError(HTTPStatus.NOT_FOUND)

    get = post = put = patch = delete = head = options = _not_found


def problems(error: ValidationError, location: str) -> list[dict[str, object]]:
    """Pydantic's errors without each one's `input`, which may be a secret or unencodable text."""
    return [
        {**problem, "loc": [location, *problem["loc"]]}
        for problem in error.errors(include_url=False, include_context=False, include_input=False)
    ]


def path_pattern(route: str) -> str:
    """The regular expression of a route template: each `{name}` matches one path segment."""
    return _PARAMETER.sub(r"(?P<\1>[^/]+)", route) + "$"

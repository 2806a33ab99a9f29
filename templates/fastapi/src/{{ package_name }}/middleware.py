"""The request context: an id per request, security headers, one access log line, and a JSON 500.

A pure ASGI middleware rather than Starlette's BaseHTTPMiddleware, which buffers streaming
responses and runs the app in another task (losing context variables).
"""

import re
import time
import uuid

import structlog
from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# A caller's request id is kept only if it is short and plain, so it cannot forge log content.
_ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

logger = structlog.stdlib.get_logger(__name__)
access_logger = structlog.stdlib.get_logger(f"{__package__}.access")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = _request_id(scope)
        started = time.perf_counter()
        status_code = 500
        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status_code, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status_code = message["status"]
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_headers)
            except Exception:
                logger.exception("unhandled_exception", method=scope["method"], path=scope["path"])
                if response_started:
                    raise
                # The client learns that it failed and under which id it was logged; never why.
                response = JSONResponse({"detail": "Internal Server Error"}, status_code=500)
                await response(scope, receive, send_with_headers)
            finally:
                access_logger.info(
                    "request",
                    method=scope["method"],
                    path=scope["path"],
                    status=status_code,
                    duration_ms=round((time.perf_counter() - started) * 1000, 2),
                )


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate: str = value.decode("latin-1")
            if _ACCEPTED_REQUEST_ID.fullmatch(candidate):
                return candidate
            break
    return uuid.uuid4().hex

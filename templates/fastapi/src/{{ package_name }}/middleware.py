"""The request path: client address, request id, body limit, security headers, access log, JSON 500.

One pure ASGI middleware, outside everything else the app does, so that every response (404,
405, 413 and 500 included) carries the headers and every request has its access line. It is one
layer rather than several, and not Starlette's BaseHTTPMiddleware, because each layer costs every
request: this code runs thousands of times a second, hence its few plain loops.
"""

import os
import re
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

import structlog
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .log import REQUEST_ID

REQUEST_ID_HEADER = "X-Request-ID"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# Sent in production only: browsers would refuse plain HTTP to a development server for a year.
HSTS_HEADER = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
# A caller's request id is kept only if it is short and plain, so it cannot forge log content.
_ACCEPTED_REQUEST_ID = re.compile(rb"[A-Za-z0-9._-]{1,128}")
_FORWARDED_SCHEMES = {"http", "https"}

# Called once a response is sent: (scope, status, seconds); the metrics hook in here.
ResponseObserver = Callable[[Scope, int, float], None]

logger = structlog.stdlib.get_logger(__name__)
access_logger = structlog.stdlib.get_logger(f"{__package__}.access")


class TrustedProxies:
    """The peers whose X-Forwarded-For and X-Forwarded-Proto are believed: IPs, networks or `*`."""

    def __init__(self, entries: Iterable[str]) -> None:
        entries = [entry.strip() for entry in entries if entry.strip()]
        self.everyone = "*" in entries
        self.networks: list[IPv4Network | IPv6Network] = [
            ip_network(entry, strict=False) for entry in entries if entry != "*"
        ]
        # Few distinct peers reach a service; remembering the answer saves parsing each time.
        self.trusts = lru_cache(maxsize=1024)(self._trusts)

    def _trusts(self, host: str) -> bool:
        if self.everyone:
            return True
        try:
            address = ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def client(self, forwarded_for: str) -> str | None:
        """The right-most address of the chain that no trusted proxy added, the client's."""
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop
        # Every hop is a trusted proxy: the first one is as close to the client as can be known.
        return hops[0] if hops else None


class RequestContextMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        trusted_proxies: Iterable[str],
        production: bool,
        observers: Iterable[ResponseObserver] = (),
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.trusted_proxies = TrustedProxies(trusted_proxies)
        self.observers = tuple(observers)
        headers = dict(SECURITY_HEADERS)
        if production:
            headers.update([HSTS_HEADER])
        self.security_headers = [
            (name.lower().encode(), value.encode()) for name, value in headers.items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()
        request_id, content_length = self._read_headers(scope)
        status = 500
        responded = refused = False
        received = 0
        extra_headers = [(b"x-request-id", request_id.encode()), *self.security_headers]

        async def send_with_headers(message: Message) -> None:
            nonlocal status, responded
            if refused:
                return  # the 413 is sent; whatever the app still answers is dropped
            if message["type"] == "http.response.start":
                responded = True
                status = message["status"]
                headers = [
                    pair for pair in message.get("headers", ()) if pair[0] != b"x-request-id"
                ]
                present = {name for name, _ in headers}
                headers.extend(pair for pair in extra_headers if pair[0] not in present)
                message["headers"] = headers
            await send(message)

        async def receive_within_limit() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    # Answer now if still possible, then tell the app that the client has gone,
                    # so that it stops reading.
                    if not responded:
                        await self._refuse_body(scope, receive, send_with_headers)
                    refused = True
                    return {"type": "http.disconnect"}
            return message

        token = REQUEST_ID.set(request_id)
        try:
            if content_length is not None and content_length > self.max_body_bytes:
                await self._refuse_body(scope, receive, send_with_headers)
            else:
                await self.app(scope, receive_within_limit, send_with_headers)
        except Exception:
            # After a refused body the app fails to read it; the client has its answer already.
            if not refused:
                logger.exception("unhandled_exception", method=scope["method"], path=scope["path"])
                if responded:
                    raise
                # The client learns that it failed and under which id it was logged; never why.
                response = JSONResponse({"detail": "Internal Server Error"}, status_code=500)
                await response(scope, receive, send_with_headers)
        finally:
            seconds = time.perf_counter() - started
            access_logger.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round(seconds * 1000, 2),
                client=scope["client"][0] if scope.get("client") else None,
            )
            for observe in self.observers:
                observe(scope, status, seconds)
            REQUEST_ID.reset(token)

    def _read_headers(self, scope: Scope) -> tuple[str, int | None]:
        """The request id and the declared body length; applies trusted forwarding headers."""
        request_id = content_length = forwarded_for = forwarded_proto = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                request_id = value
            elif name == b"content-length":
                content_length = value
            elif name == b"x-forwarded-for":
                # Several headers make one list, in order.
                forwarded_for = value if forwarded_for is None else forwarded_for + b"," + value
            elif name == b"x-forwarded-proto":
                forwarded_proto = value
        if forwarded_for is not None or forwarded_proto is not None:
            self._apply_forwarded(scope, forwarded_for, forwarded_proto)
        return (
            request_id.decode()
            if request_id is not None and _ACCEPTED_REQUEST_ID.fullmatch(request_id)
            else os.urandom(16).hex(),
            _length(content_length),
        )

    def _apply_forwarded(
        self, scope: Scope, forwarded_for: bytes | None, forwarded_proto: bytes | None
    ) -> None:
        peer = scope.get("client")
        if not peer or not self.trusted_proxies.trusts(peer[0]):
            return
        if forwarded_for is not None:
            client = self.trusted_proxies.client(forwarded_for.decode("latin-1"))
            if client is not None:
                scope["client"] = (client, 0)
        if forwarded_proto is not None:
            # A chain of proxies may list several; the nearest one's is the last.
            scheme = forwarded_proto.decode("latin-1").rsplit(",", 1)[-1].strip().lower()
            if scheme in _FORWARDED_SCHEMES:
                scope["scheme"] = scheme

    async def _refuse_body(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The connection is closed after the answer: the rest of the body is never read.
        response = JSONResponse(
            {"detail": f"Request body larger than {self.max_body_bytes} bytes"},
            status_code=413,
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def _length(content_length: bytes | None) -> int | None:
    if content_length is None:
        return None
    try:
        return int(content_length)
    except ValueError:
        return None  # the server refuses a malformed length before the app sees it

"""The request path: client address, request id, body limit, security headers, access log, JSON 500.

One tween, above every other (pyramid_tm's and the exception view's included), so that every
response, errors and 413s included, carries the headers and every request has its access line.
"""

import os
import re
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

import structlog
from pyramid.config import Configurator
from pyramid.registry import Registry
from pyramid.request import Request
from pyramid.response import Response
from pyramid.tweens import INGRESS

from .log import REQUEST_ID
from .settings import Settings

REQUEST_ID_HEADER = "X-Request-ID"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# Sent in production only: browsers would refuse plain HTTP to a development server for a year.
HSTS_HEADER = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
# A caller's request id is kept only if it is short and plain, so it cannot forge log content.
_ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_FORWARDED_SCHEMES = {"http", "https"}
# CORS (for the origins in CORS_ORIGINS only): the methods a preflight allows.
CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
# A chunked body is read this much at a time, and refused as soon as it passes the limit.
_CHUNK_BYTES = 64 * 1024

# Called once a response is ready: (request, status, seconds); the metrics hook in here.
ResponseObserver = Callable[[Request, int, float], None]
Handler = Callable[[Request], Response]

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


class BodyTooLargeError(Exception):
    """The request body passed MAX_BODY_BYTES."""


class RequestContext:
    """The tween: wraps the rest of the app for each request."""

    def __init__(self, handler: Handler, registry: Registry) -> None:
        settings: Settings = registry["settings"]
        self.handler = handler
        self.max_body_bytes = settings.max_body_bytes
        self.trusted_proxies = TrustedProxies(settings.forwarded_allow_ips)
        self.observers: list[ResponseObserver] = registry.setdefault("response_observers", [])
        headers = dict(SECURITY_HEADERS)
        if settings.app_env == "production":
            headers.update([HSTS_HEADER])
        self.security_headers = list(headers.items())
        self.cors_origins = frozenset(settings.cors_origins)

    def __call__(self, request: Request) -> Response:
        started = time.perf_counter()
        self._apply_forwarded(request)
        offered = request.headers.get(REQUEST_ID_HEADER)
        request_id = (
            offered
            if offered is not None and _ACCEPTED_REQUEST_ID.fullmatch(offered)
            else os.urandom(16).hex()
        )
        token = REQUEST_ID.set(request_id)
        status = 500
        try:
            origin = request.headers.get("Origin")
            cors = origin is not None and origin in self.cors_origins
            if cors and is_preflight(request):
                response = preflight(request)
            else:
                response = self._respond(request)
            status = response.status_code
            headers = response.headers
            if cors:
                headers["Access-Control-Allow-Origin"] = origin
                headers["Access-Control-Expose-Headers"] = REQUEST_ID_HEADER
                response.vary = (*(response.vary or ()), "Origin")
            headers[REQUEST_ID_HEADER] = request_id
            for name, value in self.security_headers:
                headers.setdefault(name, value)
            return response
        finally:
            seconds = time.perf_counter() - started
            access_logger.info(
                "request",
                method=request.method,
                path=request.path_info,
                status=status,
                duration_ms=round(seconds * 1000, 2),
                client=request.remote_addr,
            )
            for observe in self.observers:
                observe(request, status, seconds)
            REQUEST_ID.reset(token)

    def _respond(self, request: Request) -> Response:
        try:
            self._limit_body(request)
        except BodyTooLargeError:
            # The connection is closed after the answer: the rest of the body is never read.
            response = json_error(413, f"Request body larger than {self.max_body_bytes} bytes")
            response.headers["Connection"] = "close"
            return response
        try:
            return self.handler(request)
        except Exception:
            # The exception view answers what it knows; this is what escaped even that.
            logger.exception("unhandled_exception", method=request.method, path=request.path_info)
            return json_error(500, "Internal Server Error")

    def _limit_body(self, request: Request) -> None:
        """Refuse a body over the limit from its Content-Length, or once a chunked one passes it."""
        length = request.content_length
        if length is not None:
            if length > self.max_body_bytes:
                raise BodyTooLargeError
            return
        if "chunked" not in request.headers.get("Transfer-Encoding", "").lower():
            return
        stream = request.environ["wsgi.input"]
        chunks: list[bytes] = []
        received = 0
        # Never ask for more than one byte past the limit: a read waits until it has what it asked.
        # `readline` rather than `read`: servers read ahead for `read` (gunicorn by 1 KiB), and a
        # client that stops one byte past the limit would never be answered.
        while chunk := stream.readline(min(_CHUNK_BYTES, self.max_body_bytes + 1 - received)):
            received += len(chunk)
            if received > self.max_body_bytes:
                raise BodyTooLargeError
            chunks.append(chunk)
        request.body = b"".join(chunks)

    def _apply_forwarded(self, request: Request) -> None:
        environ = request.environ
        forwarded_for = environ.get("HTTP_X_FORWARDED_FOR")
        forwarded_proto = environ.get("HTTP_X_FORWARDED_PROTO")
        if forwarded_for is None and forwarded_proto is None:
            return
        if not self.trusted_proxies.trusts(environ.get("REMOTE_ADDR", "")):
            return
        if forwarded_for is not None:
            client = self.trusted_proxies.client(forwarded_for)
            if client is not None:
                environ["REMOTE_ADDR"] = client
        if forwarded_proto is not None:
            # A chain of proxies may list several; the nearest one's is the last.
            scheme = forwarded_proto.rsplit(",", 1)[-1].strip().lower()
            if scheme in _FORWARDED_SCHEMES:
                environ["wsgi.url_scheme"] = scheme


def is_preflight(request: Request) -> bool:
    return request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers


def preflight(request: Request) -> Response:
    """What a browser asks before a cross-origin request: any method, the headers it names."""
    response = Response(status=200)
    response.headers.update(
        {
            "Access-Control-Allow-Methods": CORS_METHODS,
            "Access-Control-Allow-Headers": request.headers.get(
                "Access-Control-Request-Headers", ""
            ),
            "Access-Control-Max-Age": "600",
        }
    )
    return response


def json_error(status: int, detail: object, headers: dict[str, str] | None = None) -> Response:
    """A JSON `{"detail": ...}` response."""
    response = Response(status=status, json_body={"detail": detail}, charset="utf-8")
    response.headers.update(headers or {})
    return response


def includeme(config: Configurator) -> None:
    config.add_tween(f"{__name__}.RequestContext", under=INGRESS)

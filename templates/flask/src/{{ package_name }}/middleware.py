"""The request path: client address, request id, body limit, security headers, access log.

One WSGI middleware around the Flask app, so that every response (404, 405, 413 and 500
included) carries the headers and every request has its access line. It is one plain layer rather
than several hooks, because it runs on every request: its cost is the service's cost.
"""

import os
import re
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

import orjson
import structlog
from werkzeug.exceptions import RequestEntityTooLarge

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
_ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_FORWARDED_SCHEMES = {"http", "https"}
MIN_READ_BYTES, MAX_READ_BYTES = 1024, 1024 * 1024

# Called once a response has started: (environ, status, seconds); the metrics hook in here.
ResponseObserver = Callable[[WSGIEnvironment, int, float], None]

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
        app: WSGIApplication,
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
        self.security_headers = list(headers.items())

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        started = time.perf_counter()
        self._apply_forwarded(environ)
        request_id = environ.get("HTTP_X_REQUEST_ID", "")
        if not _ACCEPTED_REQUEST_ID.fullmatch(request_id):
            request_id = os.urandom(16).hex()
        status = 500

        def start_with_headers(
            status_line: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            nonlocal status
            status = int(status_line[:3])
            if status == 413:  # noqa: PLR2004
                # The rest of the body is never read: the connection cannot carry another request.
                headers = [*headers, ("Connection", "close")]
            present = {name.lower() for name, _ in headers}
            headers = [(name, value) for name, value in headers if name.lower() != "x-request-id"]
            headers.append((REQUEST_ID_HEADER, request_id))
            headers.extend(pair for pair in self.security_headers if pair[0].lower() not in present)
            return start_response(status_line, headers, exc_info)

        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            # No length to check up front: the body is refused (413) as soon as it passes the limit.
            environ["wsgi.input"] = BoundedInput(environ["wsgi.input"], self.max_body_bytes)

        token = REQUEST_ID.set(request_id)
        try:
            if _length(environ.get("CONTENT_LENGTH")) > self.max_body_bytes:
                return self._refuse_body(start_with_headers)
            return self.app(environ, start_with_headers)
        finally:
            seconds = time.perf_counter() - started
            access_logger.info(
                "request",
                method=environ["REQUEST_METHOD"],
                path=environ.get("PATH_INFO", ""),
                status=status,
                duration_ms=round(seconds * 1000, 2),
                client=environ.get("REMOTE_ADDR"),
            )
            for observe in self.observers:
                observe(environ, status, seconds)
            REQUEST_ID.reset(token)

    def _apply_forwarded(self, environ: WSGIEnvironment) -> None:
        forwarded_for = environ.get("HTTP_X_FORWARDED_FOR")
        forwarded_proto = environ.get("HTTP_X_FORWARDED_PROTO")
        if forwarded_for is None and forwarded_proto is None:
            return
        peer = environ.get("REMOTE_ADDR")
        if not peer or not self.trusted_proxies.trusts(peer):
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

    def _refuse_body(self, start_response: StartResponse) -> list[bytes]:
        # The connection is closed after the answer: the rest of the body is never read.
        body = orjson.dumps({"detail": f"Request body larger than {self.max_body_bytes} bytes"})
        start_response(
            "413 Request Entity Too Large",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("Connection", "close"),
            ],
        )
        return [body]


class BoundedInput:
    """A request body of unknown length that raises a 413 once more than `limit` bytes are read."""

    def __init__(self, stream: Any, limit: int) -> None:
        self.stream = stream
        self.remaining = limit

    def read(self, size: int | None = -1) -> bytes:
        if size is not None and size >= 0:
            return self._count(self.stream.read(min(size, self.remaining + 1)))
        # Never asking for more than one byte past the limit (a client may stop sending there, and
        # gunicorn waits until it has what is asked), in reads of 1 KiB to 1 MiB: gunicorn asks its
        # chunk parser for at least 1 KiB, and for at most 1 MiB at a time.
        pieces = []
        while wanted := self.remaining + 1:
            if wanted > MAX_READ_BYTES:
                wanted = min(MAX_READ_BYTES, wanted - MIN_READ_BYTES)
            piece = self._count(self.stream.read(wanted))
            if not piece:
                break
            pieces.append(piece)
        return b"".join(pieces)

    def readline(self, size: int | None = -1) -> bytes:
        limit = self.remaining + 1 if size is None or size < 0 else min(size, self.remaining + 1)
        return self._count(self.stream.readline(limit))

    def _count(self, data: bytes) -> bytes:
        self.remaining -= len(data)
        if self.remaining < 0:
            raise RequestEntityTooLarge
        return data


def _length(content_length: str | None) -> int:
    if not content_length:
        return 0
    try:
        return int(content_length)
    except ValueError:
        return 0  # the server refuses a malformed length before the app sees it

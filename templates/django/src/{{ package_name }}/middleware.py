"""The request path: client address, request id, body limit, security headers, access log, JSON 500.

One middleware, outermost, so that every response (404, 405, 413 and 500 included) carries the
headers and every request has its access line. It runs on every request, hence its few plain
loops.
"""

import io
import os
import re
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import Any

import structlog
from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponseBase, HttpResponseNotAllowed, JsonResponse

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
_READ_SIZE = 64 * 1024

logger = structlog.stdlib.get_logger(__name__)
access_logger = structlog.stdlib.get_logger(f"{__package__}.access")


class BodyTooLargeError(Exception):
    """A chunked body passed MAX_BODY_BYTES."""


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
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        service = settings.SERVICE
        self.max_body_bytes = service.max_body_bytes
        self.trusted_proxies = TrustedProxies(service.forwarded_allow_ips)
        headers = dict(SECURITY_HEADERS)
        if service.app_env == "production":
            headers.update([HSTS_HEADER])
        self.security_headers = headers

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        meta = request.META
        supplied = meta.get("HTTP_X_REQUEST_ID", "")
        request_id = supplied if _ACCEPTED_REQUEST_ID.fullmatch(supplied) else os.urandom(16).hex()
        self._apply_forwarded(meta)
        token = REQUEST_ID.set(request_id)
        status = 500
        try:
            response = self._respond(request)
            status = response.status_code
            response[REQUEST_ID_HEADER] = request_id
            for name, value in self.security_headers.items():
                response.headers.setdefault(name, value)
            return response
        finally:
            seconds = time.perf_counter() - started
            access_logger.info(
                "request",
                method=request.method,
                path=request.path,
                status=status,
                duration_ms=round(seconds * 1000, 2),
                client=meta.get("REMOTE_ADDR"),
            )
            REQUEST_ID.reset(token)

    def _respond(self, request: HttpRequest) -> HttpResponseBase:
        meta = request.META
        length = _length(meta.get("CONTENT_LENGTH"))
        if length is not None and length > self.max_body_bytes:
            return self._too_large()
        if length is None and "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower():
            try:
                self._read_chunked_body(request)
            except BodyTooLargeError:
                return self._too_large()
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed):
            # Django's 405 is an empty HTML page; this one is JSON and keeps `Allow`.
            allowed = response["Allow"]
            response = JsonResponse({"detail": "Method Not Allowed"}, status=405)
            response["Allow"] = allowed
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> JsonResponse:
        """A view failed: log it with the request id; the client learns only that it failed."""
        logger.error(
            "unhandled_exception", method=request.method, path=request.path, exc_info=exception
        )
        return JsonResponse({"detail": "Internal Server Error"}, status=500)

    def _read_chunked_body(self, request: HttpRequest) -> None:
        """Read a body of unknown length, refusing it as soon as it passes the limit.

        Django reads no body without a Content-Length; this one is read here, at most
        MAX_BODY_BYTES of it, and handed to Django as if its length had been declared.
        """
        stream: Any = request.META["wsgi.input"]
        body = io.BytesIO()
        # Never ask for more than one byte past the limit: a read waits until it has it all.
        # readline(), as servers read a body of unknown length in blocks for read() but pass a
        # readline()'s size through, so the byte past the limit is enough to refuse the body.
        while chunk := stream.readline(min(_READ_SIZE, self.max_body_bytes + 1 - body.tell())):
            body.write(chunk)
            if body.tell() > self.max_body_bytes:
                raise BodyTooLargeError
        size = body.tell()
        body.seek(0)
        request.META["CONTENT_LENGTH"] = str(size)
        request._stream = LimitedStream(body, size)  # type: ignore[assignment]

    def _apply_forwarded(self, meta: dict[str, Any]) -> None:
        forwarded_for = meta.get("HTTP_X_FORWARDED_FOR")
        forwarded_proto = meta.get("HTTP_X_FORWARDED_PROTO")
        if forwarded_for is None and forwarded_proto is None:
            return
        if not self.trusted_proxies.trusts(meta.get("REMOTE_ADDR", "")):
            return
        if forwarded_for is not None:
            client = self.trusted_proxies.client(forwarded_for)
            if client is not None:
                meta["REMOTE_ADDR"] = client
        if forwarded_proto is not None:
            # A chain of proxies may list several; the nearest one's is the last.
            scheme = forwarded_proto.rsplit(",", 1)[-1].strip().lower()
            if scheme in _FORWARDED_SCHEMES:
                meta["wsgi.url_scheme"] = scheme

    def _too_large(self) -> JsonResponse:
        # The connection is closed after the answer: the rest of the body is never read.
        response = JsonResponse(
            {"detail": f"Request body larger than {self.max_body_bytes} bytes"}, status=413
        )
        response["Connection"] = "close"
        return response


def _length(content_length: str | None) -> int | None:
    if not content_length:
        return None
    try:
        return int(content_length)
    except ValueError:
        return None

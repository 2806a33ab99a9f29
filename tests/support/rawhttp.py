"""HTTP over a plain socket, for what an HTTP client library will not do: declare a body and never send it,
stop a chunked body half-way, or keep requests in flight while the server is told to stop.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

LOOPBACK_HOSTS = {"127.0.0.1", "localhost"}


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes
    seconds: float  # from the end of the request head to the whole answer

    def json(self) -> Any:
        return json.loads(self.body)

    def describe(self) -> str:
        return f"{self.status} {self.headers} {self.body[:300]!r} after {self.seconds:.2f}s"


def host_port(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    return parts.hostname or "127.0.0.1", parts.port or (443 if parts.scheme == "https" else 80)


def connect(base_url: str, timeout: float, source: str | None = None) -> socket.socket:
    host, port = host_port(base_url)
    return socket.create_connection((host, port), timeout=timeout, source_address=(source, 0) if source else None)


def head(method: str, path: str, base_url: str, headers: Mapping[str, str]) -> bytes:
    host, port = host_port(base_url)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode("latin-1")


def read_response(sock: socket.socket, started: float | None = None) -> RawResponse:
    """One response from the socket (its timeout applies to each read)."""
    started = time.monotonic() if started is None else started
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        data = sock.recv(65536)
        if not data:
            raise ConnectionError(f"connection closed before a response head (got {buffer[:200]!r})")
        buffer += data
    raw_head, _, rest = buffer.partition(b"\r\n\r\n")
    status_line, *header_lines = raw_head.decode("latin-1").split("\r\n")
    status = int(status_line.split()[1])
    headers: dict[str, str] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = _read_body(sock, headers, rest)
    return RawResponse(status, headers, body, time.monotonic() - started)


def _read_body(sock: socket.socket, headers: Mapping[str, str], rest: bytes) -> bytes:
    if "content-length" in headers:
        size = int(headers["content-length"])
        while len(rest) < size:
            data = sock.recv(65536)
            if not data:
                break
            rest += data
        return rest[:size]
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while not rest.endswith(b"0\r\n\r\n"):
            data = sock.recv(65536)
            if not data:
                break
            rest += data
        return _unchunk(rest)
    with contextlib.suppress(OSError):
        while data := sock.recv(65536):
            rest += data
    return rest


def _unchunk(data: bytes) -> bytes:
    body = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        body, data = body + data[:size], data[size + 2 :]
    return body


def declared_body(
    base_url: str, method: str, path: str, size: int, headers: Mapping[str, str], timeout: float
) -> RawResponse:
    """Declare a body of `size` bytes in Content-Length and send none of it; the answer, within `timeout`."""
    with connect(base_url, timeout) as sock:
        sock.sendall(
            head(method, path, base_url, {"Content-Type": "application/json", **headers, "Content-Length": str(size)})
        )
        return read_response(sock)


def chunked_body(
    base_url: str, method: str, path: str, size: int, headers: Mapping[str, str], timeout: float, *, finish: bool
) -> RawResponse:
    """Send `size` bytes as a chunked body; without `finish`, stop there (no last chunk) and wait for the answer."""
    piece = 64 * 1024
    with connect(base_url, timeout) as sock:
        sock.sendall(
            head(
                method, path, base_url, {"Content-Type": "application/json", **headers, "Transfer-Encoding": "chunked"}
            )
        )
        sent = 0
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            while sent < size:
                n = min(piece, size - sent)
                sock.sendall(b"%x\r\n%s\r\n" % (n, b" " * n))
                sent += n
            if finish:
                sock.sendall(b"0\r\n\r\n")
        return read_response(sock)


def fresh_loopback_address() -> str:
    """A loopback address (127.0.0.0/8, not 127.0.0.1) that no other test uses: a client address of its own."""
    a, b, c = secrets.randbelow(254) + 1, secrets.randbelow(256), secrets.randbelow(254) + 1
    return f"127.{a}.{b}.{c}"


def is_loopback(base_url: str) -> bool:
    return host_port(base_url)[0] in LOOPBACK_HOSTS


@contextlib.contextmanager
def client_from(base_url: str, source: str, timeout: float = 30) -> Iterator[httpx.Client]:
    """An HTTP client whose connections come from `source`, so that the service sees that client address."""
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(base_url=base_url, timeout=timeout, transport=transport, follow_redirects=False) as client:
        yield client

"""Small helpers the contract tests share."""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from support.service import Service


@dataclass
class User:
    id: Any
    email: str
    password: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


# Every password and token the suite hands the service; none may show up in its logs.
SECRETS: list[str] = []


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def show(r: httpx.Response) -> str:
    """A response, for assertion messages."""
    return f"{r.request.method} {r.request.url.raw_path.decode()} -> {r.status_code} {r.text[:500]}"


def json_body(r: httpx.Response) -> Any:
    assert "json" in r.headers.get("content-type", ""), f"not JSON ({r.headers.get('content-type')}): {show(r)}"
    return r.json()


def assert_error(r: httpx.Response, status: int) -> Any:
    """An error answer: the status, and a JSON body {"detail": ...}."""
    assert r.status_code == status, f"expected {status}: {show(r)}"
    body = json_body(r)
    assert isinstance(body, dict) and "detail" in body, f"error body lacks 'detail': {show(r)}"
    return body


def assert_bearer_challenge(r: httpx.Response) -> None:
    assert_error(r, 401)
    challenge = r.headers.get("www-authenticate", "")
    assert challenge.lower().startswith("bearer"), f"401 without 'WWW-Authenticate: Bearer' ({challenge!r}): {show(r)}"


# Tokens the service must refuse
def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def token_for(sub: Any, secret: str, *, exp_offset: int = 600, alg: str = "HS256") -> str:
    now = int(time.time())
    return jwt.encode({"sub": str(sub), "iat": now, "exp": now + exp_offset}, secret, algorithm=alg)


def unsigned_token(sub: Any) -> str:
    now = int(time.time())
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({'sub': str(sub), 'iat': now, 'exp': now + 600})}."


# OpenAPI paths: a path template matches whatever its parameters are called.
def path_pattern(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]*\\\}", r"\\{[^}]+\\}", re.escape(path)) + "$")


def find_path(paths: dict[str, Any], template: str) -> str | None:
    pattern = path_pattern(template)
    return next((p for p in paths if pattern.match(p)), None)


# Prometheus text exposition
_SAMPLE = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>.*)\})?\s+(?P<value>\S+)")
_LABEL = re.compile(r'(?P<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?P<value>(?:[^"\\]|\\.)*)"')


@dataclass
class Sample:
    name: str
    labels: dict[str, str]
    value: float


def parse_metrics(text: str) -> tuple[list[Sample], dict[str, str]]:
    """(samples, {metric family: type})."""
    samples, types = [], {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, family, kind = line.split(maxsplit=3)
            types[family] = kind.strip()
        elif line and not line.startswith("#"):
            m = _SAMPLE.match(line)
            assert m, f"unparsable exposition line: {line!r}"
            labels = {lm["key"]: lm["value"] for lm in _LABEL.finditer(m["labels"] or "")}
            samples.append(Sample(m["name"], labels, float(m["value"])))
    return samples, types


def logged_so_far(service: Service, client: httpx.Client) -> None:
    """Wait until the service has written the log lines of every request made so far: a marker request's
    access line comes after theirs, as the client sends one request at a time."""
    rid = f"marker-{uuid.uuid4().hex}"
    client.get("/health", headers={"X-Request-ID": rid})
    found = service.wait_for_log(lambda r: r.get("request_id") == rid and r.get("event") == "request", timeout=10)
    assert found, f"no access line for the marker request {rid} within 10 s"


def poll(fetch: Any, done: Any, timeout: float, interval: float = 0.25) -> Any:
    deadline = time.monotonic() + timeout
    value = fetch()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(interval)
        value = fetch()
    return value

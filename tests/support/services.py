"""The real PostgreSQL, MariaDB and Redis the end-to-end tests use, from the environment.

PYBACKEND_POSTGRES_URL  default postgresql://postgres@127.0.0.1:5432/postgres  (an account that may CREATE DATABASE)
PYBACKEND_MYSQL_URL     default mysql://root@127.0.0.1:3306/
PYBACKEND_REDIS_URL     default redis://127.0.0.1:6379
PYBACKEND_RABBITMQ_URL  default amqp://guest:guest@127.0.0.1:5672

A test that needs a service it cannot reach is skipped, unless PYBACKEND_REQUIRE_SERVICES=1: then it fails.
Each test gets its own database and its own Redis db number, claimed atomically, so parallel runs do not collide;
and its own RabbitMQ virtual host where `rabbitmqctl` can make one (else the default one).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from typing import NoReturn
from urllib.parse import unquote, urlsplit, urlunsplit

import pytest

POSTGRES_URL = os.environ.get("PYBACKEND_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
MYSQL_URL = os.environ.get("PYBACKEND_MYSQL_URL", "mysql://root@127.0.0.1:3306/")
REDIS_URL = os.environ.get("PYBACKEND_REDIS_URL", "redis://127.0.0.1:6379")
RABBITMQ_URL = os.environ.get("PYBACKEND_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672")


def services_required() -> bool:
    return os.environ.get("PYBACKEND_REQUIRE_SERVICES") == "1"


def unavailable(reason: str) -> NoReturn:
    """Skip, or fail when the run promised that every service is there."""
    if services_required():
        pytest.fail(f"{reason} (PYBACKEND_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


def _reachable(url: str, default_port: int) -> str | None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or default_port
    try:
        with socket.create_connection((host, port), timeout=2):
            return None
    except OSError as exc:
        return f"cannot reach {host}:{port} ({exc})"


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def sql_command(kind: str, statement: str, url: str | None = None) -> list[str]:
    """The command line client's call that runs `statement` as the admin account, or against `url`."""
    if kind == "postgresql":
        return ["psql", url or POSTGRES_URL, "-v", "ON_ERROR_STOP=1", "-q", "-At", "-c", statement]
    parts = urlsplit(url or MYSQL_URL)
    client = "mariadb" if shutil.which("mariadb") else "mysql"
    host, port = parts.hostname or "127.0.0.1", str(parts.port or 3306)
    args = [client, "-h", host, "-P", port, "-u", unquote(parts.username or "root"), "-N", "-e", statement]
    if parts.password:
        args.insert(1, f"-p{unquote(parts.password)}")
    if parts.path.strip("/"):
        args.append(parts.path.strip("/"))
    return args


def _sql(kind: str, statement: str, url: str | None = None) -> str:
    """Run one statement as the admin account, or against `url` (a database this module created)."""
    return subprocess.run(
        sql_command(kind, statement, url), check=True, capture_output=True, text=True, timeout=60
    ).stdout


def sql_execute(url: str, statement: str) -> str:
    """A statement against a test database (sqlite:///path, or one sql_database() made); returns its output."""
    if url.startswith("sqlite"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
            rows = conn.execute(statement).fetchall()
            conn.commit()
        return "\n".join("|".join(map(str, row)) for row in rows)
    return _sql("postgresql" if url.startswith("postgresql") else "mysql", statement, url)


@contextlib.contextmanager
def sql_database(kind: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL or MariaDB database for one test; yields its plain URL; drops it after."""
    url, port, cli = (POSTGRES_URL, 5432, "psql") if kind == "postgresql" else (MYSQL_URL, 3306, "mariadb or mysql")
    problem = _reachable(url, port)
    if problem is None and not (
        shutil.which("psql") if kind == "postgresql" else shutil.which("mariadb") or shutil.which("mysql")
    ):
        problem = f"the {cli} command line client is not installed"
    if problem:
        unavailable(f"{kind} at {url}: {problem}")
    name = f"pyb_e2e_{uuid.uuid4().hex[:12]}"
    quoted = f'"{name}"' if kind == "postgresql" else f"`{name}`"
    try:
        _sql(kind, f"CREATE DATABASE {quoted}")
    except subprocess.CalledProcessError as exc:
        unavailable(f"{kind} at {url}: CREATE DATABASE failed: {exc.stderr.strip()}")
    try:
        yield _with_db(url, name)
    finally:
        drop = f"DROP DATABASE IF EXISTS {quoted}" + (" WITH (FORCE)" if kind == "postgresql" else "")
        with contextlib.suppress(subprocess.SubprocessError):
            _sql(kind, drop)


class _Resp:
    """Just enough of RESP to claim and flush a Redis database without a client library."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=5)
        self.file = self.sock.makefile("rb")
        if parts.password:
            auth = [unquote(parts.username), unquote(parts.password)] if parts.username else [unquote(parts.password)]
            self.call("AUTH", *auth)

    def close(self) -> None:
        self.file.close()
        self.sock.close()

    def call(self, *args: str | int) -> object:
        payload = f"*{len(args)}\r\n".encode()
        for arg in args:
            data = str(arg).encode()
            payload += b"$%d\r\n%s\r\n" % (len(data), data)
        self.sock.sendall(payload)
        return self._read()

    def _read(self) -> object:
        line = self.file.readline().rstrip(b"\r\n")
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            data = self.file.read(size + 2)[:-2]
            return data.decode(errors="replace")
        if kind == b"*":
            count = int(rest)
            return None if count < 0 else [self._read() for _ in range(count)]
        raise RuntimeError(f"unexpected Redis reply {line!r}")


_CLAIM_KEY = "pybackend:e2e:claim"
_USED_KEY = "pybackend:e2e:used"
# The claim on db N is also held in db 0, where it outlives a FLUSHDB of db N: a project's own tests empty the
# database TEST_REDIS_URL names, claim and all, and without this another run would take it from under them.
_REGISTRY_DB = 0
_REGISTRY_KEY = "pybackend:e2e:claim:{}"
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
# Atomic: take a db nobody holds that is empty or was ours before (a crashed run's leftovers), and empty it.
# A db holding anything else is someone's data and is left alone.
_CLAIM = (
    "if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end "
    "if redis.call('DBSIZE') ~= 0 and redis.call('EXISTS', KEYS[2]) == 0 then return 0 end "
    "redis.call('FLUSHDB') redis.call('SET', KEYS[1], ARGV[1], 'EX', 7200) redis.call('SET', KEYS[2], '1') "
    "return 1"
)


def _redis_base() -> str:
    parts = urlsplit(REDIS_URL)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def redis_call(db: int, *args: str | int) -> object:
    conn = _Resp(REDIS_URL)
    try:
        conn.call("SELECT", db)
        return conn.call(*args)
    finally:
        conn.close()


@contextlib.contextmanager
def redis_database() -> Iterator[tuple[str, int]]:
    """An empty Redis db number of our own; yields (url, number); flushes and frees it after."""
    problem = _reachable(REDIS_URL, 6379)
    if problem:
        unavailable(f"redis at {REDIS_URL}: {problem}")
    token = uuid.uuid4().hex
    conn = _Resp(REDIS_URL)
    try:
        count = conn.call("CONFIG", "GET", "databases")
        total = int(count[1]) if isinstance(count, list) and len(count) == 2 else 16
    except RuntimeError:
        total = 16
    db = None
    try:
        for number in range(1, total):  # db 0 holds nothing of ours but the claims' registry
            registry = _REGISTRY_KEY.format(number)
            conn.call("SELECT", _REGISTRY_DB)
            if conn.call("SET", registry, token, "NX", "EX", 7200) != "OK":
                continue
            conn.call("SELECT", number)
            if conn.call("EVAL", _CLAIM, 2, _CLAIM_KEY, _USED_KEY, token) == 1:
                db = number
                break
            conn.call("SELECT", _REGISTRY_DB)
            conn.call("EVAL", _RELEASE, 1, registry, token)
    finally:
        conn.close()
    if db is None:
        unavailable(f"redis at {REDIS_URL}: no free database among 1..{total - 1} (each holds other data or a claim)")
    try:
        yield f"{_redis_base()}/{db}", db
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            redis_call(db, "FLUSHDB")
            redis_call(_REGISTRY_DB, "EVAL", _RELEASE, 1, _REGISTRY_KEY.format(db), token)


@contextlib.contextmanager
def rabbitmq_vhost() -> Iterator[str]:
    """An AMQP URL on a virtual host of our own, deleted after; the default virtual host where `rabbitmqctl` is
    missing or may not make one (a broker in a container of its own)."""
    problem = _reachable(RABBITMQ_URL, 5672)
    if problem:
        unavailable(f"rabbitmq at {RABBITMQ_URL}: {problem}")
    base = RABBITMQ_URL.rstrip("/")
    vhost = f"pybackend-{uuid.uuid4().hex[:12]}"
    ctl = shutil.which("rabbitmqctl")

    def rabbitmqctl(*args: str) -> bool:
        if ctl is None:
            return False
        try:
            return subprocess.run([ctl, *args], capture_output=True, timeout=30, check=False).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False

    if not (
        rabbitmqctl("add_vhost", vhost)
        and rabbitmqctl("set_permissions", "-p", vhost, _rabbitmq_user(), ".*", ".*", ".*")
    ):
        yield f"{base}//"
        return
    try:
        yield f"{base}/{vhost}"
    finally:
        rabbitmqctl("delete_vhost", vhost)


def _rabbitmq_user() -> str:
    return unquote(urlsplit(RABBITMQ_URL).username or "guest")

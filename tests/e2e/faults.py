"""End to end, contract version 2: the project's own tests on real services, and faults, limits and memory, each on
a service started for it alone (sharing the stack's migrated database and Redis db where the fault is elsewhere).

test_stacks.py calls `v2_checks` once the main service has stopped; its main service runs with `CONTRACT_ENV`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from support import REPO_ROOT
from support.procinfo import memory_kib, peak_rss, service_pid, unread_by_server
from support.procs import Background, CommandFailed, clean_env, run
from support.project import Project
from support.rawhttp import connect, head, host_port, read_response
from support.service import ENV_VAR, Service
from support.services import redis_database, sql_database, sql_execute
from support.steps import Steps

# The main service: a rate limit the whole contract suite (schemathesis included) stays under, and a body limit
# that is not the default, to see MAX_BODY_BYTES read. The contract's defaults get a service of their own.
CONTRACT_ENV = {"AUTH_RATE_LIMIT_PER_MINUTE": "300", "MAX_BODY_BYTES": "262144"}
# For the checks that log in far more often than a client may.
UNLIMITED = {"AUTH_RATE_LIMIT_PER_MINUTE": "10000"}
DEFAULT_LIMITS = {"AUTH_RATE_LIMIT_PER_MINUTE": 10, "MAX_BODY_BYTES": 1_048_576}
BOOT_TIMEOUT = 60
CLOSED_PORT = 1  # nothing listens on port 1: connections are refused at once
TASK_503_WITHIN = 5.0
NOT_HELD_UP = 1.0  # what "other requests are not held up" means here: each answers within a second
CONCURRENT_LOGINS = 100
MEMORY_LIMIT_MIB = 150
IN_FLIGHT_LOGINS = 24
CLEAN_EXITS = {0, 128 + signal.SIGTERM, -signal.SIGTERM}


def described(env: dict[str, str]) -> dict[str, Any]:
    """The service description's fields for a service started with `env` (the contract's defaults if unset)."""
    return {
        "app_env": env.get("APP_ENV", "development"),
        "max_body_bytes": int(env.get("MAX_BODY_BYTES", DEFAULT_LIMITS["MAX_BODY_BYTES"])),
        "auth_rate_limit_per_minute": int(
            env.get("AUTH_RATE_LIMIT_PER_MINUTE", DEFAULT_LIMITS["AUTH_RATE_LIMIT_PER_MINUTE"])
        ),
        "forwarded_allow_ips": [ip.strip() for ip in env.get("FORWARDED_ALLOW_IPS", "127.0.0.1").split(",")],
    }


def v2_checks(project: Project, env: dict[str, str], steps: Steps, tmp: Path) -> None:
    answers = project.answers
    database, auth = answers["database"], answers.get("auth") == "jwt"
    redis = bool(answers.get("celery") or answers.get("cache"))
    if database in {"postgresql", "mysql"} or redis:
        with steps.soft("own pytest against real services (TEST_DATABASE_URL / TEST_REDIS_URL)"):
            _own_tests_on_real_services(project)
        with steps.soft("own pytest fails with TEST_DATABASE_URL / TEST_REDIS_URL at a closed port"):
            _own_tests_use_them(project)
    with steps.soft("default limits: 413 at once, 429 with Retry-After (the contract's limit checks)"):
        _default_limits(project, env, tmp)
    if redis:
        with steps.soft("Redis down: writes and reads succeed, tasks 503 fast, other requests not held up"):
            _redis_down(project, env)
    if database != "none":
        with steps.soft(f"unmigrated database: 503 migrations pending, 200 after {' '.join(project.migrate_command)}"):
            _unmigrated(project, env, tmp)
    if auth:
        with steps.soft(f"{CONCURRENT_LOGINS} concurrent wrong logins: memory bound, no 5xx; deleted user refused"):
            _logins_and_signal(project, env, in_flight=False)
        with steps.soft("SIGTERM with logins in flight: they finish with 200"):
            _logins_and_signal(project, env, in_flight=True)


@contextlib.contextmanager
def _serving(project: Project, name: str, env: dict[str, str]) -> Iterator[tuple[Background, str]]:
    server, base_url, _ = project.serve(name, env, BOOT_TIMEOUT)
    try:
        yield server, base_url
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n\n{name} service output (tail):\n{server.output(4000)}") from None
    finally:
        server.terminate(timeout=10)


def _ready(base_url: str) -> tuple[int, Any]:
    r = httpx.get(f"{base_url}/ready", timeout=15)
    return r.status_code, r.json() if "json" in r.headers.get("content-type", "") else r.text


def _checks(project: Project, database: str) -> dict[str, str]:
    checks = {"database": database} if project.answers["database"] != "none" else {}
    if project.answers.get("celery") or project.answers.get("cache"):
        checks["redis"] = "ok"
    return checks


# The project's own tests, on the real database and Redis


def _real_services(project: Project, stack: contextlib.ExitStack) -> tuple[dict[str, str], dict[str, str]]:
    """TEST_DATABASE_URL / TEST_REDIS_URL for the stack's real services (a database and Redis db of their own),
    and the same variables pointing at a closed port."""
    database = project.answers["database"]
    real: dict[str, str] = {}
    dead: dict[str, str] = {}
    if database in {"postgresql", "mysql"}:
        real["TEST_DATABASE_URL"] = stack.enter_context(sql_database(database))
        dead["TEST_DATABASE_URL"] = {
            "postgresql": f"postgresql://postgres@127.0.0.1:{CLOSED_PORT}/nothing",
            "mysql": f"mysql://root@127.0.0.1:{CLOSED_PORT}/nothing",
        }[database]
    if project.answers.get("celery") or project.answers.get("cache"):
        real["TEST_REDIS_URL"] = stack.enter_context(redis_database())[0]
        dead["TEST_REDIS_URL"] = f"redis://127.0.0.1:{CLOSED_PORT}/0"
    return real, dead


def _own_tests_on_real_services(project: Project) -> None:
    with contextlib.ExitStack() as stack:
        real, _ = _real_services(project, stack)
        project.uv_run(["pytest", "-q", "-p", "no:cacheprovider"], env=real, timeout=900)


def _own_tests_use_them(project: Project) -> None:
    """So that the run above cannot pass by ignoring them: with either variable at a closed port, the project's
    tests fail (`-x`: at the first test that needs it)."""
    with contextlib.ExitStack() as stack:
        real, dead = _real_services(project, stack)
        for name, url in dead.items():
            args = ["pytest", "-q", "-x", "-p", "no:cacheprovider"]
            result = project.uv_run(args, env={**real, name: url}, timeout=600, check=False)
            assert result.returncode != 0, (
                f"the project's tests pass with {name} at a closed port: they do not use it\n"
                f"{result.describe()[-3000:]}"
            )


# Limits at their defaults, through the contract suite's own checks


def _default_limits(project: Project, env: dict[str, str], tmp: Path) -> None:
    """A service started without MAX_BODY_BYTES and AUTH_RATE_LIMIT_PER_MINUTE: the contract's limit checks against
    the defaults (the main service runs with other values). It gets a Redis db of its own, so that the attempts
    the main service counted there (the limit is shared through Redis) do not count against it."""
    defaults_env = {k: v for k, v in env.items() if k not in CONTRACT_ENV}
    with contextlib.ExitStack() as stack:
        if "REDIS_URL" in env:
            defaults_env["REDIS_URL"] = stack.enter_context(redis_database())[0]
        server, base_url = stack.enter_context(_serving(project, "default-limits", defaults_env))
        description = Service(
            base_url=base_url,
            answers=project.answers,
            secret_key=env["SECRET_KEY"],
            log_paths=[str(server.stdout_path)],
            **described(defaults_env),
        ).dump(tmp / "service-default-limits.json")
        args = [sys.executable, "-m", "pytest", str(REPO_ROOT / "tests" / "contract" / "test_limits.py")]
        args += ["-o", "addopts=", "-q", "-p", "no:cacheprovider", "--tb", "short", "-W", "ignore::DeprecationWarning"]
        try:
            run(args, cwd=REPO_ROOT, env=clean_env({ENV_VAR: str(description)}), timeout=600)
        except CommandFailed as exc:
            raise CommandFailed(f"{exc}\n\nservice output (tail):\n{server.output(4000)}") from None


# Faults


def _user_headers(client: httpx.Client) -> tuple[dict[str, str], str, str]:
    email, password = f"e2e-{uuid.uuid4().hex[:12]}@example.com", f"pw-{uuid.uuid4().hex}"
    r = client.post("/api/v1/auth/register", json={"email": email, "password": password})
    assert r.status_code == 201, f"register: {r.status_code} {r.text[:300]}"
    r = client.post("/api/v1/auth/token", data={"username": email, "password": password})
    assert r.status_code == 200, f"token: {r.status_code} {r.text[:300]}"
    return {"Authorization": f"Bearer {r.json()['access_token']}"}, email, password


def _redis_down(project: Project, env: dict[str, str]) -> None:
    down = {**env, "REDIS_URL": f"redis://127.0.0.1:{CLOSED_PORT}/0"}
    with _serving(project, "redis-down", down) as (_, base_url), httpx.Client(base_url=base_url, timeout=30) as client:
        headers = _user_headers(client)[0] if project.answers.get("auth") == "jwt" else {}
        if project.answers["database"] != "none":
            _items_work(client, headers)
        if project.answers.get("celery"):
            _tasks_fail_fast(client, headers)


def _items_work(client: httpx.Client, headers: dict[str, str]) -> None:
    def call(method: str, path: str, status: int, **kwargs: Any) -> httpx.Response:
        r = client.request(method, path, **kwargs)
        assert r.status_code == status, f"Redis down: {method} {path} -> {r.status_code} {r.text[:300]}"
        return r

    name = f"redis-down-{uuid.uuid4().hex[:8]}"
    item = call("POST", "/api/v1/items", 201, json={"name": name}, headers=headers).json()
    path = f"/api/v1/items/{item['id']}"
    assert call("GET", path, 200).json()["name"] == name
    assert (
        call("PATCH", path, 200, json={"name": name + "-changed"}, headers=headers).json()["name"] == name + "-changed"
    )
    assert call("GET", path, 200).json()["name"] == name + "-changed", "a read after a write returned stale data"
    listed = call("GET", "/api/v1/items", 200, params={"limit": 100}).json()
    assert isinstance(listed.get("items"), list) and listed.get("total", 0) >= 1, listed
    call("DELETE", path, 204, headers=headers)
    call("GET", path, 404)


def _tasks_fail_fast(client: httpx.Client, headers: dict[str, str]) -> None:
    """Several tasks at once against the dead broker: each a JSON 503 within the limit, while /health keeps
    answering at once."""
    with ThreadPoolExecutor(4) as pool:

        def post() -> tuple[httpx.Response, float]:
            started = time.monotonic()
            r = client.post("/api/v1/tasks/add", json={"x": 1, "y": 2}, headers=headers)
            return r, time.monotonic() - started

        posts = [pool.submit(post) for _ in range(4)]
        slowest = 0.0
        while not all(p.done() for p in posts):
            started = time.monotonic()
            r = client.get("/health")
            slowest = max(slowest, time.monotonic() - started)
            assert r.status_code == 200, f"/health while tasks wait on a dead broker: {r.status_code}"
        results = [p.result() for p in posts]
    for r, seconds in results:
        assert r.status_code == 503 and "json" in r.headers.get("content-type", ""), (
            f"POST /api/v1/tasks/add with the broker down -> {r.status_code} {r.text[:300]}"
        )
        assert seconds <= TASK_503_WITHIN, f"503 came after {seconds:.1f}s (limit {TASK_503_WITHIN:.0f}s)"
    assert slowest <= NOT_HELD_UP, f"/health took {slowest:.2f}s while tasks waited on the dead broker"


def _unmigrated(project: Project, env: dict[str, str], tmp: Path) -> None:
    database = project.answers["database"]
    with contextlib.ExitStack() as stack:
        if database == "sqlite":
            url = f"sqlite:///{tmp / f'unmigrated-{uuid.uuid4().hex[:8]}.db'}"
        else:
            url = stack.enter_context(sql_database(database))
        fresh = {**env, "DATABASE_URL": url}
        with _serving(project, "unmigrated", fresh) as (_, base_url):
            status, body = _ready(base_url)
            expected = {"status": "unavailable", "checks": _checks(project, "migrations pending")}
            assert (status, body) == (503, expected), f"GET /ready on an empty database -> {status} {body}"
            project.uv_run(project.migrate_command, env=fresh, timeout=180)
            deadline = time.monotonic() + 15
            while (status, body) != (200, {"status": "ok", "checks": _checks(project, "ok")}):
                assert time.monotonic() < deadline, f"15s after migrating, GET /ready -> {status} {body}"
                time.sleep(0.2)
                status, body = _ready(base_url)


# Logins: memory under a burst, a deleted user, and SIGTERM with logins in flight


def _logins_and_signal(project: Project, env: dict[str, str], *, in_flight: bool) -> None:
    with _serving(project, "logins", {**env, **UNLIMITED}) as (server, base_url):
        assert server.proc is not None
        pid = service_pid(server.proc.pid, project.package)
        with httpx.Client(base_url=base_url, timeout=120) as client:
            _, email, password = _user_headers(client)
            if in_flight:
                _signal_with_logins_in_flight(server, pid, base_url, email, password)
            else:
                _memory_under_logins(client, pid, email)
                _deleted_user_refused(client, env["DATABASE_URL"])


def _memory_under_logins(client: httpx.Client, pid: int, email: str) -> None:
    def wrong(via: httpx.Client) -> int:
        return via.post("/api/v1/auth/token", data={"username": email, "password": uuid.uuid4().hex}).status_code

    for _ in range(3):  # warm: the first hashes build the hasher and its thread pool
        wrong(client)
    start = threading.Barrier(CONCURRENT_LOGINS)
    # One connection per caller, so that all of them are at the service at once.
    pool_limits = httpx.Limits(max_connections=CONCURRENT_LOGINS, max_keepalive_connections=CONCURRENT_LOGINS)
    everyone = httpx.Client(base_url=client.base_url, timeout=120, limits=pool_limits)

    def burst() -> int:
        start.wait()
        return wrong(everyone)

    baseline = memory_kib(pid, "VmRSS")
    with everyone, peak_rss(pid) as peak, ThreadPoolExecutor(CONCURRENT_LOGINS) as pool:
        statuses = list(pool.map(lambda _: burst(), range(CONCURRENT_LOGINS)))
    growth = (peak[0] - baseline) / 1024
    print(
        f"{CONCURRENT_LOGINS} concurrent wrong logins: RSS {baseline / 1024:.0f} MiB -> peak {peak[0] / 1024:.0f} MiB"
    )
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    assert counts == {401: CONCURRENT_LOGINS}, f"{CONCURRENT_LOGINS} wrong logins at once, statuses: {counts}"
    assert growth <= MEMORY_LIMIT_MIB, (
        f"{CONCURRENT_LOGINS} concurrent logins raised the service's memory by {growth:.0f} MiB "
        f"({baseline / 1024:.0f} -> {peak[0] / 1024:.0f} MiB; limit {MEMORY_LIMIT_MIB} MiB)"
    )


def _deleted_user_refused(client: httpx.Client, database_url: str) -> None:
    headers, email, _ = _user_headers(client)
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    sql_execute(database_url, f"DELETE FROM users WHERE email = '{email}'")  # noqa: S608 - our own generated email
    r = client.get("/api/v1/users/me", headers=headers)
    assert r.status_code == 401 and r.headers.get("www-authenticate", "").lower().startswith("bearer"), (
        f"the token of a deleted user: {r.status_code} {dict(r.headers)} {r.text[:300]}"
    )


def _signal_with_logins_in_flight(server: Background, pid: int, base_url: str, email: str, password: str) -> None:
    """Logins (each an Argon2 verification, a few at a time) sent together; once the service has read every one
    of them (no unread bytes left on its side of each connection, from /proc/net/tcp) they are in flight, and
    SIGTERM must let them finish."""
    body = f"username={email.replace('@', '%40')}&password={password}".encode()
    form = {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(len(body))}
    form["Connection"] = "close"  # one request per connection: each one answered, then closed by the service
    request = head("POST", "/api/v1/auth/token", base_url, form) + body
    sent = threading.Barrier(IN_FLIGHT_LOGINS + 1)
    ports: set[int] = set()
    outcomes: list[tuple[str, float]] = []

    def login() -> None:
        with connect(base_url, timeout=60) as sock:
            ports.add(sock.getsockname()[1])
            sock.sendall(request)
            sent.wait()
            try:
                r = read_response(sock)
                good = r.status == 200 and b"access_token" in r.body
                outcome = f"{r.status}" + ("" if good else f" {r.body[:200]!r}")
            except OSError as exc:
                outcome = f"no answer ({exc!r})"
        outcomes.append((outcome, time.monotonic()))

    threads = [threading.Thread(target=login, daemon=True) for _ in range(IN_FLIGHT_LOGINS)]
    for t in threads:
        t.start()
    sent.wait()
    server_port = host_port(base_url)[1]
    deadline = time.monotonic() + 30
    while any(unread != 0 for unread in unread_by_server(server_port, ports).values() if unread is not None):
        assert time.monotonic() < deadline, "the service did not read the logins sent to it within 30s"
        time.sleep(0.005)
    signalled = time.monotonic()
    os.kill(pid, signal.SIGTERM)
    for t in threads:
        t.join(60)
    code = server.wait_exit(30)
    failed = [o for o, _ in outcomes if o != "200"]
    after = sum(1 for _, at in outcomes if at > signalled)
    assert len(outcomes) == IN_FLIGHT_LOGINS and not failed, (
        f"SIGTERM with {IN_FLIGHT_LOGINS} logins in flight: {len(outcomes)} answered, failures {failed}\n"
        f"{server.output(3000)}"
    )
    assert after > 0, f"all {IN_FLIGHT_LOGINS} logins had finished before SIGTERM arrived: nothing was in flight"
    assert code in CLEAN_EXITS, f"after SIGTERM the service exited with {code}\n{server.output(3000)}"

"""End to end, contract version 2: the project's own tests on real services, and faults, limits and memory, each on
a service started for it alone (sharing the stack's migrated database and Redis db where the fault is elsewhere).

test_stacks.py calls `v2_checks` once the main service has stopped; its main service runs with `CONTRACT_ENV`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from support import REPO_ROOT
from support.freezeproxy import freezable_proxy
from support.pending import FAULTS_NOT_YET
from support.procinfo import peak_rss, process_tree, service_pid, tree_memory_kib, unread_by_server
from support.procs import Background, CommandFailed, clean_env, run
from support.project import Project
from support.rawhttp import connect, head, host_port, read_response
from support.service import ENV_VAR, Service
from support.services import rabbitmq_vhost, redis_database, sql_command, sql_database, sql_execute
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


def v2_checks(project: Project, env: dict[str, str], steps: Steps, tmp: Path, *, framework_level: bool = True) -> None:
    """`framework_level=False` leaves out the checks whose outcome depends on the framework alone, for a stack whose
    framework runs them in its full stack: its server and middleware (limits, slow clients, keep-alive,
    processes), its login bursts, and whether its tests honour TEST_DATABASE_URL and TEST_REDIS_URL."""
    answers = project.answers
    database, auth = answers["database"], answers.get("auth") == "jwt"
    redis = bool(answers.get("celery") or answers.get("cache"))
    if database in {"postgresql", "mysql"} or redis:
        with steps.soft("own pytest against real services (TEST_DATABASE_URL / TEST_REDIS_URL)"):
            _own_tests_on_real_services(project)
        if framework_level:
            with steps.soft("own pytest fails with TEST_DATABASE_URL / TEST_REDIS_URL at a closed port"):
                _own_tests_use_them(project)
    if framework_level:
        with steps.soft("default limits: 413 at once, 429 with Retry-After (the contract's limit checks)"):
            _default_limits(project, env, tmp)
    if redis:
        with steps.soft("Redis down: writes and reads succeed, tasks 503 fast, other requests not held up"):
            _redis_down(project, env)
    if _rabbitmq(project):
        with steps.soft("RabbitMQ down: tasks 503 fast, other requests not held up, /ready degraded"):
            _rabbitmq_down(project, env)
    if database != "none":
        with steps.soft(f"unmigrated database: 503 migrations pending, 200 after {' '.join(project.migrate_command)}"):
            _unmigrated(project, env, tmp)
    if auth and framework_level:
        with steps.soft(
            f"{CONCURRENT_LOGINS} concurrent wrong logins: memory bound, no 5xx, /health on time; deleted user refused"
        ):
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
    if _rabbitmq(project):
        checks["rabbitmq"] = "ok"
    return checks


def _rabbitmq(project: Project) -> bool:
    """Whether Celery's broker is RabbitMQ (RABBITMQ_URL) rather than Redis."""
    return bool(project.answers.get("celery")) and project.answers.get("celery_broker") == "rabbitmq"


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
    if _rabbitmq(project):
        real["TEST_RABBITMQ_URL"] = stack.enter_context(rabbitmq_vhost())
        dead["TEST_RABBITMQ_URL"] = f"amqp://guest:guest@127.0.0.1:{CLOSED_PORT}//"
    return real, dead


# The project's tests that start processes of their own, with settings of their own, and use no service: they run
# as generated, in each framework's defaults stack and update scenario.
_WITHOUT_SERVICES = ("tests/test_server.py", "tests/test_configuration.py")


def _own_tests_on_real_services(project: Project) -> None:
    """Coverage, which costs a quarter of the run, is measured where the project's tests run as generated."""
    ignored = [f"--ignore={path}" for path in _WITHOUT_SERVICES]
    with contextlib.ExitStack() as stack:
        real, _ = _real_services(project, stack)
        project.uv_run(["pytest", "-q", "--no-cov", "-p", "no:cacheprovider", *ignored], env=real, timeout=900)


# The tests that use a variable, where only some do: the others need not run to show that they fail without it.
_USED_BY = {"TEST_RABBITMQ_URL": ["tests/test_worker_process.py"]}


def _own_tests_use_them(project: Project) -> None:
    """So that the run above cannot pass by ignoring them: with either variable at a closed port, the project's
    tests fail (`-x`: at the first test that needs it; coverage, measured above, is left out)."""
    with contextlib.ExitStack() as stack:
        real, dead = _real_services(project, stack)
        for name, url in dead.items():
            used_by = _USED_BY.get(name) or [f"--ignore={path}" for path in _WITHOUT_SERVICES]
            args = ["pytest", "-q", "-x", "--no-cov", "-p", "no:cacheprovider", *used_by]
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
            # With RabbitMQ as the broker a task may still be sent; its result is what Redis cannot keep.
            _tasks_fail_fast(client, headers, accepted={202, 503} if _rabbitmq(project) else {503})


def _rabbitmq_down(project: Project, env: dict[str, str]) -> None:
    down = {**env, "RABBITMQ_URL": f"amqp://guest:guest@127.0.0.1:{CLOSED_PORT}//"}
    with (
        _serving(project, "rabbitmq-down", down) as (_, base_url),
        httpx.Client(base_url=base_url, timeout=30) as client,
    ):
        headers = _user_headers(client)[0] if project.answers.get("auth") == "jwt" else {}
        _tasks_fail_fast(client, headers)
        status, body = _ready(base_url)
        assert status == 200 and body.get("status") == "degraded", f"/ready with RabbitMQ down: {status} {body}"
        assert body["checks"].get("rabbitmq") == "unavailable", f"/ready with RabbitMQ down: {body}"


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


def _tasks_fail_fast(
    client: httpx.Client, headers: dict[str, str], accepted: frozenset[int] | set[int] = frozenset({503})
) -> None:
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
        assert r.status_code in accepted and "json" in r.headers.get("content-type", ""), (
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
                _memory_under_logins(client, pid, email, watch_health=login_burst_checked(project.answers["framework"]))
                _deleted_user_refused(client, env["DATABASE_URL"])


def _memory_under_logins(client: httpx.Client, pid: int, email: str, *, watch_health: bool) -> None:
    """Also, while the logins hash (contract v3): /health answers within a second throughout."""

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

    baseline = tree_memory_kib(pid, "VmRSS")  # the server and its worker processes, if it forks any
    health = _HealthWatch(str(client.base_url).rstrip("/"))
    with everyone, peak_rss(pid) as peak, health, ThreadPoolExecutor(CONCURRENT_LOGINS) as pool:
        statuses = list(pool.map(lambda _: burst(), range(CONCURRENT_LOGINS)))
    growth = (peak[0] - baseline) / 1024
    print(
        f"{CONCURRENT_LOGINS} concurrent wrong logins: RSS {baseline / 1024:.0f} MiB -> peak {peak[0] / 1024:.0f} MiB"
    )
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    assert counts == {401: CONCURRENT_LOGINS}, f"{CONCURRENT_LOGINS} wrong logins at once, statuses: {counts}"
    if watch_health:
        health.check(f"{CONCURRENT_LOGINS} concurrent logins")
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


# Contract version 3: staying up under overload, slow clients, a frozen Redis and a failover; a server sized from
# the environment; configuration errors in one line. (Hermetic project tests: the defaults stacks run their own
# tests inside `stale_surroundings`.)

V3_CHECKS = (
    "redis frozen",
    "rabbitmq frozen",
    "slow clients",
    "login burst",
    "overload",
    "failover",
    "statement timeout",
    "web concurrency",
    "keepalive",
    "unusable DATABASE_URL",
)
SMALL_POOL = {"DB_POOL_SIZE": "5", "DB_MAX_OVERFLOW": "5", "DB_CONNECT_TIMEOUT_SECONDS": "1"}
FROZEN_WITHIN = 5.0 + 2.0  # the contract's 5 s, and a margin for a busy machine
HEALTH_WITHIN = 1.0  # the contract's "within a second" (the Kubernetes default probe timeout)
LATE_IN_A_ROW = 2  # late /health answers in a row that fail a watch (see _HealthWatch.check)
SLOW_CLIENTS = 64
OVERLOAD_REQUESTS = 1000
STATEMENT_TIMEOUT = 1
KEEPALIVE = 4  # its idle wait (3 s) outlasts a server's own default keep-alive of 2 s


def v3_checks(project: Project, env: dict[str, str], steps: Steps, tmp: Path, *, framework_level: bool = True) -> None:
    """`framework_level=False` as for v2_checks."""
    answers = project.answers
    framework, database = answers["framework"], answers["database"]
    skipped = FAULTS_NOT_YET.get(framework, set())
    unknown = skipped - set(V3_CHECKS)
    assert not unknown, f"FAULTS_NOT_YET names checks that do not exist: {unknown}"

    def wanted(name: str, applies: bool) -> bool:
        if applies and name in skipped:
            print(f"v3 check not run for {framework} (support/pending.py): {name}")
        return applies and name not in skipped

    redis = bool(answers.get("celery") or answers.get("cache"))
    if wanted("redis frozen", redis):
        with steps.soft("Redis frozen: tasks 503 and items, /ready degraded within 5 s; /health, /users/me on time"):
            _redis_frozen(project, env)
    if wanted("rabbitmq frozen", _rabbitmq(project)):
        with steps.soft("RabbitMQ frozen: tasks 503 and /ready degraded within 5 s; /health on time"):
            _rabbitmq_frozen(project, env)
    # Checks that need the same settings share a service: each start costs seconds of CI time.
    slow, keepalive = wanted("slow clients", framework_level), wanted("keepalive", framework_level)
    if slow or keepalive:
        sized = {**env, "KEEPALIVE_SECONDS": str(KEEPALIVE)}
        with _shared(project, "keepalive", sized, steps) as (server, base_url):
            if base_url and slow:
                with steps.soft(f"{SLOW_CLIENTS} slow clients: /health within {HEALTH_WITHIN:.0f} s"), server:
                    _slow_clients(project, base_url)
            if base_url and keepalive:
                with (
                    steps.soft(f"KEEPALIVE_SECONDS={KEEPALIVE}: an idle connection stays open, then is closed"),
                    server,
                ):
                    _keepalive(base_url)
    failover = wanted("failover", database in {"postgresql", "mysql"})
    statement = wanted("statement timeout", database in {"postgresql", "mysql"})
    overload = wanted("overload", database != "none")
    if failover or statement or overload:
        limits = {"DB_STATEMENT_TIMEOUT_SECONDS": str(STATEMENT_TIMEOUT), **UNLIMITED, **SMALL_POOL}
        with _shared(project, "database-faults", {**env, **limits}, steps) as (server, base_url):
            headers: dict[str, str] = {}
            if base_url:
                with steps.soft("a user for the database fault checks"), server:
                    headers.update(_headers_for(project, base_url))
            steps_named = (
                (failover, "the database drops every connection: the next requests succeed"),
                (statement, f"DB_STATEMENT_TIMEOUT_SECONDS={STATEMENT_TIMEOUT} behind a table lock: 503 at once"),
                (overload, f"{OVERLOAD_REQUESTS} concurrent creates, pool of 5 + 5: 2xx or 503 with Retry-After"),
            )
            checks: tuple[Callable[[], None], ...] = (
                lambda: _failover(env["DATABASE_URL"], base_url, headers),
                lambda: _statement_timeout(database, env["DATABASE_URL"], base_url),
                lambda: _overload(base_url, headers),  # last: it may leave the service unwell
            )
            for (on, step), check in zip(steps_named, checks, strict=True):
                if base_url and on:
                    with steps.soft(step), server:
                        check()
    if wanted("web concurrency", framework_level):
        with steps.soft("WEB_CONCURRENCY=2: starts, /metrics counts both processes' requests"):
            _web_concurrency(project, env)
    if wanted("unusable DATABASE_URL", database != "none"):
        with steps.soft("an unusable DATABASE_URL: one line naming it, no traceback"):
            _unusable_database_url(project, env)


class _OutputOnFailure:
    """Used as `with server:` around a check: a failed assertion gets the service's output tail appended."""

    def __init__(self, name: str, server: Background) -> None:
        self.name, self.server = name, server

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, AssertionError):
            raise AssertionError(f"{exc}\n\n{self.name} service output (tail):\n{self.server.output(4000)}") from None


@contextlib.contextmanager
def _shared(
    project: Project, name: str, env: dict[str, str], steps: Steps
) -> Iterator[tuple[_OutputOnFailure | contextlib.nullcontext[None], str]]:
    """A service for several checks; its start is a step of its own, and when it fails the checks do not run."""
    with contextlib.ExitStack() as stack:
        started: tuple[Background, str] | None = None
        with steps.soft(f"start a service for the {name} checks"):
            server, base_url, _ = project.serve(name, env, BOOT_TIMEOUT)
            stack.callback(server.terminate, 10)
            started = server, base_url
        if started is None:
            yield contextlib.nullcontext(), ""
        else:
            yield _OutputOnFailure(name, started[0]), started[1]


def _headers_for(project: Project, base_url: str) -> dict[str, str]:
    if project.answers.get("auth") != "jwt":
        return {}
    with httpx.Client(base_url=base_url, timeout=60) as client:
        return _user_headers(client)[0]


def login_burst_checked(framework: str) -> bool:
    return "login burst" not in FAULTS_NOT_YET.get(framework, set())


def _timed(call: Any) -> tuple[Any, float]:
    started = time.monotonic()
    try:
        return call(), time.monotonic() - started
    except httpx.HTTPError as exc:
        return exc, time.monotonic() - started


def _describe(outcome: Any) -> str:
    if isinstance(outcome, httpx.Response):
        return f"{outcome.status_code} {outcome.text[:200]}"
    return repr(outcome)


class _HealthWatch:
    """Polls /health over fresh connections while a fault runs: any failure, the slowest answer, and the longest
    run of late answers."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.slowest = 0.0
        self.failures: list[str] = []
        self.polls = 0
        # The longest run of answers later than HEALTH_WITHIN in a row, and the answer times of that run.
        self.late_streak: list[float] = []
        self._late: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        # One client made before the clock starts (making one loads the CA bundle, which is seconds of a loaded
        # machine's CPU, measured in this process), opening a new connection for each poll as a probe does.
        fresh = httpx.Limits(max_keepalive_connections=0)
        with httpx.Client(base_url=self.base_url, timeout=10, limits=fresh) as client:
            while not self._stop.is_set():
                outcome, seconds = _timed(lambda: client.get("/health"))
                self.polls += 1
                self.slowest = max(self.slowest, seconds)
                self._late = [*self._late, seconds] if seconds > HEALTH_WITHIN else []
                self.late_streak = max(self.late_streak, self._late, key=len)
                if not isinstance(outcome, httpx.Response) or outcome.status_code != 200:
                    self.failures.append(_describe(outcome))
                self._stop.wait(0.1)

    def __enter__(self) -> _HealthWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(15)

    def check(self, during: str) -> None:
        assert self.polls, f"/health was never polled during {during}"
        assert not self.failures, f"/health failed during {during}: {self.failures[:5]}"
        # As a kubelet judges a liveness probe: one late answer fails one probe, and only failures in a row
        # (failureThreshold, 3 by default) restart the pod. Two in a row here, polls 0.1 s apart, already fail.
        assert len(self.late_streak) < LATE_IN_A_ROW, (
            f"/health answered later than {HEALTH_WITHIN:.0f}s {len(self.late_streak)} times in a row during {during}"
            f" ({', '.join(f'{s:.2f}s' for s in self.late_streak)}; slowest {self.slowest:.2f}s, {self.polls} polls)"
        )


def _redis_frozen(project: Project, env: dict[str, str]) -> None:
    """Redis behind a proxy that, once the service has connected through it, stops forwarding without closing."""
    redis_url = urlsplit(env["REDIS_URL"])
    with freezable_proxy(redis_url.hostname or "127.0.0.1", redis_url.port or 6379) as proxy:
        proxied = {**env, **UNLIMITED, "REDIS_URL": f"redis://127.0.0.1:{proxy.port}{redis_url.path}"}
        with (
            _serving(project, "redis-frozen", proxied) as (_, base_url),
            httpx.Client(base_url=base_url, timeout=60) as client,
        ):
            auth = project.answers.get("auth") == "jwt"
            headers = _user_headers(client)[0] if auth else {}
            database = project.answers["database"] != "none"
            item = client.post("/api/v1/items", json={"name": "frozen"}, headers=headers).json() if database else {}
            if database:  # open the service's Redis connections while Redis answers
                client.get(f"/api/v1/items/{item['id']}")
            if project.answers.get("celery"):
                client.post("/api/v1/tasks/add", json={"x": 1, "y": 2}, headers=headers)
            assert _ready(base_url)[0] == 200
            proxy.freeze()
            problems: list[str] = []
            calls: list[tuple[str, Any, set[int]]] = [("GET /ready", lambda: client.get("/ready"), {200})]
            if project.answers.get("celery"):
                post = lambda: client.post("/api/v1/tasks/add", json={"x": 1, "y": 2}, headers=headers)  # noqa: E731
                # With RabbitMQ as the broker a task may still be sent; its result is what Redis cannot keep.
                sent = {202, 503} if _rabbitmq(project) else {503}
                calls += [("POST /api/v1/tasks/add", post, sent)] * 30
            if database:
                path = f"/api/v1/items/{item['id']}"
                calls += [
                    ("GET item", lambda: client.get(path), {200}),
                    ("PATCH item", lambda: client.patch(path, json={"name": "thawed"}, headers=headers), {200}),
                    ("POST item", lambda: client.post("/api/v1/items", json={"name": "f"}, headers=headers), {201}),
                ]
            with _HealthWatch(base_url) as health, ThreadPoolExecutor(len(calls)) as pool:
                futures = [(what, pool.submit(_timed, call), ok) for what, call, ok in calls]
                time.sleep(1.0)  # the task posts are waiting on the frozen broker by now
                if auth:
                    me, seconds = _timed(lambda: client.get("/api/v1/users/me", headers=headers))
                    if not isinstance(me, httpx.Response) or me.status_code != 200 or seconds > 2 * HEALTH_WITHIN:
                        problems.append(f"GET /api/v1/users/me held up: {_describe(me)} after {seconds:.1f}s")
                problems += _frozen_outcomes(futures, "Redis", lambda ready: ready.get("status") == "degraded")
            proxy.thaw()
            try:
                health.check("the Redis freeze")
            except AssertionError as exc:
                problems.append(str(exc))
            assert not problems, "Redis frozen:\n" + "\n".join(problems)


def _frozen_outcomes(
    futures: list[tuple[str, Future[tuple[Any, float]], set[int]]],
    frozen: str,
    ready_says: Callable[[dict[str, Any]], bool],
) -> list[str]:
    """What went wrong among the calls made while `frozen` was frozen: a status not expected, an answer later
    than the contract's 5 s, or a /ready body that does not say so."""
    problems: list[str] = []
    for what, future, ok in futures:
        outcome, seconds = future.result()
        if not isinstance(outcome, httpx.Response) or outcome.status_code not in ok:
            problems.append(f"{what}: {_describe(outcome)} after {seconds:.1f}s (expected {ok})")
        elif seconds > FROZEN_WITHIN:
            problems.append(f"{what}: {outcome.status_code} after {seconds:.1f}s (limit 5 s + margin)")
        elif what == "GET /ready" and not ready_says(outcome.json()):
            problems.append(f"GET /ready with {frozen} frozen: {_describe(outcome)}")
    return problems


def _rabbitmq_frozen(project: Project, env: dict[str, str]) -> None:
    """RabbitMQ behind a proxy that, once the service has sent a task through it, stops forwarding without closing."""
    url = urlsplit(env["RABBITMQ_URL"])
    with freezable_proxy(url.hostname or "127.0.0.1", url.port or 5672) as proxy:
        netloc = f"{url.username or 'guest'}:{url.password or 'guest'}@127.0.0.1:{proxy.port}"
        proxied = {**env, **UNLIMITED, "RABBITMQ_URL": f"amqp://{netloc}{url.path or '//'}"}
        with (
            _serving(project, "rabbitmq-frozen", proxied) as (_, base_url),
            httpx.Client(base_url=base_url, timeout=60) as client,
        ):
            headers = _user_headers(client)[0] if project.answers.get("auth") == "jwt" else {}
            post = lambda: client.post("/api/v1/tasks/add", json={"x": 1, "y": 2}, headers=headers)  # noqa: E731
            sent = post()
            assert sent.status_code == 202, f"POST /api/v1/tasks/add with RabbitMQ up: {_describe(sent)}"
            assert _ready(base_url)[0] == 200
            proxy.freeze()
            problems: list[str] = []
            calls: list[tuple[str, Any, set[int]]] = [("GET /ready", lambda: client.get("/ready"), {200})]
            calls += [("POST /api/v1/tasks/add", post, {503})] * 10
            with _HealthWatch(base_url) as health, ThreadPoolExecutor(len(calls)) as pool:
                futures = [(what, pool.submit(_timed, call), ok) for what, call, ok in calls]
                problems += _frozen_outcomes(
                    futures, "RabbitMQ", lambda ready: ready.get("checks", {}).get("rabbitmq") == "unavailable"
                )
            proxy.thaw()
            try:
                health.check("the RabbitMQ freeze")
            except AssertionError as exc:
                problems.append(str(exc))
            assert not problems, "RabbitMQ frozen:\n" + "\n".join(problems)


def _slow_clients(project: Project, base_url: str) -> None:
    """Half the clients send their request head a byte at a time, half a declared body a byte at a time."""
    path = "/api/v1/items" if project.answers["database"] != "none" else "/health"
    host, port = host_port(base_url)
    full = head("POST", path, base_url, {"Content-Type": "application/json", "Content-Length": "1000"})
    sockets = []
    try:
        for _ in range(SLOW_CLIENTS):
            sockets.append(socket.create_connection((host, port), timeout=10))
        stop = threading.Event()

        def trickle() -> None:
            sent = 0
            while not stop.is_set():
                for i, sock in enumerate(sockets):
                    with contextlib.suppress(OSError):
                        if i % 2 == 0:
                            sock.sendall(full[sent : sent + 1] if sent < len(full) - 4 else b"X")
                        else:
                            sock.sendall(full if sent == 0 else b" ")
                sent += 1
                stop.wait(0.5)

        feeder = threading.Thread(target=trickle, daemon=True)
        feeder.start()
        time.sleep(1.0)
        with _HealthWatch(base_url) as health:
            time.sleep(4.0)
        stop.set()
        feeder.join(5)
        health.check(f"{SLOW_CLIENTS} slow clients")
    finally:
        for sock in sockets:
            sock.close()


def _overload(base_url: str, headers: dict[str, str]) -> None:
    async def burst() -> list[Any]:
        limits = httpx.Limits(max_connections=OVERLOAD_REQUESTS, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base_url, timeout=90, limits=limits) as client:

            async def create(i: int) -> Any:
                try:
                    return await client.post("/api/v1/items", json={"name": f"load-{i}"}, headers=headers)
                except httpx.HTTPError as exc:
                    return exc

            return list(await asyncio.gather(*(create(i) for i in range(OVERLOAD_REQUESTS))))

    outcomes = asyncio.run(burst())
    counts: dict[str, int] = {}
    bad = []
    for r in outcomes:
        if isinstance(r, httpx.Response) and (
            200 <= r.status_code < 300 or (r.status_code == 503 and r.headers.get("retry-after"))
        ):
            key = str(r.status_code)
        else:
            key = _describe(r)[:80]
            bad.append(key)
        counts[key] = counts.get(key, 0) + 1
    print(f"{OVERLOAD_REQUESTS} concurrent creates: {counts}")
    assert not bad, f"{OVERLOAD_REQUESTS} concurrent creates, answers: {counts}"
    with httpx.Client(base_url=base_url, timeout=15) as client:
        after = client.post("/api/v1/items", json={"name": "after-load"}, headers=headers)
        assert after.status_code == 201, f"after the burst: {_describe(after)}"
        assert client.get("/health").status_code == 200


def _drop_connections(database_url: str) -> int:
    if database_url.startswith("postgresql"):
        out = sql_execute(
            database_url,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        return int(out.strip() or 0)
    name = urlsplit(database_url).path.strip("/")
    ids = sql_execute(database_url, f"SELECT id FROM information_schema.processlist WHERE db = '{name}'")  # noqa: S608
    killed = 0
    for pid in ids.split():
        if pid.strip().isdigit():
            with contextlib.suppress(subprocess.CalledProcessError):
                sql_execute(database_url, f"KILL {pid.strip()}")
                killed += 1
    return killed


def _failover(database_url: str, base_url: str, headers: dict[str, str]) -> None:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        with ThreadPoolExecutor(6) as pool:  # several pooled connections, so that several die
            list(pool.map(lambda i: client.get("/api/v1/items", params={"offset": 800_000 + i}), range(12)))
        killed = _drop_connections(database_url)
        assert killed, "no connection of the service's to drop: the check would prove nothing"
        problems = []

        def list_page(offset: int) -> Any:
            return lambda: client.get("/api/v1/items", params={"offset": offset})

        create = lambda: client.post("/api/v1/items", json={"name": "x"}, headers=headers)  # noqa: E731
        for i in range(6):
            for what, call, ok in (
                ("GET /api/v1/items", list_page(700_000 + i), 200),
                ("POST /api/v1/items", create, 201),
                ("GET /ready", lambda: client.get("/ready"), 200),
            ):
                outcome, seconds = _timed(call)
                if not isinstance(outcome, httpx.Response) or outcome.status_code != ok:
                    problems.append(f"{what} after {killed} connections dropped: {_describe(outcome)} ({seconds:.1f}s)")
        assert not problems, "\n".join(problems)


# Per database: the statements that take an exclusive lock on items and hold it for 8 s, and the query that
# counts 1 once they hold it.
TABLE_LOCKS = {
    "postgresql": (
        "BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(8); COMMIT;",
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE c.relname = 'items' AND l.mode = 'AccessExclusiveLock' AND l.granted",
    ),
    "mysql": (
        "LOCK TABLES items WRITE; SELECT SLEEP(8); UNLOCK TABLES;",
        "SELECT count(*) FROM information_schema.processlist WHERE info = 'SELECT SLEEP(8)'",
    ),
}


def _statement_timeout(database: str, url: str, base_url: str) -> None:
    lock, locked = TABLE_LOCKS[database]
    with httpx.Client(base_url=base_url, timeout=30) as client:
        client.get("/api/v1/items")  # a pooled connection, made before the lock
        holder = subprocess.Popen(
            sql_command(database, lock, url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + 10
            while sql_execute(url, locked).strip() == "0":
                assert time.monotonic() < deadline, "the lock on items was not taken within 10 s"
                time.sleep(0.1)
            r, seconds = _timed(lambda: client.get("/api/v1/items", params={"offset": 600_000}))
            assert isinstance(r, httpx.Response) and r.status_code == 503, (
                f"GET /api/v1/items behind a lock, DB_STATEMENT_TIMEOUT_SECONDS={STATEMENT_TIMEOUT}: "
                f"{_describe(r)} after {seconds:.1f}s"
            )
            assert seconds <= STATEMENT_TIMEOUT + 2.5, f"the 503 came after {seconds:.1f}s"
        finally:
            holder.wait(20)
        r = client.get("/api/v1/items", params={"offset": 600_001})
        assert r.status_code == 200, f"after the lock: {_describe(r)}"


def _counted(base_url: str, route: str) -> float:
    r = httpx.get(f"{base_url}/metrics", timeout=15)
    assert r.status_code == 200, _describe(r)
    total = 0.0
    for line in r.text.splitlines():
        if line.startswith("http_requests_total{") and f'"{route}"' in line:
            total += float(line.rsplit(maxsplit=1)[-1])
    return total


def _web_concurrency(project: Project, env: dict[str, str]) -> None:
    """Two serving processes (besides any parent that watches them), and /metrics counting both: requests from
    many clients at once, over fresh connections, are spread over the processes by the kernel, and every scrape,
    whichever process answers it, counts all of them."""
    with _serving(project, "web-concurrency", {**env, "WEB_CONCURRENCY": "2"}) as (server, base_url):
        assert server.proc is not None
        deadline = time.monotonic() + 15
        while True:
            pythons = [p for p in process_tree(server.proc.pid) if "python" in _executable(p)]
            if len(pythons) >= 3 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert len(pythons) >= 3, (
            f"WEB_CONCURRENCY=2: {len(pythons)} Python process(es), not a parent and two serving processes"
        )
        if not project.answers.get("metrics"):
            return
        clients, each = 8, 8
        before = min(_counted(base_url, "/health") for _ in range(4))

        def health() -> None:
            for _ in range(each):
                assert httpx.get(f"{base_url}/health", timeout=10).status_code == 200

        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(lambda _: health(), range(clients)))
        counted = [_counted(base_url, "/health") - before for _ in range(4)]
        assert min(counted) >= clients * each, (
            f"{clients * each} requests to /health from {clients} clients at once; four scrapes of /metrics count "
            f"{[round(c) for c in counted]}: a scrape shows one process's requests only"
        )


def _executable(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/exe").readlink().name
    return ""


def _keepalive(base_url: str) -> None:
    request = head("GET", "/health", base_url, {})
    with connect(base_url, timeout=15) as sock:
        sock.sendall(request)
        assert read_response(sock).status == 200
        time.sleep(KEEPALIVE * 0.75)
        sock.sendall(request)
        try:
            assert read_response(sock).status == 200
        except (ConnectionError, OSError) as exc:
            raise AssertionError(
                f"KEEPALIVE_SECONDS={KEEPALIVE}: closed after {KEEPALIVE * 0.75:.1f}s idle ({exc!r})"
            ) from None
        idle = time.monotonic()
        sock.settimeout(2 * KEEPALIVE + 2)
        try:
            closed = sock.recv(1) == b""
        except TimeoutError:
            closed = False
        except OSError:
            closed = True
        seconds = time.monotonic() - idle
    assert closed and seconds <= 2 * KEEPALIVE, f"KEEPALIVE_SECONDS={KEEPALIVE}: an idle connection was " + (
        f"closed after {seconds:.1f}s" if closed else f"still open after {seconds:.1f}s"
    )


_OTHER_SCHEME = {
    "postgresql": "mysql://root@127.0.0.1:3306/nothing",
    "mysql": "postgresql://postgres@127.0.0.1:5432/nothing",
    "sqlite": "postgresql://postgres@127.0.0.1:5432/nothing",
}


def _ends_or_serves(server: Background, base_url: str, *, within: float) -> bool:
    """Wait until the process has ended (False) or answers HTTP (True), or `within` seconds (True if still up)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if server.wait_exit(0.2) is not None:
            return False
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(f"{base_url}/health", timeout=1)
            return True
    return server.running()


def _unusable_database_url(project: Project, env: dict[str, str]) -> None:
    """Another database's scheme, and credentials the database refuses: the process ends, or stays up and reports
    the problem, in one line that names DATABASE_URL, never with a traceback."""
    database = project.answers["database"]
    urls = {"another database's scheme": _OTHER_SCHEME[database]}
    if database in {"postgresql", "mysql"}:
        parts = urlsplit(env["DATABASE_URL"])
        urls["refused credentials"] = parts._replace(netloc=f"nobody-e2e:wrong@{parts.hostname}:{parts.port}").geturl()
    started: list[tuple[str, Background, str]] = []
    try:
        for label, url in urls.items():
            server, base_url = project.server(f"bad-database-url-{len(started)}", {**env, "DATABASE_URL": url})
            started.append((label, server.start(), base_url))
        problems = []
        for label, server, base_url in started:
            if _ends_or_serves(server, base_url, within=10):  # still up: it reports the problem when asked
                with contextlib.suppress(httpx.HTTPError):
                    httpx.get(f"{base_url}/ready", timeout=10)
                    httpx.get(f"{base_url}/api/v1/items", timeout=10)
                time.sleep(1)
            output = server.output(limit=200_000)
            if "Traceback" in output:
                problems.append(f"{label}: a traceback\n{output[-3000:]}")
            elif not any("DATABASE_URL" in line for line in output.splitlines()):
                problems.append(f"{label}: no line names DATABASE_URL\n{output[-3000:]}")
        assert not problems, "\n".join(problems)
    finally:
        for _, server, _ in started:
            server.terminate(timeout=5)


@contextlib.contextmanager
def stale_surroundings(project: Project) -> Iterator[dict[str, str]]:
    """Hermetic project tests: the caller's environment (yielded, for the runs to pass on) and a stale .env must
    change nothing in the project's own pytest and mypy. The defaults stacks run them inside these surroundings."""
    ambient = {
        "HOST": "10.255.0.1",
        "PORT": "1",
        "WEB_CONCURRENCY": "3",
        "DATABASE_URL": f"postgresql://stale@127.0.0.1:{CLOSED_PORT}/stale",
    }
    # A developer's .env after changes of mind: another database, limits tried out by hand, an obsolete variable.
    stale = {
        "DATABASE_URL": f"mysql://stale@127.0.0.1:{CLOSED_PORT}/stale",
        "REDIS_URL": f"redis://127.0.0.1:{CLOSED_PORT}/9",
        "HOST": "10.255.0.2",
        "WEB_CONCURRENCY": "5",
        "MAX_BODY_BYTES": "10",
        "LOG_FORMAT": "console",
        "OBSOLETE_SETTING": "1",
    }
    dotenv = project.path / ".env"
    kept = dotenv.read_text() if dotenv.exists() else None
    dotenv.write_text("".join(f"{k}={v}\n" for k, v in stale.items()))
    try:
        yield ambient
    finally:
        if kept is None:
            dotenv.unlink()
        else:
            dotenv.write_text(kept)

"""End to end: generate each curated stack, install it, check it, run it against real services, and run the
contract suite over HTTP against it.

    PYBACKEND_REQUIRE_SERVICES=1 uv run pytest tests/e2e -n 2 -m e2e

One test per stack, with named sub-steps (see support/steps.py), so that each stack is generated and installed
once and stacks run in parallel under pytest-xdist.
"""

from __future__ import annotations

import contextlib
import secrets
import signal
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import REPO_ROOT
from support.generate import generate_project
from support.offered import OFFERED
from support.procinfo import tree_cpu_seconds
from support.procs import Background, clean_env, run
from support.project import Project, new_secret
from support.pythons import interpreter
from support.service import ENV_VAR, Service
from support.services import rabbitmq_vhost, redis_call, redis_database, sql_database, sql_execute
from support.steps import Steps
from support.user_resources import add_resources, exercise, remove_book, supported

from .contract_plan import ContractRun
from .faults import CONTRACT_ENV, described, stale_surroundings, v2_checks, v3_checks
from .tooling import framework_tooling

# Every framework on offer runs these stacks (OFFERED in tests/support/offered.py, the list kept by hand).
STACKS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "full": {
        "database": "postgresql",
        "celery": True,
        "cache": True,
        "auth": "jwt",
        "metrics": True,
        "docker": True,
        "kubernetes": True,
        "testing": ["api-fuzzing", "load"],
    },
    "mysql": {"database": "mysql", "cache": True, "python_version": "3.12"},
    "none": {"database": "none", "auth": "none", "ci": "none", "testing": []},
}
# Stacks whose own tests run only against the real services (later, as every stack's do), not also as generated
# (SQLite, a fake Redis): each framework's defaults and none stacks run them as generated, and so does its update
# scenario (test_update_project.py) after adding Celery, the cache and two resources. A stack whose ORM is not its
# framework's default (STACK_OVERRIDES) runs them both ways, as no other stack has that ORM.
AS_GENERATED_ELSEWHERE = ("/full", "/mysql")
# Stacks that leave out the checks whose outcome depends on the framework alone: its server and middleware
# (limits, slow clients, keep-alive, processes), its login bursts, its tests' use of TEST_DATABASE_URL and
# TEST_REDIS_URL, and its own tooling. Each framework's full and defaults stacks run them.
FRAMEWORK_CHECKED_ELSEWHERE = ("/mysql", "/none")
# Stacks whose own pytest and mypy run with HOST, PORT, WEB_CONCURRENCY and DATABASE_URL set around them and a stale
# .env in the project (faults.stale_surroundings): as generated, they pass all the same (contract version 3).
HERMETIC_CHECKED = "/defaults"
HERMETIC_STEP = ", with HOST, PORT, WEB_CONCURRENCY, DATABASE_URL set and a stale .env"
# The stacks that add the user's own resources (tests/support/user_resources.py) before they are checked.
RESOURCE_STACKS = ("full", "mysql")
# Stacks run by one framework only: they install values of the other questions, which every framework renders from
# the same shared files. Between all stacks, every value of every choice on offer is installed and run
# (tests/e2e/test_coverage.py checks it), and every contract test runs in at least one stack.
ONE_FRAMEWORK_STACKS: dict[str, tuple[str, dict[str, Any]]] = {
    # A database without auth, no metrics, console logs by default, no Docker, the newest Python installable here.
    "lean": (
        "fastapi",
        {
            "auth": "none",
            "metrics": False,
            "log_format": "console",
            "docker": False,
            "ci": "none",
            "python_version": "3.13",
        },
    ),
}
# Answers one framework's stack takes on top of the shared stack's: a value every framework renders from the same
# shared files, installed and run once.
STACK_OVERRIDES: dict[str, dict[str, Any]] = {
    "flask/full": {"celery_broker": "rabbitmq", "orm": "flask-sqlalchemy"},
    "fastapi/mysql": {"orm": "sqlmodel"},
}
# Stacks a framework does not offer, by its validators (written out, so that a wrong refusal cannot drop one).
NOT_OFFERED: dict[str, set[str]] = {"django": {"none"}}


def as_generated(stack: str) -> bool:
    """Whether the stack runs its own tests as generated, as well as against the real services."""
    return not stack.endswith(AS_GENERATED_ELSEWHERE) or "orm" in STACK_OVERRIDES.get(stack, {})


def framework_stacks() -> dict[str, dict[str, Any]]:
    """Every end-to-end stack, named "<framework>/<stack>", with its answers (the framework among them)."""
    stacks = {
        f"{framework}/{name}": {"framework": framework, **answers}
        for framework in OFFERED["framework"]
        for name, answers in STACKS.items()
        if name not in NOT_OFFERED.get(framework, set())
    }
    for name, (framework, answers) in ONE_FRAMEWORK_STACKS.items():
        stacks[f"{framework}/{name}"] = {"framework": framework, **answers}
    for name, answers in STACK_OVERRIDES.items():
        stacks[name] = {**stacks[name], **answers}
    return stacks


def _longest_first(stack: str) -> int:
    """The order stacks start in under pytest-xdist: full, mysql and lean take two to three minutes, defaults
    about one, none half of one."""
    return {"defaults": 1, "none": 2}.get(stack.split("/")[1], 0)


CORS_ORIGIN = "https://allowed.example"
TOKEN_MINUTES = 45  # not the default, to see that ACCESS_TOKEN_EXPIRE_MINUTES is honoured
BOOT_TIMEOUT = 60
DEV_BOOT_LIMIT = 10.0
CLEAN_EXITS = {0, 128 + signal.SIGTERM, -signal.SIGTERM}


@contextlib.contextmanager
def _resources(answers: dict[str, Any], tmp: Path) -> Iterator[dict[str, str]]:
    """Environment for a real run: a database and Redis db of this test's own."""
    env: dict[str, str] = {}
    database = answers.get("database", "sqlite")
    with contextlib.ExitStack() as stack:
        if database in {"postgresql", "mysql"}:
            env["DATABASE_URL"] = stack.enter_context(sql_database(database))
        elif database == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{tmp / 'e2e.db'}"
        if answers.get("celery") or answers.get("cache"):
            url, db = stack.enter_context(redis_database())
            env["REDIS_URL"] = url
            env["_REDIS_DB"] = str(db)
        if answers.get("celery") and answers.get("celery_broker") == "rabbitmq":
            env["RABBITMQ_URL"] = stack.enter_context(rabbitmq_vhost())
        yield env


def _production_env(resources: dict[str, str], answers: dict[str, Any]) -> dict[str, str]:
    env = {k: v for k, v in resources.items() if not k.startswith("_")}
    env.update(
        APP_ENV="production", SECRET_KEY=new_secret(), LOG_FORMAT="json", LOG_LEVEL="INFO", CORS_ORIGINS=CORS_ORIGIN
    )
    env.update(CONTRACT_ENV)
    if answers.get("auth") == "jwt":
        env["ACCESS_TOKEN_EXPIRE_MINUTES"] = str(TOKEN_MINUTES)
    return env


@pytest.mark.e2e
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("stack", sorted(framework_stacks(), key=_longest_first))
def test_stack(stack: str, tmp_path: Path) -> None:
    steps = Steps(stack)
    wanted = framework_stacks()[stack]
    python = interpreter(wanted.get("python_version", "3.11"))
    with _resources(wanted, tmp_path) as resources:
        with steps.hard("generate"):
            path = generate_project(f"e2e-{stack.replace('/', '-')}", wanted, tmp_path / "out")
            project = Project(path, tmp_path / "logs", python=python)
            assert {k: project.answers.get(k) for k in wanted} == wanted, project.answers
        with steps.hard("uv sync"):
            project.uv_sync()
            version = project.uv_run(["python", "-c", "import sys; print(*sys.version_info[:2], sep='.')"], timeout=60)
            assert version.output.strip().endswith(project.answers["python_version"]), version.output
        if with_resources(stack, project.answers):
            with steps.hard("add resource author, then book: each writes its files and one migration"):
                add_resources(project.path, project.env())
                project = Project(path, tmp_path / "logs", python=python)  # its answers now name the resources
        hermetic = stack.endswith(HERMETIC_CHECKED)
        with stale_surroundings(project) if hermetic else contextlib.nullcontext({}) as ambient:
            for name, args, timeout in (
                ("own pytest", ["pytest", "-q", "-p", "no:cacheprovider"], 900),
                ("ruff check", ["ruff", "check", "."], 120),
                ("ruff format --check", ["ruff", "format", "--check", "."], 120),
                ("mypy", ["mypy"], 600),
            ):
                if name == "own pytest" and not as_generated(stack):
                    continue
                with steps.soft(f"{name}{HERMETIC_STEP if hermetic else ''}"):
                    project.uv_run(args, timeout=timeout, env=ambient)

        env = _production_env(resources, project.answers)
        with steps.soft("production refuses a bad SECRET_KEY"):
            _refuses_bad_secret(project, env)
        if project.answers["database"] != "none":
            with steps.hard(" ".join(project.migrate_command)):
                project.uv_run(project.migrate_command, env=env, timeout=180)
            if project.migrate_command[0] == "alembic":
                with steps.soft("alembic revision --autogenerate, models unchanged: the revision passes ruff"):
                    _autogenerated_revision_is_clean(project, env)
        _run_and_check(project, env, resources, steps, tmp_path)
        dependencies = ["database"] if project.answers["database"] != "none" else []
        dependencies += ["redis"] if project.answers.get("celery") or project.answers.get("cache") else []
        for dependency in dependencies:
            with steps.soft(f"/ready names {dependency} alone when only it is down"):
                _ready_with_one_dependency_down(project, env, dependency)
        framework_level = not stack.endswith(FRAMEWORK_CHECKED_ELSEWHERE)
        v2_checks(project, env, steps, tmp_path, framework_level=framework_level)
        v3_checks(project, env, steps, tmp_path, framework_level=framework_level)
        if framework_level:
            framework_tooling(project, env, steps, tmp_path)
        if stack.endswith("/defaults"):
            with steps.soft(f"development start-up answers /health within {DEV_BOOT_LIMIT:.0f}s of CPU time"):
                _development_boot(project)
        if with_resources(stack, project.answers):
            with steps.soft("remove resource book --drop: its migration drops the table (and its downgrade is back)"):
                _remove_a_resource(project, env)
    steps.finish()


def _tables(database: str, url: str) -> set[str]:
    query = {
        "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
        "mysql": "SHOW TABLES",
    }[database]
    return set(sql_execute(url, query).split())


def _remove_a_resource(project: Project, env: dict[str, str]) -> None:
    """Last, as it takes the book away: the migration `remove resource` writes applies on this database, and an
    Alembic revision also downgrades (re-creating the table as its model did) and upgrades again."""
    remove_book(project.path, project.env())
    project.uv_run(project.migrate_command, env=env, timeout=180)
    database, url = project.answers["database"], env["DATABASE_URL"]
    assert "books" not in _tables(database, url), "the books table is still there"
    if project.migrate_command[0] == "alembic":
        project.uv_run(["alembic", "downgrade", "-1"], env=env, timeout=180)
        assert "books" in _tables(database, url), "the downgrade left no books"
        project.uv_run(["alembic", "upgrade", "head"], env=env, timeout=180)


def with_resources(stack: str, answers: dict[str, Any]) -> bool:
    """The stacks on PostgreSQL and MariaDB take the user's own resources, where their framework writes them:
    the project's tests, lint, types, migrations and contract suite then run with them."""
    return stack.split("/")[1] in RESOURCE_STACKS and supported(answers)


def _autogenerated_revision_is_clean(project: Project, env: dict[str, str]) -> None:
    """A user's first `alembic revision --autogenerate` must not fail their own lint (an empty one imports
    `sqlalchemy` without using it). The revision is removed again: the later checks need the schema at head."""
    versions = project.path / "migrations" / "versions"
    before = set(versions.glob("*.py"))
    project.uv_run(["alembic", "revision", "--autogenerate", "-m", "models unchanged"], env=env, timeout=120)
    written = sorted(set(versions.glob("*.py")) - before)
    try:
        assert len(written) == 1, f"alembic wrote {written}"
        for args in (["ruff", "check"], ["ruff", "format", "--check"]):
            project.uv_run([*args, str(written[0])], timeout=60)
    finally:
        for path in written:
            path.unlink()


def _run_and_check(project: Project, env: dict[str, str], resources: dict[str, str], steps: Steps, tmp: Path) -> None:
    worker: Background | None = project.worker(env) if project.answers.get("celery") else None
    server: Background | None = None
    try:
        with steps.hard(f"start python -m {project.package}" + (" and a celery worker" if worker else "")):
            if worker:
                worker.start()
            server, base_url, _ = project.serve("service", env, BOOT_TIMEOUT)
        description = Service(
            base_url=base_url,
            answers=project.answers,
            secret_key=env["SECRET_KEY"],
            log_paths=[str(server.stdout_path)],
            stderr_paths=[str(server.stderr_path)],
            cors_origins=[CORS_ORIGIN],
            access_token_expire_minutes=TOKEN_MINUTES,
            project_path=str(project.path),
            **described(env),
        ).dump(tmp / "service.json")
        if project.answers.get("resources"):
            with steps.soft("the resources' API over HTTP: 201, 409, 422, 401, paging, 204, 404"):
                exercise(base_url, auth=project.answers.get("auth") == "jwt")
        with steps.soft("contract suite"):
            _contract(description, project.answers, server, worker, tmp / "contract.xml")
        if project.answers["database"] != "none":
            with steps.soft("an unhandled error is a JSON 500, logged with its request id"):
                _unhandled_error(base_url, env["DATABASE_URL"], description)
        if project.answers.get("cache"):
            with steps.soft("item reads are cached in Redis"):
                _cache_in_redis(base_url, int(resources["_REDIS_DB"]), project.answers.get("auth") == "jwt")
        with steps.soft("SIGTERM stops the service cleanly"):
            _stops_cleanly(server, f"python -m {project.package}")
        if worker:
            with steps.soft("SIGTERM stops the worker cleanly"):
                _stops_cleanly(worker, "celery worker", timeout=30)
            with steps.soft("celery beat starts with Celery's command line and stops cleanly"):
                _beat_runs(project, env, tmp)
    finally:
        if server:
            server.terminate(timeout=5)
        if worker:
            worker.terminate(timeout=5)


def _beat_runs(project: Project, env: dict[str, str], tmp: Path) -> None:
    """Beat logs "Starting" before it builds its scheduler, and a SIGTERM in between trips over Celery's own
    half-done imports; so wait for the debug line that follows the scheduler's set-up, as an operator would."""
    beat = project.beat({**env, "LOG_LEVEL": "DEBUG"}, tmp / "celerybeat-schedule").start()
    ready = "Ticking with max interval"
    try:
        deadline = time.monotonic() + 30
        while ready not in beat.output(limit=1_000_000) and time.monotonic() < deadline:
            assert beat.running(), f"celery beat exited at start-up:\n{beat.output(3000)}"
            time.sleep(0.5)
        assert ready in beat.output(limit=1_000_000), f"celery beat did not start within 30 s:\n{beat.output(3000)}"
        _stops_cleanly(beat, "celery beat", timeout=30)
    finally:
        beat.terminate(timeout=5)


def _unhandled_error(base_url: str, database_url: str, description: Path) -> None:
    """Take the items table away under the running service: the next list query fails inside the handler."""
    sql_execute(database_url, "ALTER TABLE items RENAME TO items_e2e_gone")
    try:
        rid = f"e2e-500-{uuid.uuid4().hex}"
        offset = 900_000 + secrets.randbelow(99_999)  # a page no cache has seen
        r = httpx.get(
            f"{base_url}/api/v1/items", params={"limit": 3, "offset": offset}, headers={"X-Request-ID": rid}, timeout=30
        )
        assert r.status_code == 500, f"GET /api/v1/items with its table gone -> {r.status_code} {r.text[:500]}"
        assert "json" in r.headers.get("content-type", "") and "detail" in r.json(), f"500 body: {r.text[:500]}"
        for leak in ("Traceback", 'File "', "items_e2e_gone", "sqlalchemy", "SELECT"):
            assert leak not in r.text, f"500 body leaks {leak!r}: {r.text[:500]}"
        assert r.headers.get("x-request-id") == rid, f"500 without the request id: {dict(r.headers)}"
        service = Service.load(description)
        logged = service.wait_for_log(lambda rec: rec.get("request_id") == rid and rec.get("event") != "request")
        assert any(str(rec.get("level", "")).lower() in {"error", "critical", "exception"} for rec in logged), (
            f"no error log line with request_id={rid}: {logged}"
        )
    finally:
        sql_execute(database_url, "ALTER TABLE items_e2e_gone RENAME TO items")


def _stops_cleanly(proc: Background, what: str, timeout: float = 20) -> None:
    """SIGTERM: the process shuts down in time, without a traceback. Exit 0, or death by the SIGTERM itself:
    uvicorn re-raises the signal after its graceful shutdown, so 143 (through uv) or -15 is clean too."""
    before = proc.stderr_path.stat().st_size if proc.stderr_path.exists() else 0
    code = proc.terminate(timeout=timeout)
    assert code is not None, f"{what} still running {timeout:.0f}s after SIGTERM (killed)\n{proc.output(3000)}"
    assert code in CLEAN_EXITS, f"{what} exited with {code} on SIGTERM\n{proc.output(3000)}"
    with proc.stderr_path.open("rb") as f:
        f.seek(before)
        after = f.read().decode(errors="replace")
    assert "Traceback" not in after, f"{what} logged a traceback while stopping:\n{after[-3000:]}"


def _contract(
    description: Path, answers: dict[str, Any], server: Background, worker: Background | None, junit: Path
) -> None:
    """Run the contract suite against the service; then check that exactly the tests these answers switch off
    were skipped (contract_plan.py), so that a check which silently never runs fails the stack."""
    env = clean_env({ENV_VAR: str(description)})
    args = [
        sys.executable,
        "-m",
        "pytest",
        str(REPO_ROOT / "tests" / "contract"),
        "-o",
        "addopts=",
        "-ra",
        "-q",
        "-p",
        "no:cacheprovider",
        "--timeout",
        "300",
        "--tb",
        "short",
        "-W",
        "ignore::DeprecationWarning",
        "--junitxml",
        str(junit),
    ]
    result = run(args, cwd=REPO_ROOT, env=env, timeout=900, check=False)
    problems = []
    if result.returncode != 0:
        logs = server.output(6000) + (f"\n{worker.output(3000)}" if worker else "")
        problems.append(f"{result.describe()}\n\nservice output (tail):\n{logs}")
    if junit.exists():
        ran = ContractRun.from_junit(junit)
        print(f"contract suite: {ran.summary()}")
        problems += ran.problems(answers)
    else:
        problems.append("the contract suite wrote no report")
    assert not problems, "\n".join(problems)


def _refuses_bad_secret(project: Project, env: dict[str, str]) -> None:
    """In production a missing, placeholder or short SECRET_KEY stops the service with a message naming it."""
    dotenv = project.path / ".env"
    hidden = project.path / ".env.e2e-hidden"
    if dotenv.exists():  # `pybackend new` writes a real key there; hide it to test a missing key
        dotenv.rename(hidden)
    problems = []
    attempts = []
    try:
        for label, value in (("missing", None), ("placeholder", "change-me"), ("short", "s" * 16)):
            bad = {k: v for k, v in env.items() if k != "SECRET_KEY"}
            if value is not None:
                bad["SECRET_KEY"] = value
            server, base_url = project.server(f"bad-secret-{label}", bad)
            attempts.append((label, server.start(), base_url))
        for label, server, base_url in attempts:  # started together: each waits on its own import time
            code = server.wait_exit(45)
            if code is None:
                problems.append(
                    f"{label} SECRET_KEY: still running after 45s (/health: {_status(base_url + '/health')})"
                )
            elif code == 0:
                problems.append(f"{label} SECRET_KEY: exited 0\n{server.output(2000)}")
            elif "SECRET_KEY" not in server.output():
                problems.append(f"{label} SECRET_KEY: exit {code} without naming SECRET_KEY\n{server.output(2000)}")
    finally:
        for _, server, _ in attempts:
            server.terminate(timeout=5)
        if hidden.exists():
            hidden.rename(dotenv)
    assert not problems, "\n".join(problems)


def _status(url: str) -> str:
    try:
        return str(httpx.get(url, timeout=2).status_code)
    except httpx.HTTPError as exc:
        return repr(exc)


_DEAD_DATABASE = {
    "postgresql": "postgresql://postgres@127.0.0.1:1/nothing",
    "mysql": "mysql://root@127.0.0.1:1/nothing",
    "sqlite": "sqlite:////nonexistent-dir/e2e/nothing.db",
}


def _ready_with_one_dependency_down(project: Project, env: dict[str, str], dependency: str) -> None:
    """One dependency at a closed port, the others fine: liveness holds; readiness names that one alone, 503
    for the database, which the service needs, and 200 "degraded" for Redis, which it can serve without; the
    failed check is logged with the request's id."""
    broken = dict(env)
    if dependency == "database":
        broken["DATABASE_URL"] = _DEAD_DATABASE[project.answers["database"]]
    else:
        broken["REDIS_URL"] = "redis://127.0.0.1:1/0"
    expected = {"database": "ok"} if project.answers["database"] != "none" else {}
    if project.answers.get("celery") or project.answers.get("cache"):
        expected["redis"] = "ok"
    if project.answers.get("celery") and project.answers.get("celery_broker") == "rabbitmq":
        expected["rabbitmq"] = "ok"
    expected[dependency] = "unavailable"
    server, base_url, _ = project.serve(f"{dependency}-down", broken, BOOT_TIMEOUT)
    try:
        rid = f"e2e-ready-{uuid.uuid4().hex}"
        r = httpx.get(f"{base_url}/ready", headers={"X-Request-ID": rid}, timeout=30)
        body = r.json() if "json" in r.headers.get("content-type", "") else r.text
        status, code = ("unavailable", 503) if dependency == "database" else ("degraded", 200)
        assert (r.status_code, body) == (code, {"status": status, "checks": expected}), (
            f"GET /ready with {dependency} down -> {r.status_code} {body}"
        )
        logged = Service(base_url=base_url, answers=project.answers, secret_key="", log_paths=[str(server.stdout_path)])
        lines = logged.wait_for_log(lambda rec: rec.get("request_id") == rid and rec.get("event") != "request")
        assert lines, f"the failed {dependency} check was not logged with request_id={rid}:\n{server.output(3000)}"
    finally:
        server.terminate(timeout=10)


def _development_boot(project: Project) -> None:
    """`python -m <pkg>` in development: no manual migration, SQLite by default (from .env or the settings'
    default), /health within the limit; LOG_FORMAT=console gives readable, non-JSON lines."""
    for leftover in project.path.glob("*.db"):
        leftover.unlink()
    server, base_url, seconds = project.serve(
        "development", {"APP_ENV": "development", "LOG_FORMAT": "console"}, BOOT_TIMEOUT
    )
    try:
        # The limit is what a developer waits for on an idle machine, where start-up is bound by the CPU: its CPU
        # time is measured, since other stacks share the cores here. Waiting (a timeout, a retry) still shows in
        # the wall time, which serve() bounds.
        assert server.proc is not None
        cpu = tree_cpu_seconds(server.proc.pid)
        assert cpu <= DEV_BOOT_LIMIT, (
            f"/health answered after {cpu:.1f}s of CPU time ({seconds:.1f}s wall; limit {DEV_BOOT_LIMIT:.0f}s)"
        )
        r = httpx.get(f"{base_url}/api/v1/items", timeout=10)
        assert r.status_code == 200, (
            f"development start-up did not migrate: GET /api/v1/items -> {r.status_code} "
            f"{r.text[:300]}\n{server.output(3000)}"
        )
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and "/api/v1/items" not in server.stdout_path.read_text(errors="replace"):
            time.sleep(0.1)
        lines = [ln for ln in server.stdout_path.read_text(errors="replace").splitlines() if "/api/v1/items" in ln]
        assert lines, f"LOG_FORMAT=console: no access line for GET /api/v1/items on stdout\n{server.output(3000)}"
        assert not lines[0].lstrip().startswith("{"), f"LOG_FORMAT=console still writes JSON: {lines[0]}"
    finally:
        _stops_cleanly(server, "development server")


def _cache_in_redis(base_url: str, db: int, auth: bool) -> None:
    """After an item is read, its cache entry is in Redis (anything beyond Celery's own keys)."""
    with httpx.Client(base_url=base_url, timeout=10) as client:
        headers = {}
        if auth:
            email, password = f"cache-{uuid.uuid4().hex[:8]}@example.com", uuid.uuid4().hex
            client.post("/api/v1/auth/register", json={"email": email, "password": password})
            token = client.post("/api/v1/auth/token", data={"username": email, "password": password}).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
        item = client.post("/api/v1/items", json={"name": "cached"}, headers=headers).json()
        for _ in range(2):
            client.get(f"/api/v1/items/{item['id']}")
        client.get("/api/v1/items")

    def own_keys() -> list[str]:
        keys = redis_call(db, "KEYS", "*")
        assert isinstance(keys, list)
        return [str(k) for k in keys if not str(k).startswith(("celery", "_kombu", "unacked", "pybackend:e2e"))]

    deadline = time.monotonic() + 5
    while not own_keys() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert own_keys(), f"no cache entries in Redis db {db} after reading an item (keys: {redis_call(db, 'KEYS', '*')})"

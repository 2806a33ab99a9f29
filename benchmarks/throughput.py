"""Throughput of a generated service against a bare app of the same framework, side by side.

For each framework this generates a project with the defaults (SQLite, JWT, JSON access logs,
metrics), installs it with uv, and starts two servers on loopback from the same virtual
environment, one process each: the generated service (`python -m <package>`, in production mode,
its JSON logs written to a file) and the framework's bare app from `benchmarks/bare/`. wrk then
loads `GET /health` and `GET /api/v1/items/{id}` (one row created through the service's API) on
each, alternating service and bare app round after round, so that whatever else the machine is
doing weighs on both alike. It prints requests/s and p50/p99 latency (medians of the rounds) and
the ratio of the service's requests/s to the bare app's, as a Markdown table. It also reads each
server's CPU time (user + system, from /proc) around every run and reports CPU microseconds per
request: on a machine that other work keeps busy, requests/s swing with the neighbours' load, while
the CPU a request costs the server barely moves, so its ratio is the steadier measure of the same
thing (the requests/s one process could serve on a core of its own).

Needs wrk (`sudo apt-get install wrk` on Debian and Ubuntu, `brew install wrk` on macOS). Run from
the repository root; the whole run takes about (rounds x 4 + 1) x duration seconds plus set-up:

    uv run python benchmarks/throughput.py [--framework fastapi] [--rounds 5] [--duration 10]

A new framework adds its bare app to `benchmarks/bare/` and one entry to `FRAMEWORKS`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BARE_APPS = Path(__file__).resolve().parent / "bare"
PACKAGE = "bench"
SECRET_KEY = "benchmark-secret-key-that-is-long-enough-for-hs256"  # noqa: S105 - a throwaway service
WRK_INSTALL_HINT = "wrk is needed: `sudo apt-get install wrk` (Debian, Ubuntu) or `brew install wrk` (macOS)"


@dataclass(frozen=True)
class BareApp:
    """How to serve a framework's bare app: its module in benchmarks/bare/ and its server's command.

    `command` is run with the project's Python in front, `{port}` replaced, from benchmarks/bare/.
    It must be the server (and options) that the generated service's `python -m` runs.
    """

    module: str
    command: tuple[str, ...]
    packages: tuple[str, ...]  # whose versions the report names


FRAMEWORKS = {
    "fastapi": BareApp(
        module="fastapi_app.py",
        command=(
            "-m", "uvicorn", "fastapi_app:app", "--host", "127.0.0.1", "--port", "{port}",
            "--no-access-log", "--log-level", "warning", "--no-server-header",
        ),
        packages=("fastapi", "starlette", "uvicorn", "uvloop", "httptools", "structlog", "sqlalchemy", "aiosqlite"),
    ),
    # The service's own server: waitress, one process of 8 threads (see its server.py).
    "pyramid": BareApp(
        module="pyramid_app.py",
        command=(
            "-m", "waitress", "--host", "127.0.0.1", "--port", "{port}", "--threads", "8", "pyramid_app:app",
        ),
        packages=("pyramid", "webob", "waitress", "structlog", "sqlalchemy"),
    ),
    "tornado": BareApp(
        module="tornado_app.py",
        command=("tornado_app.py", "{port}"),
        packages=("tornado", "structlog", "sqlalchemy", "aiosqlite"),
    ),
    # The service's own server (src/<package>/server.py): waitress, one process of 8 threads.
    "django": BareApp(
        module="django_app.py",
        command=(
            "-m", "waitress", "--host", "127.0.0.1", "--port", "{port}", "--threads", "8",
            "django_app:application",
        ),
        packages=("django", "django-ninja", "waitress", "structlog", "whitenoise"),
    ),
    # The service's own server (src/<package>/server.py): waitress, one process of 8 threads.
    "flask": BareApp(
        module="flask_app.py",
        command=(
            "-m", "waitress", "--host", "127.0.0.1", "--port", "{port}", "--threads", "8", "flask_app:app",
        ),
        packages=("flask", "apiflask", "werkzeug", "waitress", "structlog", "sqlalchemy"),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Sample:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    cpu_us_per_request: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framework", choices=sorted(FRAMEWORKS), action="append")
    parser.add_argument("--rounds", type=int, default=5, help="service/bare alternations per endpoint")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    options = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit(WRK_INSTALL_HINT)
    load = [wrk, f"-t{options.threads}", f"-c{options.connections}", "--latency"]
    print(machine_description(wrk))
    for framework in options.framework or sorted(FRAMEWORKS):
        with tempfile.TemporaryDirectory(prefix="throughput-") as scratch:
            results = measure(framework, Path(scratch), load, options.rounds, options.duration)
        print(table(framework, results, options))


def measure(
    framework: str, scratch: Path, load: list[str], rounds: int, duration: int
) -> dict[tuple[str, str], Sample]:
    project = generate(framework, scratch)
    python = str(project / ".venv" / "bin" / "python")
    log_file = scratch / "service.log"
    database = project / f"{PACKAGE}.db"
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "DATABASE_URL": f"sqlite:///{database}",
        "BENCH_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
    }
    # The project's own migration command (docs/generated-project.md): Django's, or Alembic's.
    migrate = ["manage.py", "migrate"] if (project / "manage.py").is_file() else ["-m", "alembic", "upgrade", "head"]
    subprocess.run(
        [python, *migrate],
        cwd=project,
        env=env,
        check=True,
        timeout=120,
        stdout=subprocess.DEVNULL,
    )
    print(versions(python, FRAMEWORKS[framework].packages))
    service_port, bare_port = free_port(), free_port()
    bare = FRAMEWORKS[framework]
    bare_command = [python, *(part.replace("{port}", str(bare_port)) for part in bare.command)]
    service_env = {**env, "HOST": "127.0.0.1", "PORT": str(service_port)}
    with (
        log_file.open("wb") as log,
        serve([python, "-m", PACKAGE], project, service_env, service_port, log) as service,
        serve(bare_command, BARE_APPS, env, bare_port, subprocess.DEVNULL) as bare_server,
    ):
        item_id = create_item(service_port)
        targets = {"service": (service_port, service), "bare": (bare_port, bare_server)}
        paths = {"/health": "/health", "/api/v1/items/{id}": f"/api/v1/items/{item_id}"}
        for port, pid in targets.values():  # warm up both, once, before anything is counted
            for path in paths.values():
                run_wrk(load, port, pid, path, max(1, duration // 5))
        samples: dict[tuple[str, str], list[Sample]] = {}
        for _ in range(rounds):
            for endpoint, path in paths.items():
                for target, (port, pid) in targets.items():
                    sample = run_wrk(load, port, pid, path, duration)
                    samples.setdefault((target, endpoint), []).append(sample)
    access_lines = sum(1 for line in log_file.read_bytes().splitlines() if is_access_line(line))
    if access_lines == 0:
        sys.exit("the service wrote no JSON access line: the measurement would not be the one promised")
    return {key: median_sample(values) for key, values in samples.items()}


def is_access_line(line: bytes) -> bool:
    try:
        record = json.loads(line)
    except ValueError:
        return False
    return isinstance(record, dict) and record.get("event") == "request" and "duration_ms" in record


def generate(framework: str, scratch: Path) -> Path:
    pybackend = Path(sys.executable).parent / "pybackend"
    subprocess.run(
        [str(pybackend), "new", PACKAGE, "-y", "--framework", framework, "--no-git", "--output-dir", str(scratch)],
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=300,
    )
    project = scratch / PACKAGE
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    subprocess.run(["uv", "sync", "--quiet", "--no-dev"], cwd=project, env=env, check=True, timeout=600)
    return project


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serve(command: list[str], cwd: Path, env: dict[str, str], port: int, output: object) -> Iterator[int]:
    """Start a server; yield its process id once it answers /health."""
    server = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)  # type: ignore[arg-type]
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                sys.exit(f"{' '.join(command)} exited with {server.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit(f"{' '.join(command)}: no answer from /health within 60 s")
                time.sleep(0.1)
        yield server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def create_item(port: int) -> int:
    """One row to read, created the way a client would: register, sign in, POST."""
    base = f"http://127.0.0.1:{port}/api/v1"
    credentials = {"email": "bench@example.com", "password": "wrk-load-7361-kettle"}
    post(f"{base}/auth/register", credentials)
    token = post(f"{base}/auth/token", credentials)["access_token"]
    item = post(f"{base}/items", {"name": "benchmark item", "description": "read by wrk"}, token)
    item_id: int = item["id"]
    return item_id


def post(url: str, body: dict[str, str], token: str | None = None) -> dict[str, object]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310 - loopback http
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        answer: dict[str, object] = json.load(response)
        return answer


def run_wrk(load: list[str], port: int, pid: int, path: str, duration: int) -> Sample:
    cpu_before = cpu_seconds(pid)
    output = subprocess.run(
        [*load, f"-d{duration}s", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    ).stdout
    cpu_used = cpu_seconds(pid) - cpu_before
    if "Non-2xx or 3xx responses" in output:
        sys.exit(f"wrk got errors from {path}:\n{output}")
    requests = int(re.search(r"(\d+) requests in", output)[1])  # type: ignore[index]
    return Sample(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),  # type: ignore[index]
        p50_ms=latency_ms(output, "50%"),
        p99_ms=latency_ms(output, "99%"),
        cpu_us_per_request=cpu_used / requests * 1_000_000,
    )


def cpu_seconds(pid: int) -> float:
    """User and system CPU time so far of a process and of its children (Linux's /proc; elsewhere NaN).

    The children count because a pre-forking server (gunicorn) serves from a child of the process it starts as.
    """
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return float("nan")
    # The fields after the parenthesised command name; utime and stime are the 14th and 15th.
    fields = stat.read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = children.read_text().split() if children.exists() else []
    return own + sum(cpu_seconds(int(child)) for child in found)


def latency_ms(output: str, percentile: str) -> float:
    value, unit = re.search(rf"^\s+{percentile}\s+([\d.]+)(us|ms|s)$", output, re.MULTILINE).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def median_sample(samples: list[Sample]) -> Sample:
    return Sample(
        requests_per_second=statistics.median(sample.requests_per_second for sample in samples),
        p50_ms=statistics.median(sample.p50_ms for sample in samples),
        p99_ms=statistics.median(sample.p99_ms for sample in samples),
        cpu_us_per_request=statistics.median(sample.cpu_us_per_request for sample in samples),
    )


def table(framework: str, results: dict[tuple[str, str], Sample], options: argparse.Namespace) -> str:
    lines = [
        f"\n{framework}: {options.rounds} rounds of {options.duration} s per side and endpoint,"
        f" wrk -t{options.threads} -c{options.connections}, medians\n",
        "| endpoint | service req/s | bare req/s | ratio | service p50 / p99 | bare p50 / p99"
        " | CPU per request, service / bare | CPU ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for endpoint in dict.fromkeys(endpoint for _, endpoint in results):
        service, bare = results["service", endpoint], results["bare", endpoint]
        lines.append(
            f"| `GET {endpoint}` | {service.requests_per_second:,.0f} | {bare.requests_per_second:,.0f}"
            f" | {service.requests_per_second / bare.requests_per_second:.0%}"
            f" | {service.p50_ms:.2f} / {service.p99_ms:.2f} ms | {bare.p50_ms:.2f} / {bare.p99_ms:.2f} ms"
            f" | {service.cpu_us_per_request:.0f} / {bare.cpu_us_per_request:.0f} µs"
            f" | {bare.cpu_us_per_request / service.cpu_us_per_request:.0%} |"
        )
    return "\n".join(lines)


def versions(python: str, packages: tuple[str, ...]) -> str:
    script = (
        "import platform, sys; from importlib.metadata import version;"
        f"print('Python', platform.python_version() + ',', ', '.join(p + ' ' + version(p) for p in {packages!r}))"
    )
    return subprocess.run([python, "-c", script], capture_output=True, text=True, check=True).stdout.strip()


def machine_description(wrk: str) -> str:
    cpuinfo = Path("/proc/cpuinfo")
    models = [
        line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")
    ]
    cpu = models[0] if models else platform.processor()
    # wrk has no version flag: an unknown one makes it print its usage, whose first line names the version.
    wrk_version = subprocess.run([wrk, "--version"], check=False, capture_output=True, text=True).stdout.splitlines()[0]
    return f"{os.cpu_count()} cores, {cpu}; {platform.system()} {platform.release()}; {wrk_version}"


if __name__ == "__main__":
    main()

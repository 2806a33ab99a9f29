"""Subprocesses with a time limit, output shown on failure, and nothing left running."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

# Variables that would leak the outer run's state into a project's own commands.
_OUTER_PREFIXES = ("PYTEST_", "COV_CORE_", "UV_PROJECT", "PYBACKEND_SERVICE")
_OUTER_NAMES = {"VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONPATH", "PYTHONHOME"}
# The generated service reads these; the harness always sets them explicitly.
SERVICE_VARS = (
    "APP_ENV",
    "HOST",
    "PORT",
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "CORS_ORIGINS",
    "ACCESS_TOKEN_EXPIRE_MINUTES",
    "MAX_BODY_BYTES",
    "AUTH_RATE_LIMIT_PER_MINUTE",
    "FORWARDED_ALLOW_IPS",
    "DB_POOL_SIZE",
    "DB_MAX_OVERFLOW",
    "DB_CONNECT_TIMEOUT_SECONDS",
    "CACHE_TTL_SECONDS",
    "CELERY_CONCURRENCY",
    "WEB_CONCURRENCY",
    "WEB_THREADS",
    "KEEPALIVE_SECONDS",
    "DB_STATEMENT_TIMEOUT_SECONDS",
    "HEARTBEAT_DIR",
    "TEST_DATABASE_URL",
    "TEST_REDIS_URL",
)


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _OUTER_NAMES and k not in SERVICE_VARS and not k.startswith(_OUTER_PREFIXES)
    }
    env.update(extra or {})
    return env


class CommandFailed(AssertionError):
    pass


@dataclass
class Result:
    args: Sequence[str]
    returncode: int
    output: str
    seconds: float

    def describe(self) -> str:
        return f"$ {' '.join(self.args)}  (exit {self.returncode}, {self.seconds:.1f}s)\n{self.output}"


def run(
    args: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float,
    check: bool = True,
) -> Result:
    """Run to completion; stdout and stderr are merged so a failure shows them in order."""
    start = time.monotonic()
    proc = subprocess.Popen(
        list(args),
        cwd=cwd,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, _ = proc.communicate()
        result = Result(args, -1, out + f"\n[timed out after {timeout:.0f}s]", time.monotonic() - start)
        raise CommandFailed(result.describe()) from None
    result = Result(args, proc.returncode, out, time.monotonic() - start)
    if check and result.returncode != 0:
        raise CommandFailed(result.describe())
    return result


def _kill_group(proc: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(10)


def free_port() -> int:
    """A port free now; another process may take it before ours binds it, so wait_http checks who listens."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listening_inodes(port: int) -> set[str]:
    """Socket inodes listening on a TCP port (Linux /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), Path(table).open() as f:
            next(f, None)
            for line in f:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                    inodes.add(fields[9])
    return inodes


def listens_on(proc: subprocess.Popen[bytes], port: int) -> bool:
    """Whether a process of proc's session (it and its children) holds the listening socket of port."""
    inodes = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    if not inodes:
        return False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            if os.getsid(int(entry.name)) != proc.pid:
                continue
            if any(str(fd.readlink()) in inodes for fd in (entry / "fd").iterdir()):
                return True
    return False


@dataclass
class Background:
    """A long-running process (service, worker) whose stdout and stderr go to files."""

    name: str
    args: Sequence[str]
    cwd: Path
    env: Mapping[str, str]
    log_dir: Path
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    _files: list[object] = field(default_factory=list)

    @property
    def stdout_path(self) -> Path:
        return self.log_dir / f"{self.name}.stdout.log"

    @property
    def stderr_path(self) -> Path:
        return self.log_dir / f"{self.name}.stderr.log"

    def start(self) -> Background:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        out = self.stdout_path.open("wb")
        err = self.stderr_path.open("wb")
        self._files = [out, err]
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(
            list(self.args),
            cwd=self.cwd,
            env=dict(self.env),
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        return self

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def output(self, limit: int = 12_000) -> str:
        parts = []
        for path in (self.stdout_path, self.stderr_path):
            text = path.read_text(errors="replace") if path.exists() else ""
            if len(text) > limit:
                text = "[...]\n" + text[-limit:]
            parts.append(f"--- {path.name} ---\n{text}")
        return "\n".join(parts)

    def terminate(self, timeout: float = 20) -> int | None:
        """SIGTERM, wait; returns the exit status, or None if it had to be killed."""
        if self.proc is None:
            return None
        code: int | None
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)
            try:
                code = self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                code = None
        else:
            code = self.proc.returncode
        # Whatever the main process left behind (a worker's children) goes too.
        _kill_group(self.proc)
        for f in self._files:
            f.close()  # type: ignore[attr-defined]
        return code

    def wait_exit(self, timeout: float) -> int | None:
        assert self.proc is not None
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None


class PortTaken(CommandFailed):
    """Another process took the port between free_port() and our server's bind."""


def wait_http(url: str, proc: Background, timeout: float) -> float:
    """Poll until url answers 200 from proc itself (not another test's server that took the port first);
    returns the seconds since the process started."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    port = httpx.URL(url).port
    while time.monotonic() < deadline:
        if not proc.running():
            output = proc.output()
            kind = PortTaken if "address already in use" in output.lower() else CommandFailed
            raise kind(
                f"{proc.name} exited with {proc.proc.returncode if proc.proc else '?'} before {url} answered\n{output}"
            )
        try:
            response = httpx.get(url, timeout=2)
            if response.status_code == 200 and proc.proc is not None and port and listens_on(proc.proc, port):
                return time.monotonic() - proc.started_at
            last = f"{response.status_code} {response.text[:200]}"
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.1)
    raise CommandFailed(f"{url} did not answer 200 within {timeout:.0f}s (last: {last})\n{proc.output()}")


@contextlib.contextmanager
def background(*procs: Background) -> Iterator[None]:
    try:
        yield
    finally:
        for p in procs:
            p.terminate(timeout=5)

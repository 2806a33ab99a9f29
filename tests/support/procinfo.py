"""What the kernel knows about a running service: its process under `uv run`, and its memory."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in task.read_text().split()]
    return found


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def service_pid(launcher: int, module: str, timeout: float = 10) -> int:
    """The `python -m module` process that `uv run` (pid `launcher`) started: the one that serves and holds memory."""
    deadline = time.monotonic() + timeout
    while True:
        pending, seen = [launcher], []
        while pending:
            pid = pending.pop()
            seen.append(pid)
            args = _cmdline(pid)
            if "-m" in args and module in args and "python" in Path(args[0]).name:
                return pid
            pending += _children(pid)
        if time.monotonic() > deadline:
            raise AssertionError(f"no `python -m {module}` among processes {seen} under {launcher}")
        time.sleep(0.1)


def process_tree(pid: int) -> list[int]:
    """`pid` and every process below it: a pre-forking server (WEB_CONCURRENCY above 1) serves from its children."""
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending += _children(current)
    return tree


def tree_memory_kib(pid: int, field: str) -> int:
    """A memory line summed over `pid` and the processes below it (those that exit meanwhile count as 0)."""
    total = 0
    for member in process_tree(pid):
        with contextlib.suppress(OSError, AssertionError):
            total += memory_kib(member, field)
    return total


def tree_cpu_seconds(pid: int) -> float:
    """The CPU time, user and system, that `pid` and the processes below it have used, with that of the children
    they have waited for (those that exit meanwhile count as 0)."""
    ticks = 0
    for member in process_tree(pid):
        with contextlib.suppress(OSError, IndexError, ValueError):
            # After the command name in parentheses: utime, stime, cutime and cstime are the 12th to 15th fields.
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def memory_kib(pid: int, field: str) -> int:
    """A /proc/<pid>/status memory line (VmRSS, VmHWM...) in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def reset_peak(pid: int) -> bool:
    """Start VmHWM again from the current resident size (Linux 4.0+); False where the kernel does not allow it."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@contextlib.contextmanager
def peak_rss(pid: int, interval: float = 0.02) -> Iterator[list[int]]:
    """Yields a one-item list that holds, once the block ends, the largest resident size of `pid` and the processes
    below it seen in the block (KiB): polled, and bounded from below by the sum of the kernel's own high-water marks
    where they can be reset (an upper bound of the real peak when the processes peak at different times)."""
    reset = [reset_peak(member) for member in process_tree(pid)]  # every one, not only up to a failure
    exact = all(reset)
    peak = [tree_memory_kib(pid, "VmRSS")]
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_memory_kib(pid, "VmRSS"))
            stop.wait(interval)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()
        peak[0] = max(peak[0], tree_memory_kib(pid, "VmRSS"))
        if exact:
            peak[0] = max(peak[0], tree_memory_kib(pid, "VmHWM"))


def unread_by_server(server_port: int, client_ports: set[int]) -> dict[int, int | None]:
    """For each client connection to `server_port` on 127.0.0.1, the bytes that reached the server's socket but
    that it has not read yet (None: no such connection there). 0 means the server has taken in all it was sent."""
    found: dict[int, int | None] = dict.fromkeys(client_ports)
    local = f"0100007F:{server_port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] != local:
            continue
        remote_port = int(fields[2].split(":")[1], 16)
        if remote_port in found:
            found[remote_port] = int(fields[4].split(":")[1], 16)
    return found

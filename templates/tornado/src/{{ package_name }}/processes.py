"""Serving processes: WEB_CONCURRENCY copies of the server, sharing the sockets bound before.

The parent forks them and then only supervises: it passes SIGTERM and SIGINT on to each process,
which lets its requests in flight finish and exits, and it replaces a process that dies of
anything else. Tornado's own `fork_processes` restarts processes too, but keeps their ids to
itself and passes no signal on, while a container's stop signal goes to the parent alone.
"""

import os
import signal
from collections.abc import Callable

import structlog

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
# A process that keeps dying (a bug, not a fault that passes) ends the service after this many.
MAX_RESTARTS = 100

logger = structlog.stdlib.get_logger(__name__)


class TooManyRestartsError(RuntimeError):
    """The serving processes died more often than MAX_RESTARTS."""


def run_processes(count: int, serve: Callable[[], None]) -> None:
    """Run `serve()` in `count` forked processes, and return once every one has stopped."""
    children: set[int] = set()
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            os.kill(pid, signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        for _ in range(count):
            children.add(_start(serve))
        restarts = 0
        while children:
            pid, status = os.wait()
            children.discard(pid)
            code = os.waitstatus_to_exitcode(status)
            if code == 0 or stopping:
                continue
            restarts += 1
            logger.error("process_died", pid=pid, exit_code=code, restarts=restarts)
            if restarts > MAX_RESTARTS:
                stop(signal.SIGTERM, None)
                raise TooManyRestartsError(f"serving processes died {restarts} times")
            children.add(_start(serve))
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _start(serve: Callable[[], None]) -> int:
    pid = os.fork()
    if pid:
        return pid
    # The child: it serves, and never returns into the parent's supervising loop.
    code = 1
    try:
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        serve()
        code = 0
    except Exception:
        logger.exception("process_failed")
    finally:
        os._exit(code)

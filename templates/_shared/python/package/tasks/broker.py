"""Calls from request threads to the task queue's Redis, bounded so that Redis cannot hold them all.

Were Redis to stop answering without closing its connections (a freeze, a partition), each
request that sends a task or reads one would wait on it for Celery's timeouts, and soon every
thread of the server would be waiting: nothing else would be served, /health included. So at most
CONCURRENT_CALLS requests wait on Redis at once, each for DEADLINE_SECONDS at most; a request that
finds no free place soon is a 503 at once, and so is every request for PAUSE_SECONDS after a call
failed. The other threads go on serving.
"""

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import structlog
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from ..errors import ServiceUnavailableError

CONCURRENT_CALLS = 2
# Sending a task takes a millisecond: a place is free again long before this, unless Redis is slow.
PLACE_WAIT_SECONDS = 0.05
DEADLINE_SECONDS = 4.0
PAUSE_SECONDS = 5.0
UNAVAILABLE = "The task queue is unavailable; try again later"
# A timeout (the deadline's included), a connection refused or dropped, or (RuntimeError) Celery's
# result store giving up reconnecting.
FAILURES = (TimeoutError, OperationalError, RedisError, OSError, RuntimeError)

Result = TypeVar("Result")

logger = structlog.stdlib.get_logger(__name__)


class Broker:
    """The task queue as the request threads of one app reach it."""

    def __init__(self) -> None:
        self.places = threading.BoundedSemaphore(CONCURRENT_CALLS)
        # A call runs in a thread of its own: a request gives up on it after the deadline, and a
        # call given up on ends by itself once Celery's own Redis timeouts expire.
        self.threads = ThreadPoolExecutor(max_workers=8, thread_name_prefix="task-queue")
        self.paused_until = 0.0

    def call(self, send: Callable[[], Result]) -> Result:
        """`send()`'s result, or ServiceUnavailableError (503, Retry-After) if Redis fails."""
        if time.monotonic() < self.paused_until:
            raise _unavailable("paused after a failure")
        if not self.places.acquire(timeout=PLACE_WAIT_SECONDS):
            raise _unavailable("every place is taken by a call that waits on Redis")
        try:
            return self.threads.submit(send).result(timeout=DEADLINE_SECONDS)
        except FAILURES as error:
            self.paused_until = time.monotonic() + PAUSE_SECONDS
            raise _unavailable(repr(error)) from None
        finally:
            self.places.release()


def _unavailable(reason: str) -> ServiceUnavailableError:
    logger.warning("task_queue_unavailable", error=reason)
    return ServiceUnavailableError(UNAVAILABLE, {"Retry-After": str(round(PAUSE_SECONDS))})

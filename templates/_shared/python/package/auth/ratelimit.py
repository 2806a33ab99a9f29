"""A limit on attempts per client over a moving window, kept in this process.

The counting is the `limits` library's moving window: at most `limit` attempts in any span of
`window_seconds`, also across the turn of a minute, and a refused client learns when its oldest
attempt will have left the window. Refused attempts are not counted: a client that keeps trying
gets in again once it waits as told. An attempt is forgotten once it has left the window.
"""

import math
import time
from collections.abc import Callable
from typing import Protocol

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

Clock = Callable[[], float]
# Clients remembered in all: `limits` keeps an entry for every client it has seen, also once its
# attempts have expired; past this many, the counts start again from zero (about 20 MB).
MAX_TRACKED_CLIENTS = 100_000


class RateLimiter(Protocol):
    async def hit(self, key: str) -> int | None:
        """Count an attempt by `key`; None if it is allowed, else the seconds to wait."""


def whole_seconds(wait: float) -> int:
    """At least 1 second, and never one more for a float's rounding."""
    return max(1, math.ceil(round(wait, 6)))


def wait_until(reset_time: float) -> int:
    """The whole seconds until `reset_time` (the epoch seconds `limits` gives)."""
    return whole_seconds(reset_time - time.time())


class LocalRateLimiter:
    """At most `limit` attempts per `window_seconds` per key, counted in this process."""

    def __init__(
        self, limit: int, window_seconds: int = 60, *, max_clients: int = MAX_TRACKED_CLIENTS
    ) -> None:
        if limit < 1:
            raise ValueError("the limit must be at least 1")
        self.limit = RateLimitItemPerSecond(limit, window_seconds)
        self.max_clients = max_clients
        # Its expiry runs on a timer thread that it starts again when used, so it survives a fork.
        self._storage = MemoryStorage()
        self._counter = MovingWindowRateLimiter(self._storage)

    async def hit(self, key: str) -> int | None:
        return self.hit_now(key)

    def hit_now(self, key: str) -> int | None:
        """`hit`, for callers that do not run on an event loop (from any thread)."""
        if len(self._storage.events) >= self.max_clients:
            # Memory stays bounded whatever the number of addresses. Every count starts again: to
            # earn one more window of attempts, a client needs this many other addresses first.
            self._storage.reset()
        if self._counter.hit(self.limit, key):
            return None
        return wait_until(self._counter.get_window_stats(self.limit, key).reset_time)

    @property
    def tracked_clients(self) -> int:
        return len(self._storage.events)

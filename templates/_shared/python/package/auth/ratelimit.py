"""A limit on attempts per client over a sliding window, kept in this process.

Each client's allowed attempts of the last `window_seconds` are remembered, so the limit holds over
any span of that length, also across the turn of a minute, and a refused client learns exactly
when its oldest attempt will have slid out of the window. Refused attempts are not counted: a
client that keeps trying gets in again once it waits as told.
"""

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Protocol

# Attempts remembered in all; past that, the clients seen longest ago are forgotten.
MAX_TRACKED_ATTEMPTS = 100_000

Clock = Callable[[], float]


class RateLimiter(Protocol):
    async def hit(self, key: str) -> int | None:
        """Count an attempt by `key`; None if it is allowed, else the seconds to wait."""


def whole_seconds(wait: float) -> int:
    """At least 1 second, and never one more for a float's rounding."""
    return max(1, math.ceil(round(wait, 6)))


class LocalRateLimiter:
    """At most `limit` attempts per `window_seconds` per key, counted in this process.

    Memory is bounded by `max_attempts` whatever the number of clients: a forgotten client starts
    again from zero, and those are the clients seen longest ago.
    """

    def __init__(
        self,
        limit: int,
        window_seconds: float = 60.0,
        *,
        max_attempts: int = MAX_TRACKED_ATTEMPTS,
        clock: Clock = time.monotonic,
    ) -> None:
        if limit < 1:
            raise ValueError("the limit must be at least 1")
        self.limit = limit
        self.window_seconds = window_seconds
        self.max_attempts = max(max_attempts, limit)  # the current client is never forgotten
        self._clock = clock
        self._attempts: OrderedDict[str, deque[float]] = OrderedDict()
        self._tracked = 0
        self._lock = threading.Lock()

    async def hit(self, key: str) -> int | None:
        return self.hit_now(key)

    def hit_now(self, key: str) -> int | None:
        """`hit`, for callers that do not run on an event loop (from any thread)."""
        now = self._clock()
        with self._lock:
            attempts = self._attempts.pop(key, None) or deque()
            while attempts and attempts[0] <= now - self.window_seconds:
                attempts.popleft()
                self._tracked -= 1
            wait = None
            if len(attempts) < self.limit:
                attempts.append(now)
                self._tracked += 1
            else:
                wait = whole_seconds(attempts[0] + self.window_seconds - now)
            if attempts:
                self._attempts[key] = attempts  # the client seen last goes last
            while self._tracked > self.max_attempts:
                _, forgotten = self._attempts.popitem(last=False)
                self._tracked -= len(forgotten)
        return wait

    @property
    def tracked_attempts(self) -> int:
        return self._tracked

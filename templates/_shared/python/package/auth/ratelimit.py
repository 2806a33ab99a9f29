"""A limit on attempts per client: a sliding-window counter, kept in this process.

The window slides: a count is kept for the current fixed window and the one before it, and the
earlier one is weighted by how much of it still lies within the last `window_seconds`. That is
two numbers per client whatever the limit, and, unlike fixed windows alone, a burst that straddles
a window boundary is still refused once it passes the limit.
"""

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import NamedTuple, Protocol

MAX_TRACKED_CLIENTS = 10_000

Clock = Callable[[], float]


class RateLimiter(Protocol):
    async def hit(self, key: str) -> int | None:
        """Count an attempt by `key`; None if it is allowed, else the seconds to wait."""


class Window(NamedTuple):
    """Where `now` falls: the index of its fixed window and the seconds since that one began."""

    index: int
    elapsed: float

    @classmethod
    def at(cls, now: float, window_seconds: float) -> "Window":
        index = math.floor(now / window_seconds)
        return cls(index, now - index * window_seconds)


def seconds_to_wait(
    previous: int, current: int, elapsed: float, limit: int, window_seconds: float
) -> int | None:
    """None if one more attempt fits within `limit`, else whole seconds until one would.

    `previous` and `current` are the counts of the previous and the current fixed window,
    `elapsed` the seconds since the current one began.
    """
    left_in_window = window_seconds - elapsed
    # Multiplied out, so that whole seconds compare exactly.
    if previous * left_in_window + (current + 1) * window_seconds <= limit * window_seconds:
        return None
    if current + 1 <= limit:
        # Later in this window, once enough of the previous one has slid out.
        wait = window_seconds * (1 - (limit - current - 1) / previous) - elapsed
    else:
        # In the next window, once enough of this one has slid out.
        wait = left_in_window + window_seconds * (1 - (limit - 1) / current)
    return max(1, math.ceil(round(wait, 6)))  # not a second more for a float's rounding


class _Counts(NamedTuple):
    window: int
    previous: int
    current: int

    def moved_to(self, window: int) -> "_Counts":
        if window == self.window:
            return self
        previous = self.current if window == self.window + 1 else 0
        return _Counts(window, previous, 0)


class LocalRateLimiter:
    """At most `limit` attempts per `window_seconds` per key, counted in this process.

    It remembers the `max_keys` keys seen last, so memory stays bounded whatever the number of
    clients; a key it forgot starts again from zero.
    """

    def __init__(
        self,
        limit: int,
        window_seconds: float = 60.0,
        *,
        max_keys: int = MAX_TRACKED_CLIENTS,
        clock: Clock = time.time,
    ) -> None:
        if limit < 1:
            raise ValueError("the limit must be at least 1")
        self.limit = limit
        self.window_seconds = window_seconds
        self.max_keys = max_keys
        self._clock = clock
        self._counts: OrderedDict[str, _Counts] = OrderedDict()
        self._lock = threading.Lock()

    async def hit(self, key: str) -> int | None:
        return self.hit_now(key)

    def hit_now(self, key: str) -> int | None:
        """`hit`, for callers that do not run on an event loop (from any thread)."""
        window = Window.at(self._clock(), self.window_seconds)
        with self._lock:
            counts = self._counts.pop(key, _Counts(window.index, 0, 0)).moved_to(window.index)
            wait = seconds_to_wait(
                counts.previous, counts.current, window.elapsed, self.limit, self.window_seconds
            )
            if wait is None:
                counts = counts._replace(current=counts.current + 1)
            self._counts[key] = counts  # the most recently seen key goes last
            if len(self._counts) > self.max_keys:
                self._counts.popitem(last=False)
        return wait

    def __len__(self) -> int:
        return len(self._counts)

"""The limit on sign-up and sign-in attempts: AUTH_RATE_LIMIT_PER_MINUTE per client address.

Each of the two routes counts on its own, so that signing up does not use up the attempts to
sign in. The client address is the one the request context middleware settled on (a trusted
proxy's `X-Forwarded-For`, or the peer). django-ninja answers a refused attempt with a 429 and
`Retry-After`, before the body is read.

django-ninja's throttling, with a limiter of the service's own rather than ninja's rate throttles
(AnonRateThrottle...): those keep each client's history with a cache get() then set(), so that
concurrent attempts all read the same history and all pass, and a Redis that is down fails the
request. The limiter counts atomically in Redis when the project has it, and falls back to a count
per process when Redis fails (ratelimit.py).
"""

import threading
from typing import Any

from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from ..errors import ErrorDetail
from .limiter import limiter

TOO_MANY_ATTEMPTS: dict[int, Any] = {429: ErrorDetail}


class AttemptThrottle(BaseThrottle):
    """A moving window per route and client address (ratelimit.py)."""

    def __init__(self) -> None:
        # One instance serves every thread: each remembers the wait of its own last refusal.
        self._refused = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        address = request.META.get("REMOTE_ADDR") or "unknown"
        self._refused.wait = limiter().hit_now(f"{request.path}:{address}")
        return self._refused.wait is None

    def wait(self) -> float | None:
        wait: float | None = self._refused.wait
        return wait

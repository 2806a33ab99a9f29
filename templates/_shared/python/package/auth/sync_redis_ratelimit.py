"""The attempt limit shared by every process of the service, counted in Redis, for blocking code.

The same sliding window as `LocalRateLimiter`, kept in one sorted set of attempt times per client,
so that a client meets one limit however many replicas serve it. Redis is not needed to serve:
while it fails, each process counts on its own (so the limit applies per process for that time),
rather than refusing logins or letting them through unlimited.
"""

import threading
import time
import uuid

import structlog
from redis import Redis
from redis.exceptions import RedisError

from .ratelimit import Clock, LocalRateLimiter, whole_seconds

# After a failure, Redis is left alone this long, so that each attempt does not wait on it again.
RETRY_REDIS_AFTER_SECONDS = 10.0

logger = structlog.stdlib.get_logger(__name__)


class SyncRedisRateLimiter:
    """At most `fallback.limit` attempts per `fallback.window_seconds` per key, in Redis."""

    def __init__(
        self,
        redis: Redis,
        fallback: LocalRateLimiter,
        *,
        key_prefix: str,
        clock: Clock = time.time,  # the wall clock, which the replicas share
    ) -> None:
        self.redis = redis
        self.fallback = fallback
        self.key_prefix = key_prefix
        self._clock = clock
        self._redis_failed_at: float | None = None
        self._lock = threading.Lock()  # requests of several threads share this limiter

    def hit_now(self, key: str) -> int | None:
        """Count an attempt by `key`; None if it is allowed, else the seconds to wait."""
        now = self._clock()
        failed_at = self._redis_failed_at
        if failed_at is not None and now - failed_at < RETRY_REDIS_AFTER_SECONDS:
            return self.fallback.hit_now(key)
        try:
            wait = self._hit_redis(f"{self.key_prefix}:{key}", now)
        except RedisError as error:
            with self._lock:
                if self._redis_failed_at is None:
                    logger.warning("rate_limit_redis_unavailable", error=type(error).__name__)
                self._redis_failed_at = now
            return self.fallback.hit_now(key)
        if failed_at is not None:
            with self._lock:
                if self._redis_failed_at is not None:
                    logger.info("rate_limit_redis_available")
                    self._redis_failed_at = None
        return wait

    def _hit_redis(self, key: str, now: float) -> int | None:
        limit, window_seconds = self.fallback.limit, self.fallback.window_seconds
        attempt = f"{now}:{uuid.uuid4().hex}"
        # Count first and take the attempt back if it is refused: replicas counting at the same
        # moment can then only refuse too many, never allow too many.
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(key, "-inf", now - window_seconds)
            pipe.zadd(key, {attempt: now})
            pipe.zcard(key)
            pipe.zrange(key, 0, 0, withscores=True)
            pipe.pexpire(key, int(window_seconds * 1000) + 1000)
            _, _, count, oldest, _ = pipe.execute()
        if count <= limit:
            return None
        self.redis.zrem(key, attempt)
        return whole_seconds(oldest[0][1] + window_seconds - now)

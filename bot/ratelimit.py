"""Sliding-window rate limits: at most `limit` events per key in any `window` seconds.

In memory for one process; in Redis when several processes (action servers, gateways) share the
count. `SLIDING_WINDOW` is the Redis script; the gateway's async state store runs it too. A refused
event is not counted, so a citizen who waits gets through again.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Protocol

import redis

Clock = Callable[[], float]
_SWEEP_EVERY = 1000


class RateLimiterUnavailable(Exception):
    """The shared count cannot be reached; callers refuse the event rather than let it through uncounted."""


class RateLimiter(Protocol):
    def try_acquire(self, key: str) -> float:
        """Count one event for `key` and return 0; at the limit, count nothing and return the seconds to wait.

        Raises RateLimiterUnavailable when the count cannot be reached.
        """


class InMemoryRateLimiter:
    """A rate limit held in this process."""

    def __init__(self, limit: int, window: float = 3600, clock: Clock = time.monotonic) -> None:
        self._limit, self._window, self._clock = limit, window, clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._calls = 0

    def try_acquire(self, key: str) -> float:
        now = self._clock()
        with self._lock:
            self._calls += 1
            if self._calls % _SWEEP_EVERY == 0:
                self._sweep(now)
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self._window:
                events.popleft()
            if len(events) >= self._limit:
                return events[0] + self._window - now
            events.append(now)
            return 0.0

    def _sweep(self, now: float) -> None:
        """Forget keys with no event in the window, so memory follows active conversations only."""
        for key in [k for k, events in self._events.items() if not events or events[-1] <= now - self._window]:
            del self._events[key]


# Atomic: drop expired events, refuse at the limit (returning the wait), else record the event.
SLIDING_WINDOW = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tostring(tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(window))
return '0'
"""


class RedisRateLimiter:
    """A rate limit shared through Redis: one sorted set of event times per key."""

    def __init__(
        self,
        client: redis.Redis,
        limit: int,
        window: float = 3600,
        prefix: str = "motcua:ratelimit:",
        clock: Clock = time.time,
    ) -> None:
        self._client, self._limit, self._window, self._prefix, self._clock = client, limit, window, prefix, clock
        self._acquire = client.register_script(SLIDING_WINDOW)

    def try_acquire(self, key: str) -> float:
        now = self._clock()
        member = f"{now}:{uuid.uuid4().hex}"
        try:
            return float(self._acquire(keys=[self._prefix + key], args=[now, self._window, self._limit, member]))
        except redis.RedisError as exc:
            raise RateLimiterUnavailable(f"rate limit store unreachable: {type(exc).__name__}") from exc

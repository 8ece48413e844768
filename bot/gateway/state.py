"""The gateway's state: de-duplication, rate counters, waiting messages, histories, small values.

Redis when `REDIS_URL` is set (shared by gateway processes, survives restarts); otherwise the
process's memory, which `make run` announces at start-up.
"""

from __future__ import annotations

import json
import time
import uuid
from abc import ABC, abstractmethod
from collections import defaultdict
from typing import Any

from redis import asyncio as aioredis

from bot.ratelimit import SLIDING_WINDOW, InMemoryRateLimiter

PREFIX = "motcua:"
HISTORY_LIMIT = 200


class StateStore(ABC):
    """Everything the gateway keeps between requests. Keys are plain strings; values JSON-able."""

    description: str  # for the log: where the state lives
    kind: str  # for /readyz: "redis" or "memory", never a connection string

    @abstractmethod
    async def first_delivery(self, key: str, ttl: int = 24 * 3600) -> bool:
        """True the first time `key` is seen within `ttl` seconds."""

    @abstractmethod
    async def acquire(self, key: str, limit: int, window: int) -> float:
        """Count one event for `key` if fewer than `limit` were counted in the last `window` seconds, and
        return 0; otherwise count nothing and return the seconds until one is allowed (a sliding window)."""

    @abstractmethod
    async def push(self, key: str, item: dict[str, Any], limit: int = 0, ttl: int = 0) -> None:
        """Append to a list (keeping the last `limit` items when `limit` is set)."""

    @abstractmethod
    async def items(self, key: str) -> list[dict[str, Any]]: ...

    @abstractmethod
    async def drop_first(self, key: str) -> None: ...

    @abstractmethod
    async def add_member(self, key: str, member: str) -> None: ...

    @abstractmethod
    async def remove_member(self, key: str, member: str) -> None: ...

    @abstractmethod
    async def members(self, key: str) -> set[str]: ...

    @abstractmethod
    async def is_member(self, key: str, member: str) -> bool: ...

    @abstractmethod
    async def get(self, key: str) -> dict[str, Any] | None: ...

    @abstractmethod
    async def put(self, key: str, value: dict[str, Any], ttl: int = 0) -> None: ...

    @abstractmethod
    async def ping(self) -> bool: ...

    async def close(self) -> None:
        return None


class RedisState(StateStore):
    kind = "redis"

    def __init__(self, url: str) -> None:
        self._redis = aioredis.from_url(url, decode_responses=True, socket_timeout=5)
        self._sliding_window = self._redis.register_script(SLIDING_WINDOW)
        self.description = f"Redis ({url.split('@')[-1]})"

    async def first_delivery(self, key: str, ttl: int = 24 * 3600) -> bool:
        return bool(await self._redis.set(PREFIX + key, "1", nx=True, ex=ttl))

    async def acquire(self, key: str, limit: int, window: int) -> float:
        now = time.time()
        arguments = [now, window, limit, f"{now}:{uuid.uuid4().hex}"]
        return float(await self._sliding_window(keys=[PREFIX + key], args=arguments))

    async def push(self, key: str, item: dict[str, Any], limit: int = 0, ttl: int = 0) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.rpush(PREFIX + key, json.dumps(item, ensure_ascii=False))
            if limit:
                pipe.ltrim(PREFIX + key, -limit, -1)
            if ttl:
                pipe.expire(PREFIX + key, ttl)
            await pipe.execute()

    async def items(self, key: str) -> list[dict[str, Any]]:
        return [json.loads(raw) for raw in await self._redis.lrange(PREFIX + key, 0, -1)]

    async def drop_first(self, key: str) -> None:
        await self._redis.lpop(PREFIX + key)

    async def add_member(self, key: str, member: str) -> None:
        await self._redis.sadd(PREFIX + key, member)

    async def remove_member(self, key: str, member: str) -> None:
        await self._redis.srem(PREFIX + key, member)

    async def members(self, key: str) -> set[str]:
        return set(await self._redis.smembers(PREFIX + key))

    async def is_member(self, key: str, member: str) -> bool:
        return bool(await self._redis.sismember(PREFIX + key, member))

    async def get(self, key: str) -> dict[str, Any] | None:
        raw = await self._redis.get(PREFIX + key)
        return json.loads(raw) if raw else None

    async def put(self, key: str, value: dict[str, Any], ttl: int = 0) -> None:
        await self._redis.set(PREFIX + key, json.dumps(value, ensure_ascii=False), ex=ttl or None)

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (aioredis.RedisError, OSError):
            return False

    async def close(self) -> None:
        await self._redis.close()


class MemoryState(StateStore):
    """The same contract in this process's memory (no Redis configured)."""

    description = "memory (no REDIS_URL; lost on restart)"
    kind = "memory"

    def __init__(self) -> None:
        self._expiry: dict[str, float] = {}
        self._values: dict[str, Any] = {}
        self._lists: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._sets: dict[str, set[str]] = defaultdict(set)
        self._limiters: dict[tuple[int, int], InMemoryRateLimiter] = {}

    def _live(self, key: str) -> bool:
        expires = self._expiry.get(key)
        if expires is not None and expires < time.monotonic():
            self._values.pop(key, None)
            self._expiry.pop(key, None)
        return key in self._values

    def _set(self, key: str, value: Any, ttl: int) -> None:
        self._values[key] = value
        if ttl:
            self._expiry[key] = time.monotonic() + ttl
        else:
            self._expiry.pop(key, None)

    async def first_delivery(self, key: str, ttl: int = 24 * 3600) -> bool:
        if self._live(key):
            return False
        self._set(key, True, ttl)
        return True

    async def acquire(self, key: str, limit: int, window: int) -> float:
        limiter = self._limiters.get((limit, window))
        if limiter is None:
            limiter = self._limiters[(limit, window)] = InMemoryRateLimiter(limit, window)
        return limiter.try_acquire(key)

    async def push(self, key: str, item: dict[str, Any], limit: int = 0, ttl: int = 0) -> None:
        self._lists[key].append(item)
        if limit:
            del self._lists[key][:-limit]

    async def items(self, key: str) -> list[dict[str, Any]]:
        return list(self._lists.get(key, []))

    async def drop_first(self, key: str) -> None:
        if self._lists.get(key):
            self._lists[key].pop(0)

    async def add_member(self, key: str, member: str) -> None:
        self._sets[key].add(member)

    async def remove_member(self, key: str, member: str) -> None:
        self._sets[key].discard(member)

    async def members(self, key: str) -> set[str]:
        return set(self._sets.get(key, set()))

    async def is_member(self, key: str, member: str) -> bool:
        return member in self._sets.get(key, set())

    async def get(self, key: str) -> dict[str, Any] | None:
        return self._values.get(key) if self._live(key) else None

    async def put(self, key: str, value: dict[str, Any], ttl: int = 0) -> None:
        self._set(key, value, ttl)

    async def ping(self) -> bool:
        return True


def open_state(redis_url: str) -> StateStore:
    return RedisState(redis_url) if redis_url else MemoryState()

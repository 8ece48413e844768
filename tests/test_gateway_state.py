"""The gateway's state store: one contract, in memory and in the real Redis."""

import asyncio
import time

import pytest
import redis

from bot.gateway.state import MemoryState, RedisState, StateStore
from tests.conftest import GATEWAY_REDIS_URL


@pytest.fixture(params=["memory", "redis"])
def state(request) -> StateStore:
    if request.param == "memory":
        return MemoryState()
    redis.Redis.from_url(GATEWAY_REDIS_URL).flushdb()
    return RedisState(GATEWAY_REDIS_URL)


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_delivery_is_first_only_once(state):
    async def scenario():
        first = await state.first_delivery("seen:telegram:1")
        again = await state.first_delivery("seen:telegram:1")
        other = await state.first_delivery("seen:telegram:2")
        await state.close()
        return first, again, other

    assert run(scenario()) == (True, False, True)


def test_a_seen_mark_expires(state):
    async def scenario():
        await state.first_delivery("seen:x", ttl=1)
        await asyncio.sleep(1.2)
        answer = await state.first_delivery("seen:x", ttl=1)
        await state.close()
        return answer

    assert run(scenario()) is True


def test_acquire_is_a_sliding_window_per_key(state):
    async def scenario():
        waits = [await state.acquire("limit:web:a", 2, 1) for _ in range(3)]
        other = await state.acquire("limit:web:b", 2, 1)
        await asyncio.sleep(1.05)
        again = await state.acquire("limit:web:a", 2, 1)
        await state.close()
        return waits, other, again

    waits, other, again = run(scenario())
    assert waits[:2] == [0, 0] and 0 < waits[2] <= 1  # the third waits for the oldest to leave the window
    assert (other, again) == (0, 0)


def test_lists_keep_order_and_limit(state):
    async def scenario():
        for i in range(5):
            await state.push("history:c", {"i": i}, limit=3)
        kept = await state.items("history:c")
        await state.drop_first("history:c")
        after = await state.items("history:c")
        await state.drop_first("missing")
        await state.close()
        return kept, after

    kept, after = run(scenario())
    assert [item["i"] for item in kept] == [2, 3, 4]
    assert [item["i"] for item in after] == [3, 4]


def test_sets_and_values(state):
    async def scenario():
        await state.add_member("waiting", "web:a")
        await state.add_member("waiting", "web:b")
        await state.remove_member("waiting", "web:a")
        members = await state.members("waiting")
        membership = (await state.is_member("waiting", "web:b"), await state.is_member("waiting", "web:a"))
        await state.put("zalo:token", {"access_token": "ắ", "expires_at": time.time()})
        value = await state.get("zalo:token")
        missing = await state.get("nothing")
        await state.put("short", {"v": 1}, ttl=1)
        await asyncio.sleep(1.2)
        expired = await state.get("short")
        ok = await state.ping()
        await state.close()
        return members, membership, value, missing, expired, ok

    members, membership, value, missing, expired, ok = run(scenario())
    assert members == {"web:b"} and membership == (True, False)
    assert value["access_token"] == "ắ"
    assert (missing, expired, ok) == (None, None, True)


def test_redis_state_survives_a_new_client():
    redis.Redis.from_url(GATEWAY_REDIS_URL).flushdb()

    async def scenario():
        writer = RedisState(GATEWAY_REDIS_URL)
        await writer.put("zalo:token", {"refresh_token": "r2"})
        await writer.close()
        reader = RedisState(GATEWAY_REDIS_URL)
        value = await reader.get("zalo:token")
        await reader.close()
        return value

    assert run(scenario()) == {"refresh_token": "r2"}


def test_an_unreachable_redis_is_reported_not_raised():
    async def scenario():
        state = RedisState("redis://127.0.0.1:1/0")
        ok = await state.ping()
        await state.close()
        return ok

    assert run(scenario()) is False

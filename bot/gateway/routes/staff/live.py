"""The console's WebSocket: the desk's events for each open console, while its session lasts."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from fastapi import WebSocket
from starlette.websockets import WebSocketDisconnect

from bot.gateway.routes.staff.routing import console_router
from bot.gateway.routes.staff.security import SESSION_COOKIE
from bot.handoff.sessions import Session

WS_UNAUTHORISED, WS_FORBIDDEN = 4401, 4403
SESSION_CHECK_SECONDS = 60.0  # how often an open WebSocket re-checks its session (logout, deactivation)

router = console_router()


@router.websocket("/ws")
async def live(websocket: WebSocket) -> None:
    """The desk's events for one open console, while its session lasts."""
    await websocket.accept()
    sessions, token = websocket.app.state.sessions, websocket.cookies.get(SESSION_COOKIE, "")
    if not _same_origin(websocket):
        await websocket.close(WS_FORBIDDEN)
        return
    if await asyncio.to_thread(sessions.resolve, token) is None:
        await websocket.close(WS_UNAUTHORISED)
        return
    async with websocket.app.state.console.subscribe() as events:
        await websocket.send_json({"type": "ready"})
        await _relay(websocket, events, lambda: asyncio.to_thread(sessions.resolve, token))


def _same_origin(websocket: WebSocket) -> bool:
    """Browsers always send Origin on a WebSocket: it must be this console's (the host, or PUBLIC_URL)."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser: no cross-site request to fear
    public_url = websocket.app.state.settings.public_url
    allowed = {websocket.headers.get("host", ""), urlsplit(public_url).netloc if public_url else ""}
    return urlsplit(origin).netloc in allowed - {""}


async def _relay(
    websocket: WebSocket, events: asyncio.Queue[dict[str, Any]], session: Callable[[], Awaitable[Session | None]]
) -> None:
    """Send events until the console goes away; every SESSION_CHECK_SECONDS, end it (4401) if the session has."""
    gone = asyncio.create_task(_until_disconnected(websocket))
    getting: asyncio.Task[dict[str, Any]] | None = None
    try:
        while True:
            getting = getting or asyncio.create_task(events.get())
            done, _ = await asyncio.wait(
                {gone, getting}, timeout=SESSION_CHECK_SECONDS, return_when=asyncio.FIRST_COMPLETED
            )
            if gone in done:
                return
            if getting in done:
                await websocket.send_json(getting.result())
                getting = None
            elif await session() is None:
                await websocket.close(WS_UNAUTHORISED)
                return
    except (WebSocketDisconnect, RuntimeError):
        return  # the console went away while we sent
    finally:
        for task in (gone, getting):
            if task is not None:
                task.cancel()


async def _until_disconnected(websocket: WebSocket) -> None:
    """Read (and ignore) what the console sends until it disconnects."""
    while (await websocket.receive())["type"] != "websocket.disconnect":
        pass

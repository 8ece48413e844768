"""The embeddable web chat widget: one script tag, WebSocket with REST fallback, history across reloads.

The widget creates its session id itself (random, at least 128 bits, kept in localStorage); holding it is
what lets a browser read the conversation, so it is never shown to anyone else. Conversation id: `web:<session>`.

WebSocket frames, client → server: `{"type": "message", "text", "client_message_id", "shown"?}`.
Server → client: `{"type": "history", "entries"}` on connect and after a repeated message;
`{"type": "typing"}`; `{"type": "reply", "messages", "client_message_id"?}` (no id: pushed later; empty:
a repeat, the history follows); `{"type": "citizen", "text", "client_message_id"}` (sent from another tab of
the session); `{"type": "error", "detail"}`.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.websockets import WebSocketState

from bot.gateway.conversations import Gateway
from bot.gateway.model import Inbound, Outbound
from bot.settings import Settings
from connectors.base import Channel

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent.parent / "bot" / "gateway" / "static"
SESSION = re.compile(r"[A-Za-z0-9_-]{22,64}")
CLIENT_MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
BAD_SESSION = "Mã phiên trò chuyện không hợp lệ."
FORBIDDEN_ORIGIN = "Trang này chưa được phép nhúng trợ lý."
POLICY_VIOLATION = 1008


class WidgetMessage(BaseModel):
    session: str  # checked against SESSION: a wrong one is a 400, not a validation error
    text: str = Field(..., max_length=100_000)  # the gateway's own size limit answers politely
    client_message_id: str = ""
    shown: str = Field("", max_length=1_000)  # a quick-reply button's title, when one was clicked


class WebChannel(Channel):
    """The widget's script, demo page, history, REST and WebSocket endpoints; pushes to every open tab."""

    name = "web"

    def __init__(self, settings: Settings, gateway: Gateway) -> None:
        self.settings = settings
        self.gateway = gateway
        self._sockets: defaultdict[str, set[WebSocket]] = defaultdict(set)

    def parse(self, payload: Any) -> list[Inbound]:
        message = payload if isinstance(payload, WidgetMessage) else WidgetMessage.parse_obj(payload)
        if not SESSION.fullmatch(message.session):
            raise ValueError(BAD_SESSION)
        if message.client_message_id and not CLIENT_MESSAGE_ID.fullmatch(message.client_message_id):
            raise ValueError("client_message_id must be 1-64 url-safe characters")
        return [Inbound(self.name, message.session, message.text, message.client_message_id, message.shown.strip())]

    def render(self, messages: list[Outbound]) -> list[dict[str, Any]]:
        return [message.as_dict() for message in messages]

    async def send(self, user_id: str, messages: list[Outbound]) -> None:
        """Push late answers and staff replies to every open tab. Nothing is recorded here: whoever
        produces a message records it (Gateway.record) before delivering it, so a tab opened later
        finds it in the history whether or not a socket was open now."""
        await self._push(user_id, {"type": "reply", "messages": self.render(messages)})

    def router(self) -> APIRouter:
        router = APIRouter(tags=["web widget"])

        @router.api_route("/widget.js", methods=["GET", "HEAD"], include_in_schema=False)
        async def widget_script() -> FileResponse:
            return FileResponse(
                STATIC / "widget.js",
                media_type="text/javascript; charset=utf-8",
                headers={"Cache-Control": "public, max-age=300"},
            )

        @router.get("/", include_in_schema=False)
        async def demo_page(request: Request) -> HTMLResponse:
            base = self.settings.public_url or str(request.base_url).rstrip("/")
            page = (STATIC / "demo.html").read_text(encoding="utf-8")
            return HTMLResponse(page.replace("{{WIDGET_SRC}}", html.escape(f"{base}/widget.js")))

        @router.options("/api/widget/{path:path}", include_in_schema=False)
        async def preflight(request: Request) -> Response:
            headers = self._cors(request.headers.get("origin"))
            headers |= {"Access-Control-Allow-Methods": "GET, POST", "Access-Control-Allow-Headers": "Content-Type"}
            return Response(status_code=204, headers=headers | {"Access-Control-Max-Age": "600"})

        @router.get("/api/widget/history")
        async def history(request: Request, session: str = "") -> JSONResponse:
            """The conversation so far: `{"entries": [{"who", "time", "text", "buttons", "links", "author"}]}`."""
            headers = self._cors(request.headers.get("origin"))
            if not SESSION.fullmatch(session):
                raise HTTPException(400, BAD_SESSION, headers=headers)
            entries = await self.gateway.history(f"{self.name}:{session}")
            return JSONResponse({"entries": entries}, headers=headers | {"Cache-Control": "no-store"})

        @router.post("/api/widget/messages")
        async def message(request: Request, body: WidgetMessage) -> JSONResponse:
            """The REST fallback: one citizen message → `{"messages": [...]}` (empty for a repeated one)."""
            headers = self._cors(request.headers.get("origin"))
            try:
                (inbound,) = self.parse(body)
            except ValueError as error:
                raise HTTPException(400, str(error), headers=headers) from error
            replies = await self.handle(inbound)
            return JSONResponse({"messages": self.render(replies)}, headers=headers | {"Cache-Control": "no-store"})

        @router.websocket("/api/widget/ws")
        async def socket(websocket: WebSocket, session: str = "") -> None:
            if not SESSION.fullmatch(session) or not self._origin_allowed(websocket.headers.get("origin")):
                await websocket.close(code=POLICY_VIOLATION)
                return
            await websocket.accept()
            self._sockets[session].add(websocket)
            try:
                await self._send_history(websocket, session)
                while websocket.application_state == WebSocketState.CONNECTED:  # a failed send disconnects
                    await self._receive(websocket, session, await websocket.receive_text())
            except WebSocketDisconnect:
                pass
            finally:
                self._forget(session, websocket)

        return router

    async def handle(self, inbound: Inbound, origin: WebSocket | None = None) -> list[Outbound]:
        """One citizen message: typing, then the replies, to every tab of the session (the sender's included)."""
        session = inbound.user_id
        await self._push(session, {"type": "typing"})
        replies = await self.gateway.handle(inbound)
        client_id = inbound.message_id
        if replies:  # other tabs show what this one sent; a repeated message is already in their history
            echo = {"type": "citizen", "client_message_id": client_id, "text": inbound.shown or inbound.text}
            await self._push(session, echo, skip=origin)
        await self._push(session, {"type": "reply", "client_message_id": client_id, "messages": self.render(replies)})
        return replies

    async def _receive(self, websocket: WebSocket, session: str, raw: str) -> None:
        try:
            frame = json.loads(raw)
        except ValueError:
            await _send(websocket, {"type": "error", "detail": "invalid JSON"})
            return
        if not (isinstance(frame, dict) and frame.get("type") == "message" and isinstance(frame.get("text"), str)):
            await _send(websocket, {"type": "error", "detail": 'expected {"type": "message", "text": ...}'})
            return
        try:
            (inbound,) = self.parse({**frame, "session": session})
        except ValueError as error:
            await _send(websocket, {"type": "error", "detail": str(error).splitlines()[0]})
            return
        if not await self.handle(inbound, origin=websocket):
            await self._send_history(websocket, session)  # a repeat: its answer is in the history

    async def _send_history(self, websocket: WebSocket, session: str) -> None:
        await _send(websocket, {"type": "history", "entries": await self.gateway.history(f"{self.name}:{session}")})

    async def _push(self, session: str, frame: dict[str, Any], skip: WebSocket | None = None) -> None:
        for websocket in list(self._sockets.get(session, ())):
            if websocket is not skip and not await _send(websocket, frame):
                self._forget(session, websocket)

    def _forget(self, session: str, websocket: WebSocket) -> None:
        sockets = self._sockets.get(session)
        if sockets is not None:
            sockets.discard(websocket)
            if not sockets:
                del self._sockets[session]

    def _origin_allowed(self, origin: str | None) -> bool:
        """Pages on the allowed origins may use the widget; requests without an Origin are not from a page."""
        return origin is None or "*" in self.settings.widget_origins or origin in self.settings.widget_origins

    def _cors(self, origin: str | None) -> dict[str, str]:
        """CORS headers for an allowed page origin; 403 for any other."""
        if not self._origin_allowed(origin):
            raise HTTPException(403, FORBIDDEN_ORIGIN)
        if origin is None:
            return {}
        if "*" in self.settings.widget_origins:
            return {"Access-Control-Allow-Origin": "*"}
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


async def _send(websocket: WebSocket, frame: dict[str, Any]) -> bool:
    """Send one frame; False when the socket has gone."""
    try:
        await websocket.send_json(frame)
        return True
    except Exception:  # a closed or broken socket raises several kinds of errors; the caller forgets it
        log.debug("widget socket gone", exc_info=True)
        return False

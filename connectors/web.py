"""The embeddable web chat widget: one script tag, WebSocket with REST fallback, history across reloads.

The widget creates its session id itself (random, at least 128 bits, kept in localStorage); holding it is
what lets a browser read the conversation, so it never leaves this module: the conversation id is
`web:<keyed hash of the session>` (bot/keys.py), which is all that staff, logs and stores ever see.

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
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.websockets import WebSocketState

from bot.gateway.clients import ClientAddresses
from bot.gateway.conversations import Gateway
from bot.gateway.edge import DEFAULT_CSP, scrub
from bot.gateway.model import Inbound, Outbound
from bot.keys import keyed_hash, secret_key
from bot.settings import Settings
from connectors.base import Channel

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent.parent / "bot" / "gateway" / "static"
SESSION = re.compile(r"[A-Za-z0-9_-]{22,64}")
CLIENT_MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
BAD_SESSION = "Mã phiên trò chuyện không hợp lệ."
BAD_MESSAGE_ID = "Mã tin nhắn không hợp lệ."
BAD_JSON = "Tin nhắn không phải JSON hợp lệ."
BAD_FRAME = 'Tin nhắn cần có dạng {"type": "message", "text": "..."}.'
FORBIDDEN_ORIGIN = "Trang này chưa được phép nhúng trợ lý."
DEMO_CSP = DEFAULT_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")  # the page's own <style>
POLICY_VIOLATION = 1008


class WidgetMessage(BaseModel):
    session: str  # checked against SESSION: a wrong one is a 400, not a validation error
    text: str = Field(..., max_length=100_000)  # the gateway's own size limit answers politely
    client_message_id: str = ""
    shown: str = Field("", max_length=1_000)  # a quick-reply button's title, when one was clicked


class WebChannel(Channel):
    """The widget's script, demo page, history, REST and WebSocket endpoints; pushes to every open tab."""

    name = "web"

    def __init__(self, settings: Settings, gateway: Gateway, clients: ClientAddresses) -> None:
        self.settings = settings
        self.gateway = gateway
        self.clients = clients
        self._key = secret_key(settings)
        self._sockets: defaultdict[str, set[WebSocket]] = defaultdict(set)  # by user id (the hashed session)

    def user_id(self, session: str) -> str:
        """The conversation's user id for a widget session (ValueError for a malformed one)."""
        if not SESSION.fullmatch(session):
            raise ValueError(BAD_SESSION)
        return widget_user_id(self._key, session)

    def parse(self, payload: Any) -> list[Inbound]:
        message = payload if isinstance(payload, WidgetMessage) else WidgetMessage.parse_obj(payload)
        user_id = self.user_id(message.session)
        if message.client_message_id and not CLIENT_MESSAGE_ID.fullmatch(message.client_message_id):
            raise ValueError(BAD_MESSAGE_ID)
        return [Inbound(self.name, user_id, message.text, message.client_message_id, message.shown.strip())]

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
            # The Host header was checked against ALLOWED_HOSTS at the edge, so the base is the gateway's own.
            base = self.settings.public_url or str(request.base_url).rstrip("/")
            page = (STATIC / "demo.html").read_text(encoding="utf-8")
            page = page.replace("{{WIDGET_SRC}}", html.escape(f"{base}/widget.js"))
            return HTMLResponse(page, headers={"Content-Security-Policy": DEMO_CSP, "X-Frame-Options": "DENY"})

        @router.options("/api/widget/{path:path}", include_in_schema=False)
        async def preflight(request: Request) -> Response:
            headers = self._cors(request.headers.get("origin"))
            headers |= {"Access-Control-Allow-Methods": "GET, POST", "Access-Control-Allow-Headers": "Content-Type"}
            return Response(status_code=204, headers=headers | {"Access-Control-Max-Age": "600"})

        @router.get("/api/widget/history")
        async def history(request: Request, session: str = "") -> JSONResponse:
            """The conversation so far: `{"entries": [{"who", "time", "text", "buttons", "links", "author"}]}`."""
            headers = self._cors(request.headers.get("origin"))
            try:
                user_id = self.user_id(session)
            except ValueError as error:
                raise HTTPException(400, str(error), headers=headers) from error
            entries = await self.gateway.history(f"{self.name}:{user_id}")
            return JSONResponse({"entries": entries}, headers=headers | {"Cache-Control": "no-store"})

        @router.post("/api/widget/messages")
        async def message(request: Request, body: WidgetMessage) -> JSONResponse:
            """The REST fallback: one citizen message → `{"messages": [...]}` (empty for a repeated one)."""
            headers = self._cors(request.headers.get("origin"))
            try:
                (inbound,) = self.parse(body)
            except ValueError as error:
                raise HTTPException(400, str(error), headers=headers) from error
            replies = await self.handle(replace(inbound, client=self.clients.client_id(request)))
            return JSONResponse({"messages": self.render(replies)}, headers=headers | {"Cache-Control": "no-store"})

        @router.websocket("/api/widget/ws")
        async def socket(websocket: WebSocket, session: str = "") -> None:
            if not SESSION.fullmatch(session) or not self._origin_allowed(websocket.headers.get("origin")):
                await websocket.close(code=POLICY_VIOLATION)
                return
            await websocket.accept()
            user_id = self.user_id(session)
            self._sockets[user_id].add(websocket)
            try:
                await self._send_history(websocket, user_id)
                while websocket.application_state == WebSocketState.CONNECTED:  # a failed send disconnects
                    await self._receive(websocket, session, await websocket.receive_text())
            except WebSocketDisconnect:
                pass
            finally:
                self._forget(user_id, websocket)

        return router

    async def handle(self, inbound: Inbound, origin: WebSocket | None = None) -> list[Outbound]:
        """One citizen message: typing, then the replies, to every tab of the session (the sender's included)."""
        await self._push(inbound.user_id, {"type": "typing"})
        replies = await self.gateway.handle(inbound)
        client_id = inbound.message_id
        if replies:  # other tabs show what this one sent; a repeated message is already in their history
            echo = {"type": "citizen", "client_message_id": client_id, "text": inbound.shown or inbound.text}
            await self._push(inbound.user_id, echo, skip=origin)
        await self._push(
            inbound.user_id, {"type": "reply", "client_message_id": client_id, "messages": self.render(replies)}
        )
        return replies

    async def _receive(self, websocket: WebSocket, session: str, raw: str) -> None:
        try:
            frame = scrub(json.loads(raw))
        except ValueError:
            await _send(websocket, {"type": "error", "detail": BAD_JSON})
            return
        if not (isinstance(frame, dict) and frame.get("type") == "message" and isinstance(frame.get("text"), str)):
            await _send(websocket, {"type": "error", "detail": BAD_FRAME})
            return
        try:
            (inbound,) = self.parse({**frame, "session": session})
        except ValidationError:
            await _send(websocket, {"type": "error", "detail": BAD_FRAME})
            return
        except ValueError as error:
            await _send(websocket, {"type": "error", "detail": str(error)})
            return
        if not await self.handle(replace(inbound, client=self.clients.client_id(websocket)), origin=websocket):
            await self._send_history(websocket, inbound.user_id)  # a repeat: its answer is in the history

    async def _send_history(self, websocket: WebSocket, user_id: str) -> None:
        await _send(websocket, {"type": "history", "entries": await self.gateway.history(f"{self.name}:{user_id}")})

    async def _push(self, user_id: str, frame: dict[str, Any], skip: WebSocket | None = None) -> None:
        for websocket in list(self._sockets.get(user_id, ())):
            if websocket is not skip and not await _send(websocket, frame):
                self._forget(user_id, websocket)

    def _forget(self, user_id: str, websocket: WebSocket) -> None:
        sockets = self._sockets.get(user_id)
        if sockets is not None:
            sockets.discard(websocket)
            if not sockets:
                del self._sockets[user_id]

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


def widget_user_id(key: bytes, session: str) -> str:
    """A widget session's user id: a keyed hash, so the session itself stays secret."""
    return keyed_hash(key, "widget-session", session)


async def _send(websocket: WebSocket, frame: dict[str, Any]) -> bool:
    """Send one frame; False when the socket has gone."""
    try:
        await websocket.send_json(frame)
        return True
    except Exception:  # a closed or broken socket raises several kinds of errors; the caller forgets it
        log.debug("widget socket gone", exc_info=True)
        return False

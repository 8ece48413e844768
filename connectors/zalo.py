"""Zalo Official Account (Open API v3): signed webhook events in, customer-service messages out.

Events arrive at `POST /webhooks/zalo`, signed `X-ZEvent-Signature: mac=sha256(app_id + body + timestamp +
OA secret key)`; they are answered 200 at once and handled in the background. Replies go through
`/v3.0/oa/message/cs`; buttons become `oa.query.hide` buttons, or numbered choices when they do not fit.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import time
from collections import defaultdict
from collections.abc import Coroutine
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.gateway import copy
from bot.gateway.conversations import Gateway
from bot.gateway.edge import original_body
from bot.gateway.model import Inbound, Link, Outbound, system_message
from bot.messages import Button, split_text
from bot.settings import Settings
from connectors.base import Channel
from connectors.zalo_tokens import ZaloTokens

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-ZEvent-Signature"
TEXT_LIMIT = 2000  # characters in one consultation message
MAX_BUTTONS = 5
TITLE_LIMIT = 100  # characters in a button title
PAYLOAD_LIMIT = 1000  # characters in an oa.query.* payload
TOKEN_ERRORS = frozenset({-216, -220})  # access token invalid / expired: refresh and try once more
WINDOW_ERRORS = frozenset({-213, -230, -232})  # not a follower, or outside the interaction window
NETWORK_ATTEMPTS = 3
BACKOFF = 0.5  # seconds before the second attempt; doubled before each later one
STOP_GRACE = 5.0  # seconds in-flight events get to finish when the gateway stops
FOLLOWERS = "zalo:followers"
CHOICES_TTL = 24 * 3600
WELCOME = (
    "Dạ, em cảm ơn anh/chị đã quan tâm! Em là trợ lý dịch vụ công, giúp anh/chị tìm hiểu thủ tục hành chính "
    "và tra cứu hồ sơ. Anh/chị cứ nhắn câu hỏi cho em ạ."
)
CHOOSE_HINT = "Anh/chị nhắn số thứ tự để chọn ạ."
CHOOSE_PROMPT = "Dạ, mời anh/chị chọn ạ:"


def signature(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """The `X-ZEvent-Signature` Zalo sends with an event."""
    digest = hashlib.sha256(app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode()).hexdigest()
    return f"mac={digest}"


def delivery_id(event: dict[str, Any]) -> str:
    """The message's `msg_id`; without one, a hash of the event, so a repeated delivery is still recognised."""
    msg_id = str((event.get("message") or {}).get("msg_id") or "")
    canonical = json.dumps(event, sort_keys=True, ensure_ascii=False).encode()
    return msg_id or "sha256:" + hashlib.sha256(canonical).hexdigest()


def _trim(title: str, limit: int = TITLE_LIMIT) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


_OWN_NUMBER = re.compile(r"^\d+\.\s+")  # a title numbered already ("1. Thuê nhà…"): Zalo's numbering replaces it


@dataclass
class Layout:
    """Outbound messages as Zalo `message` objects, and the choices numbered in their text."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    choices: list[Button] = field(default_factory=list)

    def add(self, message: Outbound) -> None:
        text = message.text.strip()
        if message.author not in ("bot", "system"):
            text = f"Cán bộ {message.author}: {text}"
        links = [link for link in message.links if link.url not in text]
        buttons = [{"type": "oa.query.hide", "title": _trim(b.title), "payload": b.payload} for b in message.buttons]
        buttons += [{"type": "oa.open.url", "title": _trim(link.title), "payload": {"url": link.url}} for link in links]
        if len(buttons) > MAX_BUTTONS or any(len(b.payload) > PAYLOAD_LIMIT for b in message.buttons):
            text, buttons = self._numbered(text, list(message.buttons), links), []
        if not text and not buttons:
            return
        chunks = [{"text": chunk} for chunk in split_text(text or CHOOSE_PROMPT, TEXT_LIMIT)]
        if buttons:
            chunks[-1]["attachment"] = {"type": "template", "payload": {"buttons": buttons}}
        self.messages.extend(chunks)

    def _numbered(self, text: str, buttons: list[Button], links: list[Link]) -> str:
        """Choices as "1. …" lines (numbering continues across one batch of messages), links as plain URLs."""
        lines = []
        for button in buttons:
            self.choices.append(button)
            lines.append(f"{len(self.choices)}. {_OWN_NUMBER.sub('', button.title)}")
        lines += [link.url if link.title == link.url else f"{link.title}: {link.url}" for link in links]
        if buttons:
            lines.append(CHOOSE_HINT)
        return "\n\n".join(part for part in (text, "\n".join(lines)) if part)


def layout(messages: list[Outbound]) -> Layout:
    result = Layout()
    for message in messages:
        result.add(message)
    return result


class ZaloChannel(Channel):
    name = "zalo"

    def __init__(self, settings: Settings, gateway: Gateway) -> None:
        self.settings = settings
        self.gateway = gateway
        self.http = httpx.AsyncClient(timeout=10)
        self.tokens = ZaloTokens(settings, gateway.state, self.http)
        self._tasks: set[asyncio.Task] = set()
        self._keeper: asyncio.Task | None = None
        self._user_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    def parse(self, payload: Any) -> list[Inbound]:
        """A `user_send_text` event's message; nothing for any other event."""
        if not isinstance(payload, dict) or payload.get("event_name") != "user_send_text":
            return []
        sender = str((payload.get("sender") or {}).get("id", ""))
        message = payload.get("message") or {}
        if not sender:
            return []
        return [Inbound(self.name, sender, str(message.get("text", "")), delivery_id(payload))]

    def render(self, messages: list[Outbound]) -> list[dict[str, Any]]:
        return layout(messages).messages

    async def send(self, user_id: str, messages: list[Outbound]) -> None:
        """Deliver in order; stop at the first message Zalo does not take (the rest would fail alike)."""
        result = layout(messages)
        if result.choices or any(m.author != "system" for m in messages):
            await self.gateway.state.put(
                f"zalo:choices:{user_id}", {"buttons": [b.as_dict() for b in result.choices]}, ttl=CHOICES_TTL
            )
        for message in result.messages:
            if not await self._post(user_id, message):
                return

    def router(self) -> APIRouter:
        router = APIRouter(tags=["zalo channel"])

        @router.get("/webhooks/zalo")
        async def check() -> dict[str, bool]:
            """Zalo's "Kiểm tra" button on the webhook settings page."""
            return {"ok": True}

        @router.post("/webhooks/zalo")
        async def webhook(request: Request) -> JSONResponse:
            body = await request.body()
            raw = original_body(request, body)  # what Zalo signed, before the edge replaced lone surrogates
            if not raw.strip():
                return JSONResponse({"ok": True})  # a reachability check carries no event
            try:
                event = json.loads(body)
            except ValueError:
                event = None
            if not isinstance(event, dict):
                return JSONResponse({"detail": "Nội dung không phải JSON hợp lệ."}, status_code=400)
            if problem := self._refusal(raw, event, request.headers.get(SIGNATURE_HEADER, "")):
                log.warning("Zalo event refused: %s", problem)
                return JSONResponse({"detail": "Chữ ký không hợp lệ."}, status_code=401)
            self._spawn(self._process(event))
            return JSONResponse({"ok": True})

        return router

    async def start(self) -> None:
        self._keeper = asyncio.create_task(self.tokens.keep_fresh())

    async def stop(self) -> None:
        """Let in-flight events finish for a moment, then cancel what is left."""
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=STOP_GRACE)
        left = [*self._tasks, *([self._keeper] if self._keeper else [])]
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)
        await self.http.aclose()

    def _refusal(self, raw: bytes, event: dict[str, Any], header: str) -> str | None:
        """Why an event is not from Zalo for this app, or is stale; None when it is good."""
        app_id, timestamp = str(event.get("app_id", "")), str(event.get("timestamp", ""))
        expected = signature(app_id, raw, timestamp, self.settings.zalo_oa_secret_key)
        if not hmac.compare_digest(expected.encode(), header.strip().encode()):
            return "missing or wrong signature"
        if app_id != self.settings.zalo_app_id:
            return f"app_id {app_id!r} is not this app's"
        if not timestamp.isdecimal() or abs(time.time() - int(timestamp) / 1000) > self.settings.zalo_max_event_age:
            return f"timestamp {timestamp!r} is too old or in the future"
        return None

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Handle an event in the background, keeping a reference until done."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _process(self, event: dict[str, Any]) -> None:
        name = str(event.get("event_name", ""))
        try:
            if name in ("follow", "unfollow"):
                await self._follow(str((event.get("follower") or {}).get("id", "")), name == "follow", event)
            elif name == "user_send_text":
                for inbound in self.parse(event):
                    await self._answer(inbound)
            elif name.startswith("user_send_"):
                await self._unsupported(event)
            else:  # the OA's own messages echoed back (oa_*), receipts, anonymous chats…: acknowledged only
                log.debug("Zalo event %s ignored", name)
        except Exception:  # one event must never take the gateway down; it is logged
            log.exception("Zalo event %s failed", name)

    async def _answer(self, inbound: Inbound) -> None:
        async with self._user_locks[inbound.user_id]:
            replies = await self.gateway.handle(await self._chosen(inbound))
            if replies:
                await self.send(inbound.user_id, replies)

    async def _chosen(self, inbound: Inbound) -> Inbound:
        """A number answering numbered choices becomes the chosen button's payload."""
        text = inbound.text.strip()
        if not text.isdecimal():
            return inbound
        stored = await self.gateway.state.get(f"zalo:choices:{inbound.user_id}") or {}
        buttons = stored.get("buttons", [])
        if not 1 <= int(text) <= len(buttons):
            return inbound
        button = buttons[int(text) - 1]
        return replace(inbound, text=button["payload"], shown=button["title"])

    async def _unsupported(self, event: dict[str, Any]) -> None:
        """Images, stickers, files…: a polite "text only" reply, once per message."""
        user = str((event.get("sender") or {}).get("id", ""))
        if not user or not await self.gateway.state.first_delivery(f"seen:{self.name}:{delivery_id(event)}"):
            return
        async with self._user_locks[user]:
            await self.send(user, [system_message(copy.UNSUPPORTED)])

    async def _follow(self, user: str, following: bool, event: dict[str, Any]) -> None:
        if not user:
            return
        if not following:
            await self.gateway.state.remove_member(FOLLOWERS, user)
            log.info("Zalo user %s unfollowed the OA", user)
            return
        await self.gateway.state.add_member(FOLLOWERS, user)
        log.info("Zalo user %s followed the OA", user)
        if await self.gateway.state.first_delivery(f"seen:{self.name}:follow:{user}:{event.get('timestamp')}"):
            await self.send(user, [system_message(WELCOME)])

    async def _post(self, user_id: str, message: dict[str, Any]) -> bool:
        """One consultation message; True when Zalo took it. Failures are logged, never raised."""
        body = {"recipient": {"user_id": user_id}, "message": message}
        token = await self.tokens.access_token()
        answer = await self._call(body, token)
        if answer is not None and answer.get("error") in TOKEN_ERRORS:
            log.warning("Zalo refused the access token (%s); refreshing", answer.get("error"))
            answer = await self._call(body, (await self.tokens.refresh(token)).access_token)
        if answer is None:
            log.error("Zalo API unreachable; a message to %s was not delivered", user_id)
            return False
        if answer.get("error") == 0:
            return True
        level = logging.WARNING if answer.get("error") in WINDOW_ERRORS else logging.ERROR
        log.log(level, "Zalo did not deliver to %s: %s %s", user_id, answer.get("error"), answer.get("message"))
        return False

    async def _call(self, body: dict[str, Any], token: str) -> dict[str, Any] | None:
        """POST to the consultation-message API, retrying network failures; Zalo's answer or None."""
        for attempt in range(NETWORK_ATTEMPTS):
            if attempt:
                await asyncio.sleep(BACKOFF * 2 ** (attempt - 1))
            try:
                response = await self.http.post(
                    f"{self.settings.zalo_api_url}/v3.0/oa/message/cs", json=body, headers={"access_token": token}
                )
                response.raise_for_status()
                answer = response.json()
            except (httpx.HTTPError, ValueError) as error:
                log.warning("Zalo API attempt %d failed: %s: %s", attempt + 1, type(error).__name__, error)
                continue
            return answer if isinstance(answer, dict) else {"error": None, "message": repr(answer)}
        return None

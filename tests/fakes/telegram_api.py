"""A fake Telegram Bot API, served on a real socket: answers the methods MotCua uses and records every call.

Update builders copy the shape of real Bot API updates (https://core.telegram.org/bots/api#update).
"""

from __future__ import annotations

import asyncio
import html.parser
import itertools
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

TOKEN = "7000000001:AAFakeTokenForMotCuaTests_x1y2z3"
BOT_USER = {"id": 7000000001, "is_bot": True, "first_name": "MotCua", "username": "motcua_test_bot"}
JSON_FIELDS = {"reply_markup", "allowed_updates", "link_preview_options", "reply_parameters", "entities"}
POLL_WAIT = 0.5  # seconds getUpdates waits for an update before answering []
HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre"}


class ApiError(Exception):
    """A Bot API error answer, as Telegram words it."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None  # what the fake answered (a sent Message as a dict, True, …)


class FakeTelegram:
    """`app` is the Bot API at `/bot<TOKEN>/<method>`; `calls` is what the bot asked, in order."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.url = ""  # set by whoever serves `app`
        self.blocked: set[str] = set()  # chat ids whose sendMessage fails as if the citizen blocked the bot
        self._calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._message_ids = itertools.count(5000)
        self.webhook: dict[str, Any] = {"url": "", "allowed_updates": [], "secret_token": ""}
        self._methods = {
            "getMe": self._get_me,
            "sendMessage": self._send_message,
            "sendChatAction": self._send_chat_action,
            "answerCallbackQuery": self._answer_callback_query,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "getUpdates": self._get_updates,
        }
        self.app = self._build()

    def queue_update(self, update: dict[str, Any]) -> None:
        """An update for getUpdates (polling) to hand out."""
        with self._lock:
            self._updates.append(update)

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [call for call in self._calls if method is None or call.method == method]

    def sent(self, chat_id: int | str) -> list[Call]:
        """The sendMessage calls for one chat, in order."""
        return [call for call in self.calls("sendMessage") if call.params["chat_id"] == str(chat_id)]

    def wait_for(self, method: str, count: int = 1, timeout: float = 60, **match: Any) -> list[Call]:
        """Wait until `count` calls of `method` whose parameters include `match` were made; returns them."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls(method) if all(c.params.get(k) == str(v) for k, v in match.items())]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"{count} {method} call(s) with {match} expected, got {found}")
            time.sleep(0.05)

    def wait_for_text(self, chat_id: int | str, fragment: str, timeout: float = 60) -> Call:
        """The first message sent to the chat that contains `fragment`."""
        deadline = time.monotonic() + timeout
        while True:
            for call in self.sent(chat_id):
                if fragment in call.params["text"]:
                    return call
            if time.monotonic() > deadline:
                texts = [call.params["text"] for call in self.sent(chat_id)]
                raise AssertionError(f"no message with {fragment!r} to {chat_id}: {texts}")
            time.sleep(0.05)

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.post("/bot{token}/{method}")
        async def method(token: str, method: str, request: Request) -> JSONResponse:
            if token != self.token:
                return _error(401, "Unauthorized")
            params = await _params(request)
            answer = self._methods.get(method)
            result = None
            try:
                if answer is None:
                    raise ApiError(404, "Not Found: method not found")
                result = await answer(params)
                response = JSONResponse({"ok": True, "result": result})
            except ApiError as error:
                response = _error(error.code, error.description)
            with self._lock:
                self._calls.append(Call(method, params, result))
            return response

        return app

    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {**BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False}

    async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        if params["chat_id"] in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        _check_message(params)
        chat_id = int(params["chat_id"])
        message = {
            "message_id": next(self._message_ids),
            "from": BOT_USER,
            "chat": {"id": chat_id, "first_name": "Lan", "type": "private"},
            "date": int(time.time()),
            "text": params["text"],
        }
        return message | ({"reply_markup": params["reply_markup"]} if "reply_markup" in params else {})

    async def _send_chat_action(self, params: dict[str, Any]) -> bool:
        return True

    async def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        return True

    async def _set_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {key: params.get(key, "") for key in ("url", "allowed_updates", "secret_token")}
        return True

    async def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {"url": "", "allowed_updates": [], "secret_token": ""}
        return True

    async def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        info = {"url": self.webhook["url"], "has_custom_certificate": False, "pending_update_count": 0}
        return info | ({"allowed_updates": self.webhook["allowed_updates"]} if self.webhook["url"] else {})

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Updates from `offset` on (earlier ones are confirmed and forgotten), waiting a little for one."""
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), POLL_WAIT)
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates or time.monotonic() >= deadline:
                    return list(self._updates)
            await asyncio.sleep(0.02)


async def _params(request: Request) -> dict[str, Any]:
    """A method's parameters as a form has them (scalars as strings), JSON fields decoded.
    PTB posts a form of JSON-encoded values; other clients post JSON."""
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.json()
        return {k: v if k in JSON_FIELDS or isinstance(v, str) else json.dumps(v) for k, v in body.items()}
    form = await request.form()
    return {key: json.loads(value) if key in JSON_FIELDS else value for key, value in form.items()}


def _check_message(params: dict[str, Any]) -> None:
    """What Telegram refuses: text over 4,096 UTF-16 units, unknown HTML tags, callback data over 64 bytes."""
    if len(params["text"].encode("utf-16-le")) // 2 > 4096:
        raise ApiError(400, "Bad Request: message is too long")
    if params.get("parse_mode") == "HTML":
        tags = _Tags()
        tags.feed(params["text"])
        if unsupported := tags.seen - HTML_TAGS:
            raise ApiError(400, f"Bad Request: can't parse entities: Unsupported start tag {sorted(unsupported)[0]!r}")
    rows = (params.get("reply_markup") or {}).get("inline_keyboard", [])
    if any(len(button.get("callback_data", "").encode()) > 64 for row in rows for button in row):
        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.add(tag)


def _error(code: int, description: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error_code": code, "description": description}, status_code=code)


def citizen(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Lan", "last_name": "Nguyễn", "language_code": "vi"}


def message_update(update_id: int, chat_id: int, **content: Any) -> dict[str, Any]:
    """A citizen's message in their private chat with the bot; `content` is text, sticker, photo…"""
    chat = {"id": chat_id, "first_name": "Lan", "last_name": "Nguyễn", "type": "private"}
    message = {"message_id": update_id % 100_000, "from": citizen(chat_id), "chat": chat, "date": int(time.time())}
    return {"update_id": update_id, "message": message | content}


def text_update(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    if not text.startswith("/"):
        return message_update(update_id, chat_id, text=text)
    command = {"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}
    return message_update(update_id, chat_id, text=text, entities=[command])


def sticker_update(update_id: int, chat_id: int) -> dict[str, Any]:
    sticker = {
        "file_id": "CAACAgIAAxkBAAIBZ2bT1AABHv3kX9wQ",
        "file_unique_id": "AgADxQADVp29Cg",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
        "set_name": "HotCherry",
    }
    return message_update(update_id, chat_id, sticker=sticker)


def callback_update(update_id: int, chat_id: int, message: dict[str, Any], data: str) -> dict[str, Any]:
    """The citizen pressing the button with callback `data` under `message` (a Message the bot sent)."""
    query = {
        "id": str(4_382_000_000_000_000_000 + update_id),
        "from": citizen(chat_id),
        "message": message,
        "chat_instance": "-5824010964410331571",
        "data": data,
    }
    return {"update_id": update_id, "callback_query": query}

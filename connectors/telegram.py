"""Telegram (python-telegram-bot 22): webhook inside the gateway, or polling when there is no public URL."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import logging
import re
from collections import defaultdict
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from telegram import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, InlineKeyboardButtonLimit, MessageLimit, ParseMode, UpdateType
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.gateway import copy
from bot.gateway.conversations import Gateway
from bot.gateway.model import Inbound, Link, Outbound, system_message
from bot.messages import Button, split_text
from bot.settings import Settings
from connectors.base import Channel

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts as secret_token
ALLOWED_UPDATES = [UpdateType.MESSAGE.value, UpdateType.CALLBACK_QUERY.value]
TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4,096 (UTF-16 code units)
CALLBACK_DATA_LIMIT = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # 64 bytes
KEY_PREFIX = "#"  # callback data standing for a longer payload kept in the gateway state
BUTTON_TTL = 30 * 24 * 3600
STOP_GRACE = 10.0  # seconds to let updates in progress finish at shutdown
COMMANDS = {"/start": "/greet"}  # Telegram commands that are Rasa payloads

HELP = (
    "Dạ, em là trợ lý dịch vụ công, em có thể giúp anh/chị:\n"
    "• Tìm hiểu thủ tục hành chính: hồ sơ cần những giấy tờ gì, lệ phí, thời gian giải quyết, "
    "nộp ở đâu, nộp trực tuyến được không;\n"
    "• Kiểm tra từng giấy tờ cần chuẩn bị để hồ sơ đầy đủ trước khi đi nộp;\n"
    "• Tra cứu tình trạng hồ sơ đã nộp theo mã hồ sơ;\n"
    "• Gặp cán bộ khi cần hỗ trợ trực tiếp.\n"
    "Anh/chị cứ nhắn câu hỏi, có dấu hay không dấu đều được ạ. "
    'Ví dụ: "làm giấy khai sinh cần giấy tờ gì".'
)
BUTTON_EXPIRED = "Dạ, nút này đã hết hạn. Anh/chị vui lòng nhắn lại câu hỏi giúp em ạ."
CHOOSE = "Dạ, anh/chị vui lòng chọn một mục bên dưới ạ:"


def bot_urls(settings: Settings) -> tuple[str, str]:
    """The Bot API's method and file base URLs: Telegram's, a local Bot API server's or a test fake's."""
    return f"{settings.telegram_api_url}/bot", f"{settings.telegram_api_url}/file/bot"


def make_bot(settings: Settings) -> Bot:
    """A bare Bot for one-off calls (the command line); the channel uses its Application's bot."""
    base_url, base_file_url = bot_urls(settings)
    return Bot(settings.telegram_bot_token, base_url=base_url, base_file_url=base_file_url)


def build_application(settings: Settings, polling: bool) -> Application:
    """A PTB Application: with an Updater for polling, without one when the gateway receives webhooks."""
    base_url, base_file_url = bot_urls(settings)
    builder = Application.builder().token(settings.telegram_bot_token).base_url(base_url).base_file_url(base_file_url)
    if not polling:
        builder = builder.updater(None)
    return builder.build()


def callback_data(payload: str) -> str:
    """The payload itself when it fits Telegram's 64 bytes, else a short key that stands for it."""
    if len(payload.encode()) <= CALLBACK_DATA_LIMIT and not payload.startswith(KEY_PREFIX):
        return payload
    return KEY_PREFIX + hashlib.sha256(payload.encode()).hexdigest()[:32]


def html_chunks(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """`text` escaped for HTML parse mode, split at paragraph, line or word boundaries into chunks
    of at most `limit` escaped characters as Telegram counts them (an entity such as `&amp;` is never cut)."""
    return _escaped_chunks(text, limit, limit)


def _escaped_chunks(text: str, limit: int, size: int) -> list[str]:
    chunks: list[str] = []
    for part in split_text(text, size):
        escaped = html.escape(part, quote=False)
        if (length := _utf16_length(escaped)) <= limit:
            chunks.append(escaped)
        else:  # escaping (or emoji) made it longer: split this part smaller; the size strictly shrinks
            chunks.extend(_escaped_chunks(part, limit, len(part) * limit // length))
    return chunks


def _utf16_length(text: str) -> int:
    """Telegram counts UTF-16 code units: an emoji such as 📄 is two."""
    return len(text.encode("utf-16-le")) // 2


def plain_text(message: Outbound) -> str:
    """What one outbound message says: a staff member's name first, links not already in the text last."""
    text = message.text if message.author in ("bot", "system") else f"Cán bộ {message.author}: {message.text}"
    lines = [text, *(_link_line(link) for link in message.links if link.url not in text)]
    return "\n".join(line for line in lines if line) or (CHOOSE if message.buttons else "")


def _link_line(link: Link) -> str:
    return link.url if link.title == link.url else f"{link.title}: {link.url}"


def keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """One inline button per row; a button's callback data is its payload (or the key standing for it)."""
    if not buttons:
        return None
    rows = [[InlineKeyboardButton(button.title, callback_data=callback_data(button.payload))] for button in buttons]
    return InlineKeyboardMarkup(rows)


def command(text: str) -> str:
    """`/start` for "/start", "/START@MotCuaBot" or "/start abc"; "" when the text is not a command."""
    words = text.split(maxsplit=1)
    if not words or not words[0].startswith("/"):
        return ""
    return words[0].split("@", 1)[0].lower()


def parse_update(data: Any, bot: Bot) -> Update:
    """An Update from a webhook body; ValueError when the body is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise ValueError("not a Telegram update (no integer update_id)")
    try:
        return Update.de_json(data, bot)
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"malformed Telegram update: {error!r}") from error


def _button_title(query: CallbackQuery) -> str:
    """The title of the pressed button, from the keyboard of the message it belongs to."""
    markup = getattr(query.message, "reply_markup", None)
    rows = markup.inline_keyboard if isinstance(markup, InlineKeyboardMarkup) else ()
    return next((b.text for row in rows for b in row if b.callback_data == query.data), "")


def _chat_id(update: Update) -> str | None:
    chat = update.effective_chat or update.effective_user
    return str(chat.id) if chat else None


def _button_key(data: str) -> str:
    return f"telegram:button:{data.removeprefix(KEY_PREFIX)}"


class TelegramChannel(Channel):
    """Citizens on Telegram. Each update is answered in the background, one at a time per chat, in order."""

    name = "telegram"

    def __init__(self, settings: Settings, gateway: Gateway) -> None:
        self.settings = settings
        self.gateway = gateway
        self.webhook = bool(settings.public_url)
        self.application = build_application(settings, polling=not self.webhook)
        self.application.add_handler(TypeHandler(Update, self._polled))
        self._tasks: set[asyncio.Task[None]] = set()
        self._chats: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    def parse(self, payload: Any) -> list[Inbound]:
        """The citizen message in an update (a dict or an Update): typed text, `/start`, or a button press."""
        update = payload if isinstance(payload, Update) else parse_update(payload, self.application.bot)
        user_id, message_id = _chat_id(update), str(update.update_id)
        if user_id is None:
            return []
        if (query := update.callback_query) is not None:
            return [Inbound(self.name, user_id, query.data, message_id, _button_title(query))] if query.data else []
        text = update.message.text if update.message else None
        if text is None or command(text) == "/help":
            return []
        if (payload_text := COMMANDS.get(command(text))) is not None:
            return [Inbound(self.name, user_id, payload_text, message_id, text)]
        return [Inbound(self.name, user_id, text, message_id)]

    def render(self, messages: list[Outbound]) -> list[dict[str, Any]]:
        """`send_message` arguments: HTML-escaped text in chunks of at most 4,096, buttons on the last chunk."""
        rendered: list[dict[str, Any]] = []
        for message in messages:
            text = plain_text(message)
            if not text:
                continue
            rendered.extend({"text": chunk, "parse_mode": ParseMode.HTML} for chunk in html_chunks(text))
            rendered[-1]["reply_markup"] = keyboard(message.buttons)
        return rendered

    async def send(self, user_id: str, messages: list[Outbound]) -> None:
        """Never raises: a blocked bot or a Telegram outage is logged (the transcript keeps the messages)."""
        await self._remember_payloads(messages)
        for item in self.render(messages):
            try:
                await self.application.bot.send_message(chat_id=user_id, **item)
            except TelegramError:
                log.exception("Telegram: sending to chat %s failed", user_id)
                return

    def router(self) -> APIRouter | None:
        if not self.webhook:
            return None
        router = APIRouter(tags=["telegram channel"])

        @router.post(WEBHOOK_PATH, include_in_schema=False)
        async def webhook(request: Request) -> Response:
            if not self._authorised(request.headers.get(SECRET_HEADER)):
                return JSONResponse({"detail": "Forbidden"}, status_code=403)
            try:
                update = parse_update(await request.json(), self.application.bot)
            except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors too
                log.warning("Telegram webhook: bad request body: %s", error)
                return JSONResponse({"detail": "Not a Telegram update"}, status_code=400)
            self._spawn(update)
            return Response(status_code=200)

        return router

    async def start(self) -> None:
        await self.application.initialize()
        await self.application.start()
        username = self.application.bot.username
        if self.application.updater is not None:
            await self.application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            log.info("Telegram: polling for updates as @%s (PUBLIC_URL is not set)", username)
            return
        url = f"{self.settings.public_url}{WEBHOOK_PATH}"
        log.info("Telegram: @%s takes webhooks at %s (register: python -m bot telegram set-webhook)", username, url)
        if not self.settings.telegram_webhook_secret:
            log.warning("Telegram: TELEGRAM_WEBHOOK_SECRET is not set, so every webhook request will be refused")

    async def stop(self) -> None:
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=STOP_GRACE)
            for task in set(self._tasks):
                task.cancel()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    def _authorised(self, token: str | None) -> bool:
        secret = self.settings.telegram_webhook_secret
        if not secret:
            log.warning("Telegram webhook request refused: TELEGRAM_WEBHOOK_SECRET is not set")
            return False
        if token is None or not hmac.compare_digest(token.encode(), secret.encode()):
            log.warning("Telegram webhook request refused: missing or wrong %s header", SECRET_HEADER)
            return False
        return True

    async def _polled(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self._spawn(update)

    def _spawn(self, update: Update) -> None:
        task = asyncio.create_task(self._process(update), name=f"Telegram update {update.update_id}")
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            log.warning("%s was cancelled at shutdown", task.get_name())
        elif (error := task.exception()) is not None:
            log.error("%s failed", task.get_name(), exc_info=error)

    async def _process(self, update: Update) -> None:
        if update.callback_query is not None:
            await self._answer(update.callback_query)
        chat = _chat_id(update)
        if chat is None:
            return
        async with self._chats[chat]:  # FIFO: a chat's updates are answered in the order they came
            replies = await self._replies(update)
            if replies:
                await self.send(chat, replies)

    async def _replies(self, update: Update) -> list[Outbound]:
        inbounds = self.parse(update)
        if not inbounds:
            return await self._own_replies(update)
        inbound = inbounds[0]
        if update.callback_query is not None and inbound.text.startswith(KEY_PREFIX):
            stored = await self.gateway.state.get(_button_key(inbound.text))
            if stored is None:
                return [system_message(BUTTON_EXPIRED)]
            inbound = replace(inbound, text=stored["payload"])
        await self._typing(inbound.user_id)
        return await self.gateway.handle(inbound)

    async def _own_replies(self, update: Update) -> list[Outbound]:
        """What the channel answers itself: `/help`, and messages without text (photos, stickers, voice)."""
        message = update.message
        if message is None or not await self.gateway.state.first_delivery(f"seen:telegram:own:{update.update_id}"):
            return []
        if message.text is None:
            return [system_message(copy.UNSUPPORTED)]
        return [system_message(HELP)] if command(message.text) == "/help" else []

    async def _remember_payloads(self, messages: list[Outbound]) -> None:
        for button in (button for message in messages for button in message.buttons):
            if (data := callback_data(button.payload)) != button.payload:
                await self.gateway.state.put(_button_key(data), {"payload": button.payload}, ttl=BUTTON_TTL)

    async def _answer(self, query: CallbackQuery) -> None:
        try:
            await query.answer()
        except TelegramError as error:
            log.warning("Telegram: answering callback query %s failed: %s", query.id, error)

    async def _typing(self, chat: str) -> None:
        try:
            await self.application.bot.send_chat_action(chat, ChatAction.TYPING)
        except TelegramError as error:
            log.warning("Telegram: typing action for chat %s failed: %s", chat, error)

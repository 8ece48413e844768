"""One citizen turn through the gateway: de-duplicate, check, forward to Rasa, keep what could not be sent."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from bot.dialogue.handoff import SIGNAL_HANDOFF
from bot.gateway import copy
from bot.gateway.choices import picked_payload
from bot.gateway.edge import scrub
from bot.gateway.limits import EdgeLimits
from bot.gateway.model import Inbound, Outbound, system_message
from bot.gateway.rasa import RasaClient, RasaTurn, RasaUnavailable
from bot.gateway.state import HISTORY_LIMIT, StateStore
from bot.settings import Settings

if TYPE_CHECKING:
    from connectors.base import Channel

log = logging.getLogger(__name__)
WAITING = "pending:conversations"
RESUME_PENDING = "resume:pending"  # handed back by staff while Rasa was unreachable: still paused there


class Handoff(Protocol):
    """Where human staff plug in (bot/handoff): messages they take over, signals from the bot, transcripts."""

    async def intercept(self, inbound: Inbound) -> list[Outbound] | None:
        """Replies when the message is not for the bot (staff has the conversation, a rating…); None otherwise."""

    async def signalled(self, conversation: str, signals: list[dict[str, Any]]) -> list[Outbound]:
        """Act on the bot's signals (hand off, offer a rating, not understood); extra replies."""

    async def recorded(self, conversation: str, who: str, message: dict[str, Any]) -> None:
        """Keep one turn of the transcript."""


class Gateway:
    """Routes citizen messages to Rasa and replies back to their channel, in order, never dropping one."""

    def __init__(self, settings: Settings, state: StateStore, rasa: RasaClient) -> None:
        self.settings = settings
        self.state = state
        self.rasa = rasa
        self.limits = EdgeLimits(settings, state)
        self.channels: dict[str, Channel] = {}
        self.handoff: Handoff | None = None
        self.periodic: list[Callable[[], Awaitable[None]]] = []  # more catch-up work for the retry loop
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    def register(self, channel: Channel) -> None:
        self.channels[channel.name] = channel

    async def handle(self, inbound: Inbound) -> list[Outbound]:
        """The replies to one inbound message; [] for a repeated delivery."""
        inbound = replace(inbound, text=scrub(inbound.text), shown=scrub(inbound.shown))  # e.g. Telegram polling
        seen = f"seen:{inbound.conversation_id}:{inbound.message_id}"  # delivery ids are only unique per sender
        if inbound.message_id and not await self.state.first_delivery(seen):
            return []
        text = inbound.text.strip()
        if not text:
            return [system_message(copy.EMPTY_MESSAGE)]
        if len(text) > self.settings.max_message_chars:
            return [system_message(copy.too_long(self.settings.max_message_chars))]
        if refusal := await self.limits.refusal(inbound):
            return [system_message(refusal)]
        conversation = inbound.conversation_id
        await self.record(conversation, "citizen", {"text": inbound.shown or text})
        if self.handoff and (taken := await self.handoff.intercept(inbound)) is not None:
            for message in taken:
                await self.record(conversation, message.speaker, message.as_dict())
            return taken
        if payload := picked_payload(text, await self.history(conversation)):
            inbound = replace(inbound, text=payload, shown=inbound.shown or text)
        async with self._locks[conversation]:
            await self.state.push(f"pending:{conversation}", {**inbound.as_dict(), "key": uuid.uuid4().hex})
            await self.state.add_member(WAITING, conversation)
            return await self._drain(conversation, apologise=True)

    async def _drain(self, conversation: str, apologise: bool) -> list[Outbound]:
        """Send a conversation's waiting messages to Rasa, oldest first; stop at the first failure."""
        replies: list[Outbound] = []
        if not await self._resumed(conversation):
            return [system_message(copy.RASA_UNAVAILABLE)] if apologise else []
        for item in await self.state.items(f"pending:{conversation}"):
            try:
                answer = await self._answer(conversation, item)
            except RasaUnavailable as error:
                log.warning("Rasa unavailable for %s, message kept: %s", conversation, error)
                await self.state.put(f"attempted:{item['key']}", {"at": time.time()}, ttl=7 * 24 * 3600)
                if apologise:
                    replies.append(system_message(copy.RASA_UNAVAILABLE))
                return replies
            await self.state.drop_first(f"pending:{conversation}")
            for message in answer.replies:
                await self.record(conversation, "bot", message.as_dict())
            replies.extend(answer.replies)
            replies.extend(await self._signalled(conversation, answer.signals, Inbound.from_dict(item).client_key))
        await self.state.remove_member(WAITING, conversation)
        return replies

    async def _resumed(self, conversation: str) -> bool:
        """False while Rasa still has the conversation paused after a hand back it missed (it would
        swallow the message silently); un-pauses it first when it can."""
        if not await self.state.is_member(RESUME_PENDING, conversation):
            return True
        try:
            await self.rasa.resume(conversation)
        except RasaUnavailable:
            return False
        await self.state.remove_member(RESUME_PENDING, conversation)
        return True

    async def _answer(self, conversation: str, item: dict) -> RasaTurn:
        """Rasa's replies to a waiting message. A message that timed out may still have been handled:
        then the replies are read from the tracker instead of sending the message a second time."""
        if await self.state.get(f"attempted:{item['key']}"):
            handled = await self.rasa.replies_to(conversation, item["key"])
            if handled is not None:
                return handled
        inbound = Inbound.from_dict(item)
        return await self.rasa.send(conversation, inbound.text, item["key"], inbound.client)

    async def _signalled(self, conversation: str, signals: list[dict[str, Any]], client: str) -> list[Outbound]:
        if not (signals and self.handoff):
            return []
        refused: list[Outbound] = []
        if any(SIGNAL_HANDOFF in signal for signal in signals) and not await self.limits.handoff_allowed(client):
            signals = [signal for signal in signals if SIGNAL_HANDOFF not in signal]
            refused = [system_message(copy.HANDOFF_LIMITED)]
            await self._unpause(conversation)
        replies = refused + await self.handoff.signalled(conversation, signals)
        for message in replies:
            await self.record(conversation, message.speaker, message.as_dict())
        return replies

    async def _unpause(self, conversation: str) -> None:
        """Give the conversation back to the bot, which paused it for a hand off that did not happen."""
        try:
            await self.rasa.resume(conversation)
        except RasaUnavailable:
            await self.state.add_member(RESUME_PENDING, conversation)  # done before its next message

    async def retry_waiting(self) -> int:
        """One pass over conversations with waiting messages; late answers go out on their channel."""
        delivered = 0
        for conversation in await self.state.members(WAITING):
            async with self._locks[conversation]:
                replies = await self._drain(conversation, apologise=False)
            if replies:
                await self.deliver(conversation, replies)
                delivered += 1
        return delivered

    async def retry_forever(self) -> None:
        while True:
            await asyncio.sleep(self.settings.retry_interval)
            for work in (*self.periodic, self.retry_waiting):
                try:
                    await work()
                except Exception:  # keep the loop alive whatever one pass meets; it is logged
                    log.exception("catch-up work %s failed", getattr(work, "__qualname__", work))

    async def deliver(self, conversation: str, messages: list[Outbound]) -> None:
        """Send messages to a conversation on its own channel (outside a request)."""
        channel_name, _, user_id = conversation.partition(":")
        channel = self.channels.get(channel_name)
        if channel is None:
            log.error("no channel %r for %s", channel_name, conversation)
            return
        await channel.send(user_id, messages)

    async def say(self, conversation: str, messages: list[Outbound]) -> None:
        """Messages that do not answer a citizen's turn (staff replies, notices): kept, then delivered."""
        for message in messages:
            await self.record(conversation, message.speaker, message.as_dict())
        await self.deliver(conversation, messages)

    async def record(self, conversation: str, who: str, message: dict) -> None:
        """Keep the conversation's recent history (the widget shows it after a reload)."""
        entry = {"who": who, "time": time.time(), **message}
        ttl = self.settings.retention_days * 24 * 3600
        await self.state.push(f"history:{conversation}", entry, limit=HISTORY_LIMIT, ttl=ttl)
        if self.handoff:
            await self.handoff.recorded(conversation, who, message)

    async def history(self, conversation: str) -> list[dict]:
        return await self.state.items(f"history:{conversation}")

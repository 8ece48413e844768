"""Talking to the Rasa server behind the gateway: its gateway channel and its HTTP API, both with the token."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.dialogue.dossier_turn import CLIENT_KEY
from bot.gateway.model import Outbound

GATEWAY_KEY = "gateway_message_key"
CHANNEL_WEBHOOK = "/webhooks/gateway/webhook"  # bot/internal/channel.py


class RasaUnavailable(Exception):
    """Rasa (or the action server behind it) did not answer in time or answered with an error."""


@dataclass
class RasaTurn:
    """What Rasa answered to one turn: messages for the citizen and signals for the gateway."""

    replies: list[Outbound] = field(default_factory=list)
    signals: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_messages(cls, messages: list[dict[str, Any]]) -> RasaTurn:
        turn = cls()
        for message in messages:
            if isinstance(message.get("custom"), dict):
                turn.signals.append(message["custom"])
            elif message.get("text") or message.get("buttons"):
                turn.replies.append(Outbound.from_rasa(message))
        return turn


class RasaClient:
    def __init__(self, url: str, timeout: float, concurrency: int = 8, token: str = "") -> None:
        self.url = url
        limits = httpx.Limits(max_connections=400)
        self._http = httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits, params={"token": token})
        # Turns beyond `concurrency` wait here, first come first served, instead of piling up inside Rasa,
        # whose event loop serves a crowd unevenly (measured in benchmarks/load.py).
        self._turns = asyncio.Semaphore(concurrency)

    async def send(self, conversation_id: str, text: str, key: str = "", client: str = "") -> RasaTurn:
        """One citizen turn through Rasa's gateway channel; the bot's replies. `key` is stored with
        the turn in the tracker, so a retry can tell whether Rasa already handled it; `client` (the
        keyed id of the caller's address) lets actions share limits across conversations."""
        body = {"sender": conversation_id, "message": text, "metadata": {GATEWAY_KEY: key, CLIENT_KEY: client}}
        try:
            async with self._turns:
                response = await self._http.post(CHANNEL_WEBHOOK, json=body)
            response.raise_for_status()
            messages: list[dict[str, Any]] = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(f"{type(error).__name__}: {error}") from error
        return RasaTurn.from_messages(messages)

    async def replies_to(self, conversation_id: str, key: str) -> RasaTurn | None:
        """The bot's replies to the turn sent with `key`, if Rasa handled it (None if it never arrived)."""
        try:
            response = await self._http.get(f"/conversations/{conversation_id}/tracker")
            response.raise_for_status()
            events: list[dict[str, Any]] = response.json().get("events") or []
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(f"{type(error).__name__}: {error}") from error
        for position, event in enumerate(events):
            if event.get("event") == "user" and (event.get("metadata") or {}).get(GATEWAY_KEY) == key:
                return _bot_messages_until_next_user(events[position + 1 :])
        return None

    async def parse(self, text: str) -> dict[str, Any]:
        """What the bot's NLU reads in `text` (`/model/parse`: intent, entities), without touching a conversation."""
        try:
            async with self._turns:
                response = await self._http.post("/model/parse", json={"text": text})
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(f"{type(error).__name__}: {error}") from error

    async def resume(self, conversation_id: str) -> dict[str, Any]:
        """Un-pause the bot for a conversation staff handed back; returns the tracker's slots. The pause cut
        the turn short, so `action_listen` is added too: without it no rule matches the next message."""
        try:
            response = await self._http.post(
                f"/conversations/{conversation_id}/tracker/events",
                json=[{"event": "resume"}, {"event": "action", "name": "action_listen"}],
            )
            response.raise_for_status()
            return response.json().get("slots") or {}
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(f"{type(error).__name__}: {error}") from error

    async def ready(self) -> bool:
        """True when Rasa answers and has a model loaded."""
        try:
            response = await self._http.get("/status", timeout=3)
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False

    async def close(self) -> None:
        await self._http.aclose()


def _bot_messages_until_next_user(events: list[dict[str, Any]]) -> RasaTurn:
    messages = []
    for event in events:
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            messages.append({"text": event.get("text"), **(event.get("data") or {})})
    return RasaTurn.from_messages(messages)

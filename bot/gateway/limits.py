"""Abuse limits at the edge: sliding windows per client and per conversation, kept in the gateway's state
(Redis when configured, so every gateway process shares them).

A client is a keyed id of the caller's address for the widget and the REST channel, where anyone can make
new conversation ids at will, and the channel's own account for Telegram and Zalo. Dossier lookups are
limited per client too, by the action server (bot/dossiers/lookup.py), from the client id the gateway
sends with each turn.
"""

from __future__ import annotations

from bot.gateway import copy
from bot.gateway.model import Inbound
from bot.gateway.state import StateStore
from bot.settings import Settings

MINUTE, HOUR = 60, 3600


class EdgeLimits:
    """What one client and one conversation may do per minute and per hour."""

    def __init__(self, settings: Settings, state: StateStore) -> None:
        self._settings, self._state = settings, state

    async def refusal(self, inbound: Inbound) -> str | None:
        """The polite refusal for a message over a limit; None when it may go on (it is then counted)."""
        settings, client, conversation = self._settings, inbound.client_key, inbound.conversation_id
        if not await self._allowed(f"client-messages:{client}", settings.client_messages_per_minute, MINUTE):
            return copy.RATE_LIMITED
        if not await self._allowed(f"messages:{conversation}", settings.messages_per_minute, MINUTE):
            return copy.RATE_LIMITED
        if await self._state.get(f"known:{conversation}") is None:
            if not await self._allowed(f"conversations:{client}", settings.client_conversations_per_hour, HOUR):
                return copy.TOO_MANY_CONVERSATIONS
            await self._state.put(f"known:{conversation}", {"known": True}, ttl=settings.retention_days * 86400)
        return None

    async def handoff_allowed(self, client: str) -> bool:
        """Count a request for staff from `client`; False over CLIENT_HANDOFFS_PER_HOUR."""
        return await self._allowed(f"handoffs:{client}", self._settings.client_handoffs_per_hour, HOUR)

    async def _allowed(self, key: str, limit: int, window: int) -> bool:
        return await self._state.acquire(f"limit:{key}", limit, window) == 0

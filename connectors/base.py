"""The one interface every channel implements: parse what arrives, render and send what goes out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from fastapi import APIRouter

from bot.gateway.model import Inbound, Outbound


class Channel(ABC):
    """A citizens' channel. The gateway knows channels only through this interface."""

    name: ClassVar[str]

    @abstractmethod
    def parse(self, payload: Any) -> list[Inbound]:
        """The citizen messages in one inbound request body (empty for events that carry none)."""

    @abstractmethod
    def render(self, messages: list[Outbound]) -> list[Any]:
        """Outbound messages as the channel's own payloads, split to its limits."""

    @abstractmethod
    async def send(self, user_id: str, messages: list[Outbound]) -> None:
        """Deliver messages to a citizen outside a request (late answers, staff replies)."""

    def router(self) -> APIRouter | None:
        """The HTTP routes the channel serves (webhooks, widget endpoints)."""
        return None

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

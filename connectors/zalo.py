"""Zalo Official Account: signed webhook events in, customer-service messages out."""

from __future__ import annotations

from typing import Any

from bot.gateway.conversations import Gateway
from bot.gateway.model import Inbound, Outbound
from bot.settings import Settings
from connectors.base import Channel


class ZaloChannel(Channel):
    name = "zalo"

    def __init__(self, settings: Settings, gateway: Gateway) -> None:
        self.settings = settings
        self.gateway = gateway

    def parse(self, payload: Any) -> list[Inbound]:
        raise NotImplementedError

    def render(self, messages: list[Outbound]) -> list[Any]:
        raise NotImplementedError

    async def send(self, user_id: str, messages: list[Outbound]) -> None:
        raise NotImplementedError

"""Rasa's REST channel shape, served by the gateway: for tests, integrations and load tools."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from bot.gateway.clients import ClientAddresses
from bot.gateway.conversations import Gateway
from bot.gateway.model import Inbound, Outbound
from connectors.base import Channel


class RestMessage(BaseModel):
    sender: str = Field(..., regex=r"^[\w.:@+-]{1,128}$")  # part of Rasa URLs: no / ? # or spaces
    message: str = Field(..., max_length=100_000)  # the gateway's own size limit answers politely
    message_id: str = Field("", max_length=128)


class RestChannel(Channel):
    """`POST /webhooks/rest/webhook` with `{"sender", "message"}` → `[{"recipient_id", "text", "buttons"?}]`."""

    name = "rest"

    def __init__(self, gateway: Gateway, clients: ClientAddresses) -> None:
        self.gateway = gateway
        self.clients = clients

    def parse(self, payload: Any) -> list[Inbound]:
        message = payload if isinstance(payload, RestMessage) else RestMessage.parse_obj(payload)
        return [Inbound(self.name, message.sender, message.message, message.message_id)]

    def render(self, messages: list[Outbound]) -> list[dict[str, Any]]:
        rendered = []
        for message in messages:
            item: dict[str, Any] = {"text": message.text}
            if message.buttons:
                item["buttons"] = [button.as_dict() for button in message.buttons]
            rendered.append(item)
        return rendered

    async def send(self, user_id: str, messages: list[Outbound]) -> None:
        """REST callers get answers in the response only; late answers stay in the history."""

    def router(self) -> APIRouter:
        router = APIRouter(tags=["rest channel"])

        @router.post("/webhooks/rest/webhook")
        async def webhook(request: Request, body: RestMessage) -> list[dict[str, Any]]:
            (inbound,) = self.parse(body)
            replies = await self.gateway.handle(replace(inbound, client=self.clients.client_id(request)))
            return [{"recipient_id": body.sender, **item} for item in self.render(replies)]

        return router

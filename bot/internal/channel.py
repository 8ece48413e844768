"""The Rasa input channel the gateway speaks to: Rasa's REST channel, refusing calls without RASA_TOKEN.

`credentials.yml` names it instead of `rest:`, whose webhook anyone who reached Rasa could post to as any
sender. The gateway sends the token as the `token` query parameter, like every call to Rasa's HTTP API
(`rasa run --auth-token`).
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.internal import same_secret

TOKEN_VARIABLE = "RASA_TOKEN"


class GatewayInput(RestInput):
    """`POST /webhooks/gateway/webhook?token=…` with `{"sender", "message", "metadata"}`."""

    def __init__(self, token: str) -> None:
        self.token = token

    @classmethod
    def name(cls) -> str:
        return "gateway"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        token = os.environ.get(TOKEN_VARIABLE, "")
        if not token:
            raise ValueError(f"{TOKEN_VARIABLE} is not set: the gateway channel refuses to run without a token")
        return cls(token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def authorise(request: Request) -> HTTPResponse | None:
            if same_secret(self.token, request.args.get("token")):
                return None
            return response.json({"detail": "unauthorised"}, status=401)

        return blueprint

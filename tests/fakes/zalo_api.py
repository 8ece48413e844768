"""A fake Zalo Open API: the consultation-message API and the OA token endpoint, recording every call.

It answers like Zalo does (HTTP 200 with an `error` code), checks the `access_token` and `secret_key`
headers, rotates single-use refresh tokens and returns `expires_in` as a string.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request, Response

MESSAGE_PATH = "/v3.0/oa/message/cs"
TOKEN_PATH = "/v4/oa/access_token"
LIFETIME = 90000  # seconds: Zalo's access tokens last 25 hours


@dataclass(frozen=True)
class Call:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]  # the JSON body, or the form for the token endpoint
    answer: dict[str, Any]  # empty for an HTTP failure

    @property
    def ok(self) -> bool:
        return self.answer.get("error") == 0


class FakeZalo:
    """The OA's view of Zalo; tests change its behaviour through the public attributes."""

    def __init__(self, app_id: str, app_secret: str, access_token: str, refresh_token: str) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.access_tokens = {access_token}  # accepted on the message API
        self.refresh_token = refresh_token  # the one refresh token accepted now (single use)
        self.invalid_token_always = False  # answer -216 whatever the token
        self.closed_windows: set[str] = set()  # users answered -230 (no interaction for 7 days)
        self.http_failures = 0  # the next message calls fail with HTTP 502
        self.calls: list[Call] = []
        self.url = ""  # set by whoever serves `app`
        self.app = self._build()

    def revoke_access_tokens(self) -> None:
        self.access_tokens.clear()

    @property
    def message_calls(self) -> list[Call]:
        return [c for c in self.calls if c.path == MESSAGE_PATH]

    @property
    def refresh_calls(self) -> list[Call]:
        return [c for c in self.calls if c.path == TOKEN_PATH]

    def delivered(self, user_id: str) -> list[dict[str, Any]]:
        """The `message` objects Zalo took for one user, in order."""
        return [c.body["message"] for c in self.message_calls if c.ok and c.body["recipient"]["user_id"] == user_id]

    def _message_answer(self, token: str, body: dict[str, Any]) -> dict[str, Any]:
        message = body.get("message") or {}
        buttons = ((message.get("attachment") or {}).get("payload") or {}).get("buttons", [])
        if self.invalid_token_always or token not in self.access_tokens:
            return {"error": -216, "message": "Access token is invalid"}
        if body["recipient"]["user_id"] in self.closed_windows:
            return {"error": -230, "message": "User has not interacted with the OA in the past 7 days"}
        if not 0 < len(message.get("text", "")) <= 2000:
            return {"error": -201, "message": "text is invalid"}
        if len(buttons) > 5 or any(len(b["title"]) > 100 for b in buttons):
            return {"error": -201, "message": "buttons are invalid"}
        return {"error": 0, "message": "Success", "data": {"message_id": uuid.uuid4().hex, "user_id": "x"}}

    def _token_answer(self, secret_key: str, form: dict[str, Any]) -> dict[str, Any]:
        # The error codes are illustrative: the channel only looks for the new tokens.
        if secret_key != self.app_secret or form.get("app_id") != self.app_id:
            return {"error": -14001, "error_name": "Invalid app", "error_description": "app_id or secret_key"}
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != self.refresh_token:
            return {"error": -14014, "error_name": "Invalid refresh token", "error_description": "used or unknown"}
        access, self.refresh_token = f"access-{uuid.uuid4().hex[:12]}", f"refresh-{uuid.uuid4().hex[:12]}"
        self.access_tokens.add(access)
        return {"access_token": access, "refresh_token": self.refresh_token, "expires_in": str(LIFETIME)}

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.post(MESSAGE_PATH, response_model=None)
        async def message(request: Request) -> Response | dict[str, Any]:
            body, headers = await request.json(), dict(request.headers)
            if self.http_failures:
                self.http_failures -= 1
                self.calls.append(Call(MESSAGE_PATH, headers, body, {}))
                return Response(status_code=502)
            answer = self._message_answer(request.headers.get("access_token", ""), body)
            self.calls.append(Call(MESSAGE_PATH, headers, body, answer))
            return answer

        @app.post(TOKEN_PATH)
        async def token(request: Request) -> dict[str, Any]:
            form = dict(await request.form())
            answer = self._token_answer(request.headers.get("secret_key", ""), form)
            self.calls.append(Call(TOKEN_PATH, dict(request.headers), form, answer))
            return answer

        return app

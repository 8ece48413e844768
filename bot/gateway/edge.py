"""The gateway's edge: what every request passes before a route sees it, and headers on every response.

- Host: only the deployment's own host names (`ALLOWED_HOSTS`, default localhost and PUBLIC_URL's host);
  links and redirects built from a forged Host header could point citizens elsewhere.
- Body: at most `MAX_BODY_BYTES`, counted before parsing (413); text bodies must be UTF-8 (400); lone UTF-16
  surrogates in JSON (`"\\ud800"`), which no store can encode, become U+FFFD. The original bytes stay
  available to signature checks (`original_body`).
- Responses: nosniff and no-referrer everywhere; HTML without its own policy gets a strict
  Content-Security-Policy and frame denial.
Refusals are short Vietnamese JSON messages, never a stack trace.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.settings import Settings

ORIGINAL_BODY = "motcua.original_body"
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
TEXT_TYPES = ("application/json", "application/x-www-form-urlencoded", "text/")
BODYLESS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
WS_POLICY_VIOLATION = 1008

BAD_HOST = "Tên miền của yêu cầu không được phục vụ."
TOO_LARGE = "Nội dung gửi lên quá lớn."
NOT_UTF8 = "Nội dung gửi lên phải là văn bản UTF-8 hợp lệ."
DEFAULT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
HTML_ONLY = {"Content-Security-Policy": DEFAULT_CSP, "X-Frame-Options": "DENY"}
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def allowed_hosts(settings: Settings) -> set[str]:
    """The Host names the gateway answers: ALLOWED_HOSTS, else localhost and PUBLIC_URL's host ("*": any)."""
    hosts = set(settings.allowed_hosts) or set(LOCAL_HOSTS)
    if settings.public_url:
        hosts.add(urlsplit(settings.public_url).hostname or "")
    return {host.lower() for host in hosts if host}


def host_name(header: str) -> str:
    """The name in a Host header, without port or IPv6 brackets."""
    if header.startswith("["):
        return header[1 : header.find("]")].lower() if "]" in header else ""
    return header.rsplit(":", 1)[0].lower() if header.count(":") == 1 else header.lower()


def scrub(value: Any) -> Any:
    """`value` with every lone surrogate in its strings (keys included) replaced by U+FFFD."""
    if isinstance(value, str):
        return LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [scrub(item) for item in value]
    if isinstance(value, dict):
        return {scrub(key): scrub(item) for key, item in value.items()}
    return value


def original_body(request: Request, body: bytes) -> bytes:
    """The bytes the client sent, before `scrub` (for signatures computed over them)."""
    return request.scope.get(ORIGINAL_BODY, body)


class Edge:
    """ASGI middleware: host check, body limit and clean-up, security headers."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.hosts = allowed_hosts(settings)
        self.max_body = settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if "*" not in self.hosts and host_name(headers.get("host", "")) not in self.hosts:
            await _refuse(scope, receive, send, 400, BAD_HOST)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        send = _with_security_headers(send)
        if scope["method"] in BODYLESS:
            await self.app(scope, receive, send)
            return
        declared = headers.get("content-length", "")
        if declared and (not declared.isdecimal() or int(declared) > self.max_body):
            await _refuse(scope, receive, send, 413, TOO_LARGE)
            return
        body = await _read_body(receive, self.max_body)
        if body is None:
            await _refuse(scope, receive, send, 413, TOO_LARGE)
            return
        content_type = headers.get("content-type", "").lower()
        if content_type.startswith(TEXT_TYPES):
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                await _refuse(scope, receive, send, 400, NOT_UTF8)
                return
            if content_type.startswith("application/json") and SURROGATE_ESCAPE.search(text):
                cleaned = _scrubbed_json(text)
                if cleaned is not None:
                    scope[ORIGINAL_BODY], body = body, cleaned
        await self.app(scope, _replay(body, receive), send)


def _scrubbed_json(text: str) -> bytes | None:
    """The JSON with lone surrogates replaced, re-encoded; None when it is not JSON (the route says so)."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return json.dumps(scrub(value), ensure_ascii=False).encode()


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None as soon as it passes `limit` bytes."""
    chunks: list[bytes] = []
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive channel that yields the already-read body once, then waits on the real one."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _with_security_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            _set_missing(headers, ALWAYS.items())
            if headers.get("content-type", "").startswith("text/html"):
                _set_missing(headers, HTML_ONLY.items())
        await send(message)

    return sending


def _set_missing(headers: MutableHeaders, values: Iterable[tuple[str, str]]) -> None:
    for name, value in values:
        if name not in headers:
            headers[name] = value


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": WS_POLICY_VIOLATION})
        return
    await JSONResponse({"detail": detail}, status_code=status, headers=ALWAYS)(scope, receive, send)

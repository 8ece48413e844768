"""The channel-neutral reply: text with optional buttons, split to chat size."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

CHAT_MESSAGE_LIMIT = 900


@dataclass(frozen=True)
class Button:
    title: str
    payload: str

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "payload": self.payload}


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)


def payload_entities(payload: str) -> dict[str, Any]:
    """The entities a button's payload carries: '/ask_fee{"procedure_code": "1.001193"}' → {"procedure_code": …};
    {} when it carries none or is malformed."""
    _, brace, body = payload.partition("{")
    if not brace:
        return {}
    try:
        entities = json.loads(brace + body)
    except ValueError:
        return {}
    return entities if isinstance(entities, dict) else {}


def split_text(text: str, limit: int = CHAT_MESSAGE_LIMIT) -> list[str]:
    """Split text into chunks of at most `limit` characters, at paragraph, then line, then word boundaries."""
    if len(text) <= limit:
        return [text]
    for separator in ("\n\n", "\n", " "):
        parts = text.split(separator)
        if len(parts) > 1:
            return _pack(parts, separator, limit)
    return [text[i : i + limit] for i in range(0, len(text), limit)]


def _pack(parts: list[str], separator: str, limit: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{separator}{part}" if current else part
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        if len(part) > limit:
            *whole, current = split_text(part, limit)
            chunks.extend(whole)
        else:
            current = part
    if current:
        chunks.append(current)
    return chunks


def replies_for(text: str, buttons: list[Button] | None = None, limit: int = CHAT_MESSAGE_LIMIT) -> list[Reply]:
    """Chat-sized replies for one long answer; buttons go with the last one."""
    chunks = split_text(text.strip(), limit)
    return [Reply(chunk, list(buttons or []) if i == len(chunks) - 1 else []) for i, chunk in enumerate(chunks)]

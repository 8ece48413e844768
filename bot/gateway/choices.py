"""A short typed reply picking one of the choices the bot has just offered becomes that button's payload.

After "anh/chị muốn hỏi thủ tục nào ạ?" with "…một thành viên" / "…hai thành viên trở lên", a citizen
types "một thành viên" rather than pressing a button; read alone, the NLU cannot know what it answers.
Only lists of procedures or of checklist cases are choices, only the message right after them is read,
and only by the words that set one option apart (bot/text/choice.py); numbers are left to each channel
(Zalo numbers its own choices) and to the checklist.
"""

from __future__ import annotations

from typing import Any

from bot.messages import payload_entities
from bot.text.choice import chosen
from bot.text.normalize import search_tokens

MAX_WORDS = 6  # a longer message says more than a choice: it goes to the NLU as typed
CHOICE_KEYS = ("procedure_code", "checklist_answer")


def _choice_value(payload: str) -> str | None:
    """The procedure code or the checklist case a button's payload names."""
    entities = payload_entities(payload)
    if code := entities.get("procedure_code"):
        return f"procedure:{code}"
    answer = str(entities.get("checklist_answer", ""))
    return answer if answer.startswith("case:") else None


def offered(history: list[dict[str, Any]]) -> dict[str, str]:
    """Payload → title of the choices in the bot's message just before the citizen's latest one."""
    if len(history) < 2 or history[-2].get("who") != "bot":
        return {}
    buttons = history[-2].get("buttons") or []
    choices = {b["payload"]: b["title"] for b in buttons if _choice_value(str(b.get("payload", "")))}
    return choices if len({_choice_value(p) for p in choices}) >= 2 else {}


def picked_payload(text: str, history: list[dict[str, Any]]) -> str | None:
    """The payload of the offered choice a short typed reply picks; None when it picks none."""
    if text.startswith("/") or any(ch.isdigit() for ch in text) or len(search_tokens(text)) > MAX_WORDS:
        return None
    choices = offered(history)
    return chosen(text, choices) if choices else None

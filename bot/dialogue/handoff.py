"""What the bot tells the gateway when a person should take over, and why.

The bot only signals (a custom message Rasa passes through its REST channel); the gateway's
handoff desk queues the conversation, tells the citizen what happens next and pauses the bot.
"""

from __future__ import annotations

from typing import Any

SIGNAL_HANDOFF = "handoff"
SIGNAL_OFFER_RATING = "offer_rating"
SIGNAL_UNANSWERED = "unanswered"
DOSSIER_ACTIONS = {"action_check_dossier", "dossier_form"}


def handoff_reason(latest_intent: str, previous_bot_action: str | None) -> str:
    """request_human, complain or fallback; accepting a staff offer after a dossier answer is "dossier"."""
    if latest_intent in {"complain", "nlu_fallback"}:
        return "complain" if latest_intent == "complain" else "fallback"
    if previous_bot_action in DOSSIER_ACTIONS:
        return "dossier"
    return "request_human"


def handoff_signal(reason: str, slots: dict[str, Any], last_message: str) -> dict[str, Any]:
    """The custom payload the gateway acts on."""
    return {
        SIGNAL_HANDOFF: {
            "reason": reason,
            "procedure_code": slots.get("procedure_code") or "",
            "dossier_code": slots.get("dossier_code") or "",
            "last_message": last_message,
        }
    }

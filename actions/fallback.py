"""action_handle_fallback: helps the citizen rephrase; on the second miss in a row, offers staff."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send
from bot.dialogue.fallback import fallback_replies


def consecutive_fallbacks(events: list[dict[str, Any]]) -> int:
    """How many of the latest user messages in a row were not understood."""
    count = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        if (event.get("parse_data", {}).get("intent") or {}).get("name") != "nlu_fallback":
            break
        count += 1
    return count


class ActionHandleFallback(Action):
    def name(self) -> str:
        return "action_handle_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        send(dispatcher, fallback_replies(max(1, consecutive_fallbacks(tracker.events))))
        return [FollowupAction("action_listen")]  # also the core fallback: never loop on itself

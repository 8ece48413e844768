"""action_handle_fallback: helps the citizen rephrase; on the second miss in a row, hands off to staff."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send
from actions.handoff import hand_off
from bot.dialogue.fallback import STAFF_AFTER, fallback_replies
from bot.dialogue.handoff import SIGNAL_UNANSWERED


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

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        misses = max(1, consecutive_fallbacks(tracker.events))
        dispatcher.utter_message(json_message={SIGNAL_UNANSWERED: tracker.latest_message.get("text") or ""})
        send(dispatcher, fallback_replies(misses))
        if misses >= STAFF_AFTER:
            return hand_off(dispatcher, tracker)
        return [FollowupAction("action_listen")]  # also the core fallback: never loop on itself

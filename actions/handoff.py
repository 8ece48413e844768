"""Handing a conversation to staff, and offering the satisfaction rating: the bot signals, the gateway acts."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send
from actions.dossiers import dossier_in_topic, dossier_record
from bot.dialogue.handoff import SIGNAL_OFFER_RATING, handoff_reason, handoff_signal

SLOTS = ("procedure_code", "dossier_code")


def previous_bot_action(events: list[dict[str, Any]]) -> str | None:
    """The last action the bot ran before the citizen's latest message."""
    seen_user = False
    for event in reversed(events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


def latest_value(events: list[dict[str, Any]], slot: str) -> Any:
    """The slot's most recent non-empty value (the dossier check clears its slot once answered)."""
    for event in reversed(events):
        if event.get("event") == "slot" and event.get("name") == slot and event.get("value"):
            return event["value"]
    return None


def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Signal the gateway and pause the bot until staff hand the conversation back. A complaint about the
    dossier just looked up gets that dossier's record first."""
    intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
    if intent == "complain" and (dossier := dossier_in_topic(tracker)):
        send(dispatcher, dossier_record(tracker, dossier))  # "sao trễ vậy": the facts while staff are called
    reason = handoff_reason(intent, previous_bot_action(tracker.events))
    slots = {name: tracker.get_slot(name) or latest_value(tracker.events, name) for name in SLOTS}
    dispatcher.utter_message(json_message=handoff_signal(reason, slots, tracker.latest_message.get("text") or ""))
    return [ConversationPaused()]


class ActionHandOff(Action):
    def name(self) -> str:
        return "action_hand_off"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return hand_off(dispatcher, tracker)


class ActionOfferRating(Action):
    def name(self) -> str:
        return "action_offer_rating"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(json_message={SIGNAL_OFFER_RATING: True})
        return []

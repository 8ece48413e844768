"""action_handle_fallback: a message the NLU could not read but that names a procedure clearly gets its answer;
otherwise the bot helps the citizen rephrase, and on the second miss in a row hands off to staff."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send
from actions.dossiers import dossier_in_topic, dossier_record
from actions.handoff import hand_off
from actions.procedures import answer_procedure
from bot.catalogue.aspect_words import project_aspect_words
from bot.catalogue.search import MatchStatus
from bot.dialogue.fallback import NOT_UNDERSTOOD_ABOUT_DOSSIER, STAFF_AFTER, WRONG_ANSWER, fallback_replies
from bot.dialogue.handoff import SIGNAL_UNANSWERED
from bot.dialogue.procedure_turn import resolve
from bot.services import default_services


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
        text = tracker.latest_message.get("text") or ""
        mentions = list(tracker.get_latest_entity_values("procedure"))
        if (found := resolve(default_services(), text, mentions)) and found.status is MatchStatus.CLEAR:
            # a procedure named clearly is understood enough: the aspect its words ask, else its overview
            # (listen next: never loop on ourselves)
            intent = project_aspect_words().asked_intent(text) or "ask_procedure"
            return [*answer_procedure(dispatcher, tracker, intent), FollowupAction("action_listen")]
        misses = max(1, consecutive_fallbacks(tracker.events))
        dispatcher.utter_message(json_message={SIGNAL_UNANSWERED: text})
        if (dossier := dossier_in_topic(tracker)) and misses < STAFF_AFTER:
            send(dispatcher, [NOT_UNDERSTOOD_ABOUT_DOSSIER, *dossier_record(tracker, dossier)])
            return [FollowupAction("action_listen")]
        send(dispatcher, fallback_replies(misses))
        if misses >= STAFF_AFTER:
            return hand_off(dispatcher, tracker)
        return [FollowupAction("action_listen")]  # also the core fallback: never loop on itself


def previous_question(events: list[dict[str, Any]]) -> str:
    """The citizen's message before the latest one: the question that was answered wrongly."""
    texts = [event.get("text") or "" for event in events if event.get("event") == "user"]
    return texts[-2] if len(texts) > 1 else ""


class ActionWrongAnswer(Action):
    """The citizen says the last answer was wrong: the question goes to the report of unanswered messages,
    and what the answer was about is forgotten so that follow-ups do not build on it."""

    def name(self) -> str:
        return "action_wrong_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if question := previous_question(tracker.events):
            dispatcher.utter_message(json_message={SIGNAL_UNANSWERED: question})
        send(dispatcher, [WRONG_ANSWER])
        return [SlotSet(slot, None) for slot in ("procedure_code", "last_aspect", "last_dossier", "topic")]

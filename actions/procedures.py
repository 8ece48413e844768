"""action_answer_procedure: answers every aspect question about a procedure from the catalogue."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send
from actions.dossiers import client_of, dossier_in_topic
from bot.catalogue.aspect_words import project_aspect_words
from bot.catalogue.search import MatchStatus
from bot.dialogue.dossier_turn import DOSSIER_ASPECTS, follow_up
from bot.dialogue.procedure_turn import (
    TOPIC_PROCEDURE,
    ProcedureTurn,
    answer_turn,
    asked_aspect,
    names_procedure,
    offered_codes,
    resolve,
)
from bot.services import default_dossier_lookup, default_services


class ActionAnswerProcedure(Action):
    def name(self) -> str:
        return "action_answer_procedure"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        return answer_procedure(dispatcher, tracker, (tracker.latest_message.get("intent") or {}).get("name", ""))


def answer_procedure(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> list[dict]:
    """The answer about a procedure (or the dossier just shown) to the latest message, read as `intent`."""
    message = tracker.latest_message
    turn = ProcedureTurn(
        intent=intent,
        text=message.get("text") or "",
        procedure_mentions=list(tracker.get_latest_entity_values("procedure")),
        button_code=next(tracker.get_latest_entity_values("procedure_code"), None),
        current_code=tracker.get_slot("procedure_code"),
        last_aspect=tracker.get_slot("last_aspect"),
        pending_aspect=tracker.get_slot("pending_aspect"),
        offered_codes=offered_codes(last_bot_payloads(tracker.events)),
    )
    services = default_services()
    aspect = asked_aspect(turn)
    dossier = dossier_in_topic(tracker)
    # "vậy lên đâu lấy kết quả" right after a status answer is about the dossier just shown
    if dossier and aspect in DOSSIER_ASPECTS and not names_procedure(services, turn):
        lookup = default_dossier_lookup()
        send(dispatcher, follow_up(lookup, tracker.sender_id, dossier, aspect, client_of(tracker)))
        return []
    outcome = answer_turn(services, turn, checklist_open=bool(tracker.get_slot("checklist_state")))
    send(dispatcher, outcome.replies)
    return [
        SlotSet("procedure_code", outcome.procedure_code),
        SlotSet("last_aspect", outcome.last_aspect),
        SlotSet("pending_aspect", outcome.pending_aspect),
        SlotSet("topic", TOPIC_PROCEDURE),
    ]


def last_bot_payloads(events: list[dict[str, Any]]) -> list[str]:
    """The button payloads of the bot's messages since the citizen's previous message (its last turn)."""
    payloads: list[str] = []
    users = 0
    for event in reversed(events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                break
        elif event.get("event") == "bot" and users == 1:
            buttons = (event.get("data") or {}).get("buttons") or []
            payloads = [str(button.get("payload", "")) for button in buttons] + payloads
    return payloads


def asks_a_question(text: str, mentions: list[str]) -> str | None:
    """The question intent a social or unread message also carries: its aspect words ("alo ad lên đâu làm"),
    else a procedure it names clearly (its overview); None when it carries none."""
    if intent := project_aspect_words().asked_intent(text):
        return intent
    found = resolve(default_services(), text, mentions)
    return "ask_procedure" if found and found.status is MatchStatus.CLEAR else None


class ActionGreet(Action):
    """A greeting, or the question that comes with one ("chào ad, làm hộ chiếu ở đâu")."""

    def name(self) -> str:
        return "action_greet"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        text = tracker.latest_message.get("text") or ""
        if intent := asks_a_question(text, list(tracker.get_latest_entity_values("procedure"))):
            return answer_procedure(dispatcher, tracker, intent)
        dispatcher.utter_message(response="utter_greet")
        return []

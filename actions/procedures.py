"""action_answer_procedure: answers every aspect question about a procedure from the catalogue."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send
from actions.dossiers import client_of, dossier_in_topic
from bot.dialogue.dossier_turn import DOSSIER_ASPECTS, follow_up
from bot.dialogue.procedure_turn import TOPIC_PROCEDURE, ProcedureTurn, answer_turn, asked_aspect, names_procedure
from bot.services import default_dossier_lookup, default_services


class ActionAnswerProcedure(Action):
    def name(self) -> str:
        return "action_answer_procedure"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        message = tracker.latest_message
        turn = ProcedureTurn(
            intent=(message.get("intent") or {}).get("name", ""),
            text=message.get("text") or "",
            procedure_mentions=list(tracker.get_latest_entity_values("procedure")),
            button_code=next(tracker.get_latest_entity_values("procedure_code"), None),
            current_code=tracker.get_slot("procedure_code"),
            last_aspect=tracker.get_slot("last_aspect"),
            pending_aspect=tracker.get_slot("pending_aspect"),
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

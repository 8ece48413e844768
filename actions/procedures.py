"""action_answer_procedure: answers every aspect question about a procedure from the catalogue."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send
from bot.dialogue.procedure_turn import ProcedureTurn, answer_turn
from bot.services import default_services


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
        outcome = answer_turn(default_services(), turn, checklist_open=bool(tracker.get_slot("checklist_state")))
        send(dispatcher, outcome.replies)
        return [
            SlotSet("procedure_code", outcome.procedure_code),
            SlotSet("last_aspect", outcome.last_aspect),
            SlotSet("pending_aspect", outcome.pending_aspect),
        ]

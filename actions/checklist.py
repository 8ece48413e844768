"""action_start_checklist and action_checklist_step: the guided document checklist."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send
from bot.dialogue.checklist_turn import ChecklistOutcome, ChecklistTurn, start, step
from bot.services import default_services


def _turn(tracker: Tracker) -> ChecklistTurn:
    message = tracker.latest_message
    return ChecklistTurn(
        text=message.get("text") or "",
        intent=(message.get("intent") or {}).get("name", ""),
        button_answer=next(tracker.get_latest_entity_values("checklist_answer"), None),
        procedure_mentions=list(tracker.get_latest_entity_values("procedure")),
        button_code=next(tracker.get_latest_entity_values("procedure_code"), None),
        current_code=tracker.get_slot("procedure_code"),
        state=tracker.get_slot("checklist_state"),
    )


def _events(dispatcher: CollectingDispatcher, outcome: ChecklistOutcome) -> list[dict]:
    send(dispatcher, outcome.replies)
    # The checklist_active slot shapes the next prediction; whatever it became, the bot now waits.
    return [
        SlotSet("checklist_state", outcome.state),
        SlotSet("checklist_active", outcome.active),
        SlotSet("procedure_code", outcome.procedure_code),
        FollowupAction("action_listen"),
    ]


class ActionStartChecklist(Action):
    def name(self) -> str:
        return "action_start_checklist"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        return _events(dispatcher, start(default_services(), _turn(tracker)))


class ActionChecklistStep(Action):
    def name(self) -> str:
        return "action_checklist_step"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        return _events(dispatcher, step(default_services(), _turn(tracker)))

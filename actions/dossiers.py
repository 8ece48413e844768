"""The dossier-status form: validate_dossier_form reads the code, action_check_dossier looks it up."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send
from bot.dialogue.dossier_turn import CLIENT_KEY, check, code_from
from bot.services import default_dossier_lookup


class ValidateDossierForm(FormValidationAction):
    def name(self) -> str:
        return "validate_dossier_form"

    def validate_dossier_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        # The whole message is read, not only the extracted entity: codes come with spaces and typos.
        code, replies = code_from(tracker.latest_message.get("text") or str(value or ""))
        send(dispatcher, replies)
        return {"dossier_code": code}


class ActionCheckDossier(Action):
    def name(self) -> str:
        return "action_check_dossier"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        text = tracker.latest_message.get("text") or ""
        client = str((tracker.latest_message.get("metadata") or {}).get(CLIENT_KEY) or "")
        code = tracker.get_slot("dossier_code")
        send(dispatcher, check(default_dossier_lookup(), tracker.sender_id, code, text, client))
        return [SlotSet("dossier_code", None)]

"""The dossier-status form: validate_dossier_form reads the code, action_check_dossier looks it up."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send
from bot.catalogue.answers import Aspect
from bot.dialogue.dossier_turn import CLIENT_KEY, TOPIC_DOSSIER, check, code_from, follow_up, has_code
from bot.messages import Reply
from bot.services import default_dossier_lookup


def client_of(tracker: Tracker) -> str:
    """The gateway's keyed id of the caller's address (dossier lookups are limited per client)."""
    return str((tracker.latest_message.get("metadata") or {}).get(CLIENT_KEY) or "")


def dossier_in_topic(tracker: Tracker) -> str | None:
    """The code of the dossier the conversation is about (the last one found), if it is about one."""
    return tracker.get_slot("last_dossier") if tracker.get_slot("topic") == TOPIC_DOSSIER else None


def dossier_record(tracker: Tracker, code: str) -> list[Reply]:
    """The current record of a dossier the conversation found (not counted as a guess by the limits)."""
    return follow_up(default_dossier_lookup(), tracker.sender_id, code, Aspect.OVERVIEW, client_of(tracker))


class ValidateDossierForm(FormValidationAction):
    def name(self) -> str:
        return "validate_dossier_form"

    async def extract_dossier_code(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """Asked without a code ("hồ sơ của tôi đến đâu rồi"), the dossier found last is the one meant."""
        text = tracker.latest_message.get("text") or ""
        last = tracker.get_slot("last_dossier")
        if tracker.get_slot("requested_slot") is None and last and not has_code(text):
            return {"dossier_code": last}
        return {}

    def validate_dossier_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        if value and value == tracker.get_slot("last_dossier") and not has_code(text):
            return {"dossier_code": value}  # the dossier found last (extract_dossier_code)
        # The whole message is read, not only the extracted entity: codes come with spaces and typos.
        code, replies = code_from(text or str(value or ""))
        send(dispatcher, replies)
        return {"dossier_code": code}


class ActionCheckDossier(Action):
    def name(self) -> str:
        return "action_check_dossier"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        text = tracker.latest_message.get("text") or ""
        client = client_of(tracker)
        code = tracker.get_slot("dossier_code")
        replies, found = check(default_dossier_lookup(), tracker.sender_id, code, text, client)
        send(dispatcher, replies)
        if found is None:  # a miss forgets the dossier before: follow-ups would be about the wrong one
            return [SlotSet("dossier_code", None), SlotSet("last_dossier", None)]
        # the dossier answers the follow-ups until another code is given; its procedure is the one talked about
        return [
            SlotSet("dossier_code", None),
            SlotSet("last_dossier", found.code),
            SlotSet("topic", TOPIC_DOSSIER),
            SlotSet("procedure_code", found.procedure.code),
        ]

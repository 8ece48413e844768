"""Sending channel-neutral replies through Rasa's dispatcher."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from bot.messages import Reply


def send(dispatcher: CollectingDispatcher, replies: list[Reply]) -> None:
    for reply in replies:
        dispatcher.utter_message(text=reply.text, buttons=[b.as_dict() for b in reply.buttons])

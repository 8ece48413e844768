"""The desk's ways back to the bot: un-pause Rasa and greet, with the context kept (after staff, or at once for a
request queued out of hours); and ask the bot's NLU whether a message is a new question (after a rating)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.catalogue.store import Catalogue
from bot.gateway import copy
from bot.gateway.conversations import RESUME_PENDING, Gateway
from bot.gateway.model import Outbound
from bot.gateway.rasa import RasaClient, RasaUnavailable
from bot.handoff.reading import asks_the_bot
from bot.messages import Button

log = logging.getLogger(__name__)
ASPECT_BUTTONS = (
    Button("Hồ sơ cần gì", "/ask_documents"),
    Button("Lệ phí", "/ask_fee"),
    Button("Nộp ở đâu", "/ask_agency"),
)


class BotResumer:
    """The desk's `resume_bot`: never raises; a resume Rasa missed is retried by the gateway's loop."""

    def __init__(self, gateway: Gateway, catalogue: Callable[[], Catalogue]) -> None:
        self.gateway = gateway
        self.catalogue = catalogue
        gateway.periodic.append(self.retry)

    async def __call__(self, conversation: str) -> list[Outbound]:
        try:
            slots = await self.gateway.rasa.resume(conversation)
        except RasaUnavailable as error:
            log.warning("could not resume the bot for %s yet: %s", conversation, error)
            await self.gateway.state.add_member(RESUME_PENDING, conversation)
            slots = {}
        return [self.greeting(slots.get("procedure_code"))]

    def greeting(self, procedure_code: str | None) -> Outbound:
        procedure = self.catalogue().get(procedure_code) if procedure_code else None
        if procedure is None:
            return Outbound(f"{copy.HANDED_BACK} {copy.HANDED_BACK_ASK}")
        return Outbound(copy.HANDED_BACK_ON.format(name=procedure.name), buttons=ASPECT_BUTTONS)

    async def retry(self) -> None:
        for conversation in await self.gateway.state.members(RESUME_PENDING):
            try:
                await self.gateway.rasa.resume(conversation)
            except RasaUnavailable:
                return
            await self.gateway.state.remove_member(RESUME_PENDING, conversation)


class QuestionReader:
    """The desk's `is_question`: Rasa's NLU reads the message; when Rasa cannot, it is no question (a comment)."""

    def __init__(self, rasa: RasaClient) -> None:
        self.rasa = rasa

    async def __call__(self, text: str) -> bool:
        try:
            return asks_the_bot(await self.rasa.parse(text))
        except RasaUnavailable as error:
            log.warning("could not read %r with the bot's NLU: %s", text[:40], error)
            return False

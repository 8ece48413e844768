"""The handoff desk as the gateway runs it: SQL records, staff accounts and sessions, live console events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI

from bot.catalogue.store import Catalogue
from bot.gateway.console import ConsoleHub
from bot.gateway.conversations import Gateway
from bot.gateway.handback import BotResumer, QuestionReader
from bot.handoff.accounts import Accounts
from bot.handoff.desk import HandoffDesk
from bot.handoff.office_hours import OfficeHours
from bot.handoff.records import HandoffRecords
from bot.handoff.sessions import Sessions
from bot.settings import Settings


@dataclass(frozen=True)
class StaffDesk:
    records: HandoffRecords
    accounts: Accounts
    sessions: Sessions
    office_hours: OfficeHours
    desk: HandoffDesk
    console: ConsoleHub

    @classmethod
    def build(cls, settings: Settings, gateway: Gateway, catalogue: Callable[[], Catalogue]) -> StaffDesk:
        """Plug the desk into the gateway: it sees every turn and takes over handed-off conversations."""
        records = HandoffRecords(settings.database_url)
        accounts = Accounts(records)
        office_hours = OfficeHours(records)
        console = ConsoleHub()
        resumer = BotResumer(gateway, catalogue)
        questions = QuestionReader(gateway.rasa)
        desk = HandoffDesk(records, office_hours, gateway.say, console.publish, resumer, questions)
        gateway.handoff = desk
        return cls(records, accounts, Sessions(records, accounts), office_hours, desk, console)

    def attach(self, app: FastAPI) -> None:
        """What the staff console's routes read from `app.state`."""
        for name in ("records", "accounts", "sessions", "office_hours", "desk", "console"):
            setattr(app.state, name, getattr(self, name))

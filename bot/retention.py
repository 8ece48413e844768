"""Data retention: personal data is kept no longer than its purpose needs (Decree 13/2023/NĐ-CP on personal data).

What the SQL records (DATABASE_URL) keep, counted from a conversation's latest transcript row:

- a conversation never handed off to staff: RETENTION_DAYS (default 30), then its transcript goes;
- a conversation handed off to staff: HANDOFF_RETENTION_DAYS (default 365), then its transcript, handoffs and
  ratings go; the staff audit log is kept as long;
- a conversation waiting for or with staff is kept whatever its age;
- failed staff logins: a day (they lock logins for 15 minutes); staff sessions: until their idle timeout.

The gateway runs `Retention.sweep` every RETENTION_SWEEP_INTERVAL seconds; `python -m bot data purge [--dry-run]`
runs it by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import make_url

from bot.handoff.records import HandoffRecords, utc_now
from bot.handoff.sessions import IDLE_TIMEOUT
from bot.settings import Settings

LOGIN_FAILURE_RETENTION = timedelta(days=1)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PurgeReport:
    """How many of each kind of record one purge deleted (or, dry, would delete)."""

    conversations: int
    messages: int
    handoffs: int
    ratings: int
    audit: int
    login_failures: int
    sessions: int

    def summary(self) -> str:
        return (
            f"{self.conversations} conversations ({self.messages} messages, {self.handoffs} handoffs, "
            f"{self.ratings} ratings), {self.audit} audit entries, {self.login_failures} failed logins, "
            f"{self.sessions} expired sessions"
        )


class Retention:
    """Deletes what is older than the retention periods (in days) from the handoff records."""

    def __init__(
        self,
        records: HandoffRecords,
        retention_days: int,
        handoff_retention_days: int,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        if not 1 <= retention_days <= handoff_retention_days:
            raise ValueError("retention periods: 1 <= RETENTION_DAYS <= HANDOFF_RETENTION_DAYS")
        self._records, self._clock = records, clock
        self._bot, self._handed_off = timedelta(days=retention_days), timedelta(days=handoff_retention_days)

    @classmethod
    def from_settings(
        cls, records: HandoffRecords, settings: Settings, clock: Callable[[], datetime] = utc_now
    ) -> Retention:
        return cls(records, settings.retention_days, settings.handoff_retention_days, clock)

    def purge(self, now: datetime, dry_run: bool = False) -> PurgeReport:
        """Delete everything due at `now` (with `dry_run`, only count it); blocking."""
        chats = self._records.purge_conversations(now - self._bot, now - self._handed_off, dry_run)
        staff = self._records.purge_staff_records(
            now - self._handed_off, now - LOGIN_FAILURE_RETENTION, now - IDLE_TIMEOUT, dry_run
        )
        return PurgeReport(**chats, **staff)

    async def sweep(self) -> PurgeReport:
        """One purge at the clock's time, in a worker thread: for the gateway's periodic loop."""
        report = await asyncio.to_thread(self.purge, self._clock())
        log.info("retention purge deleted %s", report.summary())
        return report


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `data` command to the bot's command line."""
    data = subparsers.add_parser("data", help="personal data kept in DATABASE_URL")
    actions = data.add_subparsers(dest="action", required=True)
    purge = actions.add_parser("purge", help="delete what is past its retention period now")
    purge.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    purge.set_defaults(handler=_purge_command)


def _purge_command(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    records = HandoffRecords(settings.database_url)
    try:
        report = Retention.from_settings(records, settings).purge(utc_now(), dry_run=args.dry_run)
    except ValueError as exc:
        print(exc)
        return 2
    finally:
        records.close()
    database = make_url(settings.database_url).render_as_string(hide_password=True)
    print(f"{'would delete' if args.dry_run else 'deleted'} from {database}: {report.summary()}")
    print(
        f"kept: conversations never handed off for {settings.retention_days} days, handed-off ones and the audit "
        f"log for {settings.handoff_retention_days} days, those waiting for or with staff until they end"
    )
    return 0

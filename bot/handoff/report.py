"""The admin's figures over a date range (whole days in Vietnam's time): conversations per day, handoff rate
and reasons, median wait, ratings per officer and for the bot, and the messages the bot could not answer.

A conversation counts on each day the citizen wrote in it. The median wait covers handoffs asked for in
office hours and claimed (a request made at night waits for the morning by design). Unanswered messages are
the transcript rows the gateway flagged through `HandoffDesk.record_unanswered`, grouped case- and
spacing-insensitively.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from statistics import mean, median
from typing import Any

from bot.dossiers.workdays import VIETNAM_TZ
from bot.handoff.records import Handoff, HandoffRecords, Rating

BOT_NAME = "Trợ lý ảo"


@dataclass(frozen=True)
class RatingFigure:
    officer_id: int | None  # None: the bot
    name: str
    count: int
    average: float


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    conversations_per_day: dict[date, int]  # every day of the range, zeros included
    conversations: int  # distinct conversations with a citizen message in the range
    handoffs: int
    handoff_rate: float  # share of those conversations handed to staff
    reasons: dict[str, int]
    median_wait_seconds: float | None
    ratings: list[RatingFigure]  # the bot first, then officers by name
    unanswered: list[tuple[str, int]]  # most frequent first

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        data["conversations_per_day"] = {day.isoformat(): n for day, n in self.conversations_per_day.items()}
        return data


def build_report(records: HandoffRecords, start: date, end: date, top: int = 10) -> Report:
    """The figures from `start` to `end`, both included."""
    since, until = _midnight(start), _midnight(end + timedelta(days=1))
    activity = records.citizen_activity(since, until)
    handoffs = records.handoffs_between(since, until)
    active = {conversation for conversation, _ in activity}
    handed = {handoff.conversation_id for handoff in handoffs}
    return Report(
        start=start,
        end=end,
        conversations_per_day=_per_day(activity, start, end),
        conversations=len(active),
        handoffs=len(handoffs),
        handoff_rate=len(handed & active) / len(active) if active else 0.0,
        reasons=dict(Counter(handoff.reason for handoff in handoffs).most_common()),
        median_wait_seconds=_median_wait(handoffs),
        ratings=_ratings(records, records.ratings_between(since, until)),
        unanswered=Counter(_normalised(text) for text in records.unanswered_between(since, until)).most_common(top),
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), VIETNAM_TZ)


def _per_day(activity: list[tuple[str, datetime]], start: date, end: date) -> dict[date, int]:
    pairs = {(moment.astimezone(VIETNAM_TZ).date(), conversation) for conversation, moment in activity}
    counts = Counter(day for day, _ in pairs)
    return {start + timedelta(days=i): counts[start + timedelta(days=i)] for i in range((end - start).days + 1)}


def _median_wait(handoffs: list[Handoff]) -> float | None:
    waits = [(h.claimed_at - h.requested_at).total_seconds() for h in handoffs if h.claimed_at and not h.outside_hours]
    return median(waits) if waits else None


def _ratings(records: HandoffRecords, ratings: list[Rating]) -> list[RatingFigure]:
    names: dict[int | None, str] = {member.id: member.display_name for member in records.all_staff()}
    names[None] = BOT_NAME
    scores: dict[int | None, list[int]] = {}
    for rating in ratings:
        scores.setdefault(rating.officer_id, []).append(rating.score)
    figures = [
        RatingFigure(officer, names.get(officer, f"#{officer}"), len(given), round(mean(given), 2))
        for officer, given in scores.items()
    ]
    return sorted(figures, key=lambda figure: (figure.officer_id is not None, figure.name))


def _normalised(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" ?.!")

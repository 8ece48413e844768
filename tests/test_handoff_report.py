"""The admin report: days in Vietnam's time, rates, waits, ratings, unanswered messages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bot.dossiers.workdays import VIETNAM_TZ
from bot.handoff.records import HandoffRecords, HandoffRequest
from bot.handoff.report import build_report

DAY = datetime(2026, 12, 1, 0, 0, tzinfo=VIETNAM_TZ)


@pytest.fixture
def records(tmp_path: Path) -> Iterator[HandoffRecords]:
    opened = HandoffRecords(f"sqlite:///{tmp_path / 'report.db'}")
    yield opened
    opened.close()


def _handoff(records: HandoffRecords, conversation: str, asked: datetime, wait: int, outside_hours: bool) -> None:
    records.open_handoff(HandoffRequest(conversation, "fallback", outside_hours=outside_hours), asked)
    records.claim(conversation, 1, asked + timedelta(seconds=wait))


def test_days_follow_vietnam_time_and_every_day_is_listed(records: HandoffRecords) -> None:
    records.add_message("web:a", "citizen", "tối muộn", DAY + timedelta(hours=23, minutes=30))  # 16:30 UTC
    records.add_message("web:a", "citizen", "sau nửa đêm", DAY + timedelta(hours=24, minutes=30))  # 17:30 UTC
    records.add_message("web:a", "citizen", "lại hỏi", DAY + timedelta(hours=25))
    records.add_message("web:b", "citizen", "hỏi", DAY + timedelta(hours=25))
    records.add_message("web:b", "bot", "đáp", DAY + timedelta(days=3, hours=9))
    report = build_report(records, date(2026, 12, 1), date(2026, 12, 4))
    assert report.conversations_per_day == {
        date(2026, 12, 1): 1,
        date(2026, 12, 2): 2,
        date(2026, 12, 3): 0,
        date(2026, 12, 4): 0,
    }
    assert report.conversations == 2
    assert report.as_dict()["conversations_per_day"]["2026-12-02"] == 2


def test_rates_and_waits(records: HandoffRecords) -> None:
    for conversation in ("web:a", "web:b", "web:c", "web:d"):
        records.add_message(conversation, "citizen", "xin chào", DAY + timedelta(hours=8))
    _handoff(records, "web:a", DAY + timedelta(hours=9), 60, outside_hours=False)
    _handoff(records, "web:b", DAY + timedelta(hours=10), 180, outside_hours=False)
    _handoff(records, "web:c", DAY + timedelta(hours=20), 36000, outside_hours=True)  # waited for the morning
    report = build_report(records, date(2026, 12, 1), date(2026, 12, 1))
    assert (report.handoffs, report.handoff_rate, report.reasons) == (3, 0.75, {"fallback": 3})
    assert report.median_wait_seconds == 120
    empty = build_report(records, date(2026, 11, 1), date(2026, 11, 2))
    assert (empty.conversations, empty.handoff_rate, empty.median_wait_seconds, empty.ratings) == (0, 0.0, None, [])


def test_ratings_per_officer_and_for_the_bot(records: HandoffRecords) -> None:
    lan = records.add_staff("lan", "Lan", "hash", "officer", DAY)
    for conversation, score in (("web:a", 5), ("web:b", 2)):
        records.open_handoff(HandoffRequest(conversation, "fallback", outside_hours=False), DAY)
        records.claim(conversation, lan.id, DAY)
        records.ask_rating(conversation, records.conversation(conversation).handoff_id)
        records.add_rating(conversation, records.conversation(conversation).handoff_id, score, DAY)
    records.add_rating("web:c", None, 4, DAY)
    report = build_report(records, date(2026, 12, 1), date(2026, 12, 1))
    assert [(f.officer_id, f.name, f.count, f.average) for f in report.ratings] == [
        (None, "Trợ lý ảo", 1, 4.0),
        (lan.id, "Lan", 2, 3.5),
    ]

"""The handoff SQL store on a SQLite file and on PostgreSQL (a throw-away schema per test).

The `database_url` fixture and `Clock` are shared by the other handoff test modules.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.database import SchemaMismatch
from bot.handoff.records import (
    HandoffRecords,
    HandoffRequest,
    State,
    UsernameTaken,
    schema_version,
)
from bot.messages import Button
from tests.postgres import database

START = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)  # Tuesday 09:00 in Ho Chi Minh City
RACE_ROUNDS = 12
RACERS = 6


class Clock:
    """A settable clock for code that takes `clock=`."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path, "test_handoff") as url:
        yield url


@pytest.fixture
def records(database_url: str) -> Iterator[HandoffRecords]:
    opened = HandoffRecords(database_url)
    yield opened
    opened.close()


def _queue(records: HandoffRecords, conversation_id: str, now: datetime = START) -> int:
    handoff_id = records.open_handoff(HandoffRequest(conversation_id, "request_human", outside_hours=False), now)
    assert handoff_id is not None
    return handoff_id


def test_simultaneous_claims_have_exactly_one_winner(database_url: str) -> None:
    """Each officer claims through their own engine (as separate processes would), all at once."""
    stores = [HandoffRecords(database_url) for _ in range(RACERS)]
    try:
        for round_ in range(RACE_ROUNDS):
            conversation_id = f"zalo:race-{round_}"
            handoff_id = _queue(stores[0], conversation_id)
            barrier = threading.Barrier(RACERS)
            results: dict[int, bool] = {}

            def claim(officer_id: int, conversation_id: str = conversation_id, barrier=barrier, results=results):
                barrier.wait()
                results[officer_id] = stores[officer_id - 1].claim(conversation_id, officer_id, START)

            threads = [threading.Thread(target=claim, args=(officer,)) for officer in range(1, RACERS + 1)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            winners = [officer for officer, won in results.items() if won]
            assert len(results) == RACERS and len(winners) == 1, results
            conversation = stores[0].conversation(conversation_id)
            assert conversation.state is State.WITH_STAFF and conversation.officer_id == winners[0]
            assert stores[0].handoff(handoff_id).claimed_by == winners[0]
    finally:
        for store in stores:
            store.close()


def test_everything_survives_reopening_the_store(database_url: str) -> None:
    first = HandoffRecords(database_url)
    member = first.add_staff("lan", "Nguyễn Thị Lan", "hash", "officer", START)
    _queue(first, "telegram:42")
    first.add_message("telegram:42", "citizen", "Cho tôi gặp cán bộ", START)
    first.put_setting("office_hours", {"weekly": {}})
    first.close()
    second = HandoffRecords(database_url)
    try:
        assert second.staff_member(member.id) == member
        assert [c.conversation_id for c in second.waiting()] == ["telegram:42"]
        assert second.conversation("telegram:42").last_message == "Cho tôi gặp cán bộ"
        assert second.setting("office_hours") == {"weekly": {}}
        assert second.claim("telegram:42", member.id, START)
    finally:
        second.close()


def test_transcripts_keep_order_authors_buttons_and_times(records: HandoffRecords) -> None:
    buttons = (Button("⭐", "#rate:1"), Button("Bỏ qua", "#rate:skip"))
    records.add_message("web:a", "citizen", "Xin chào", START)
    records.add_message("web:a", "bot", "Dạ, em chào anh/chị", START + timedelta(seconds=1), buttons=buttons)
    records.add_message("web:a", "note", "Khách hỏi lần 2", START + timedelta(seconds=2), author="Lan")
    records.add_message("web:b", "citizen", "Khác", START)
    rows = records.transcript("web:a")
    assert [(m.who, m.author, m.text) for m in rows] == [
        ("citizen", "", "Xin chào"),
        ("bot", "", "Dạ, em chào anh/chị"),
        ("note", "Lan", "Khách hỏi lần 2"),
    ]
    assert rows[1].buttons == buttons and rows[1].time == START + timedelta(seconds=1)
    assert rows[1].as_dict()["buttons"][0] == {"title": "⭐", "payload": "#rate:1"}
    assert [m.text for m in records.transcript("web:a", limit=1)] == ["Khách hỏi lần 2"]
    with pytest.raises(ValueError):
        records.add_message("web:a", "robot", "?", START)


def test_unanswered_flags_the_latest_citizen_row_or_adds_one(records: HandoffRecords) -> None:
    records.add_message("web:a", "citizen", "giấy phép nuôi chim", START)
    records.flag_unanswered("web:a", "giấy phép nuôi chim", START)
    records.flag_unanswered("web:a", "câu khác không ghi lại", START)
    assert [m.unanswered for m in records.transcript("web:a")] == [True, True]
    assert records.unanswered_between(START, START + timedelta(days=1)) == [
        "giấy phép nuôi chim",
        "câu khác không ghi lại",
    ]


def test_ratings_go_to_the_last_holder_or_to_the_bot(records: HandoffRecords) -> None:
    lan = records.add_staff("lan", "Lan", "hash", "officer", START)
    minh = records.add_staff("minh", "Minh", "hash", "officer", START)
    handoff_id = _queue(records, "web:a")
    assert records.claim("web:a", lan.id, START)
    assert records.transfer("web:a", lan.id, minh.id)
    assert not records.transfer("web:a", lan.id, lan.id)  # Lan no longer holds it
    assert records.finish("web:a", State.BOT, State.WITH_STAFF, minh.id, START)
    records.ask_rating("web:a", handoff_id)
    records.add_rating("web:a", handoff_id, 4, START)
    assert records.conversation("web:a").awaiting == "rating_comment"
    records.comment_rating("web:a", "Nhiệt tình")
    records.ask_rating("web:b", None)
    records.add_rating("web:b", None, 5, START)
    rated = records.ratings_between(START, START + timedelta(days=1))
    assert [(r.conversation_id, r.officer_id, r.score, r.comment) for r in rated] == [
        ("web:a", minh.id, 4, "Nhiệt tình"),
        ("web:b", None, 5, None),
    ]
    assert records.conversation("web:a").awaiting is None
    with pytest.raises(ValueError):
        records.add_rating("web:b", None, 6, START)


def test_the_state_machine_refuses_what_it_does_not_allow(records: HandoffRecords) -> None:
    _queue(records, "web:a")
    assert records.open_handoff(HandoffRequest("web:a", "fallback", outside_hours=False), START) is None
    assert not records.finish("web:a", State.CLOSED, State.WITH_STAFF, None, START)  # it is waiting
    with pytest.raises(ValueError, match="no transition"):
        records.finish("web:a", State.WAITING, State.WAITING, None, START)
    with pytest.raises(ValueError, match="reason"):
        records.open_handoff(HandoffRequest("web:b", "boredom", outside_hours=False), START)
    assert records.finish("web:a", State.CLOSED, State.WAITING, None, START)
    handoff = records.handoffs_between(START, START + timedelta(seconds=1))[0]
    assert handoff.closed_at == START and not handoff.handed_back
    assert records.open_handoff(HandoffRequest("web:a", "complain", outside_hours=True), START) is not None


def test_staff_audit_and_settings_round_trip(records: HandoffRecords) -> None:
    admin = records.add_staff("admin", "Quản trị", "hash", "admin", START)
    with pytest.raises(UsernameTaken):
        records.add_staff("admin", "Khác", "hash", "officer", START)
    assert records.credentials("admin") == (admin, "hash")
    records.add_audit(admin.id, "claim", START, "web:a", "detail")
    records.add_audit(admin.id, "login", START + timedelta(seconds=1), detail="127.0.0.1")
    log = records.audit_log()
    assert [(e.action, e.conversation_id, e.detail) for e in log] == [
        ("login", None, "127.0.0.1"),
        ("claim", "web:a", "detail"),
    ]
    assert [e.action for e in records.audit_log(conversation_id="web:a")] == ["claim"]
    with pytest.raises(ValueError):
        records.add_audit(admin.id, "dance", START)
    assert records.setting("canned_replies") is None
    records.put_setting("canned_replies", ["a"])
    records.put_setting("canned_replies", ["a", "b"])
    assert records.setting("canned_replies") == ["a", "b"]


def test_naive_times_are_refused(records: HandoffRecords) -> None:
    with pytest.raises(sa.exc.StatementError):
        records.add_message("web:a", "citizen", "x", datetime(2026, 12, 1, 9, 0))


def test_a_database_of_another_schema_version_is_refused(database_url: str) -> None:
    HandoffRecords(database_url).close()
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(schema_version.update().values(version=99))
    engine.dispose()
    with pytest.raises(SchemaMismatch):
        HandoffRecords(database_url)

"""Data retention (bot/retention.py) on a SQLite file and on PostgreSQL: what goes, what stays, and the CLI."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.cli import main
from bot.handoff.records import (
    HandoffRecords,
    HandoffRequest,
    State,
    StoredSession,
    audit,
    conversations,
    handoffs,
    login_failures,
    messages,
    ratings,
    sessions,
    utc_now,
)
from bot.retention import PurgeReport, Retention
from tests import test_handoff_records
from tests.test_handoff_records import START, Clock

NOW = START
database_url = test_handoff_records.database_url  # the same fixtures: SQLite and PostgreSQL
records = test_handoff_records.records
CONVERSATION_TABLES = {"messages": messages, "conversations": conversations, "handoffs": handoffs, "ratings": ratings}
STAFF_TABLES = {"audit": audit, "login_failures": login_failures, "sessions": sessions}


@pytest.fixture
def retention(records: HandoffRecords) -> Retention:
    return Retention(records, retention_days=30, handoff_retention_days=365, clock=Clock(NOW))


def _ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def _bot_chat(records: HandoffRecords, cid: str, *days_ago: float, rated: bool = False) -> None:
    """A conversation with the bot only: a citizen row and a bot reply at each age; a rating of the bot."""
    for days in days_ago:
        records.add_message(cid, "citizen", "Làm căn cước ở đâu?", _ago(days))
        records.add_message(cid, "bot", "Dạ, tại công an phường.", _ago(days))
    if rated:
        records.ask_rating(cid, None)
        records.add_rating(cid, None, 5, _ago(min(days_ago)))


def _handed_off(records: HandoffRecords, cid: str, days_ago: float, officer_id: int, finish: bool = True) -> None:
    """A conversation an officer took (two transcript rows, a handoff), then handed back and rated when `finish`."""
    when = _ago(days_ago)
    records.add_message(cid, "citizen", "Cho tôi gặp cán bộ", when)
    handoff_id = records.open_handoff(HandoffRequest(cid, "request_human", outside_hours=False), when)
    assert handoff_id is not None and records.claim(cid, officer_id, when)
    records.add_message(cid, "staff", "Dạ, tôi nghe", when, author="Lan")
    if finish:
        assert records.finish(cid, State.BOT, State.WITH_STAFF, officer_id, when)
        records.ask_rating(cid, handoff_id)
        records.add_rating(cid, handoff_id, 4, when)


def _query(url: str, queries: dict[str, sa.Select]) -> dict[str, list]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return {name: list(connection.execute(query).scalars()) for name, query in queries.items()}
    finally:
        engine.dispose()


def _ids(url: str) -> dict[str, list[str]]:
    """The conversation ids of the rows of each conversation table, sorted (one per row)."""
    queries = {name: sa.select(table.c.conversation_id) for name, table in CONVERSATION_TABLES.items()}
    return {name: sorted(ids) for name, ids in _query(url, queries).items()}


def _counts(url: str) -> dict[str, int]:
    tables = CONVERSATION_TABLES | STAFF_TABLES
    queries = {name: sa.select(sa.func.count()).select_from(table) for name, table in tables.items()}
    return {name: counts[0] for name, counts in _query(url, queries).items()}


def _session(token_hash: str, staff_id: int, last_seen: datetime) -> StoredSession:
    return StoredSession(token_hash, staff_id, "csrf", "127.0.0.1", last_seen, last_seen)


def test_bot_conversations_go_after_retention_days(records, retention, database_url) -> None:
    _bot_chat(records, "web:old", 45, 31, rated=True)
    _bot_chat(records, "web:fresh", 40, 29)  # an old turn, but the latest is within 30 days: all of it stays
    report = retention.purge(NOW)
    assert report == PurgeReport(1, 4, 0, 1, 0, 0, 0)
    assert _ids(database_url) == {"messages": ["web:fresh"] * 4, "conversations": [], "handoffs": [], "ratings": []}
    assert retention.purge(NOW) == PurgeReport(0, 0, 0, 0, 0, 0, 0)


def test_handed_off_conversations_are_kept_a_year(records, retention, database_url) -> None:
    lan = records.add_staff("lan", "Lan", "hash", "officer", _ago(500))
    _handed_off(records, "zalo:last-year", 366, lan.id)
    _handed_off(records, "zalo:spring", 200, lan.id)
    _bot_chat(records, "zalo:spring", 100)  # back with the bot later: still judged as handed off
    report = retention.purge(NOW)
    assert report == PurgeReport(1, 2, 1, 1, 0, 0, 0)
    ids = _ids(database_url)
    assert ids["messages"] == ["zalo:spring"] * 4
    assert (ids["conversations"], ids["handoffs"], ids["ratings"]) == (
        ["zalo:spring"],
        ["zalo:spring"],
        ["zalo:spring"],
    )
    assert records.conversation("zalo:last-year") is None and records.transcript("zalo:last-year") == []


def test_conversations_waiting_for_or_with_staff_are_kept_whatever_their_age(records, retention, database_url) -> None:
    lan = records.add_staff("lan", "Lan", "hash", "officer", _ago(2000))
    _handed_off(records, "web:held", 1000, lan.id, finish=False)
    records.add_message("web:waiting", "citizen", "Còn ai không?", _ago(1000))
    assert records.open_handoff(HandoffRequest("web:waiting", "fallback", outside_hours=True), _ago(1000))
    _handed_off(records, "web:closed", 1000, lan.id, finish=False)
    assert records.finish("web:closed", State.CLOSED, State.WITH_STAFF, lan.id, _ago(1000))
    report = retention.purge(NOW)
    assert (report.conversations, report.messages, report.handoffs) == (1, 2, 1)
    ids = _ids(database_url)
    assert ids["messages"] == ["web:held", "web:held", "web:waiting"]
    assert ids["conversations"] == ids["handoffs"] == ["web:held", "web:waiting"]
    assert records.conversation("web:waiting").state is State.WAITING


def test_audit_failed_logins_and_expired_sessions(records, retention, database_url) -> None:
    admin = records.add_staff("admin", "Quản trị", "hash", "admin", _ago(800))
    records.add_audit(admin.id, "claim", _ago(366), "web:a")
    records.add_audit(admin.id, "login", _ago(364), detail="127.0.0.1")
    records.add_login_failure("admin", "10.0.0.1", _ago(2))
    records.add_login_failure("admin", "10.0.0.1", _ago(0.5))
    for token, idle_hours in (("a" * 64, 13), ("b" * 64, 1)):
        idle = NOW - timedelta(hours=idle_hours)
        records.add_session(_session(token, admin.id, idle))
    assert retention.purge(NOW) == PurgeReport(0, 0, 0, 0, 1, 1, 1)
    assert [entry.action for entry in records.audit_log()] == ["login"]
    assert records.failed_logins(_ago(10), username="admin") == [_ago(0.5)]
    assert records.session("a" * 64) is None and records.session("b" * 64) is not None


def test_a_dry_run_counts_and_deletes_nothing(records, retention, database_url) -> None:
    lan = records.add_staff("lan", "Lan", "hash", "officer", _ago(800))
    _bot_chat(records, "web:old", 60, rated=True)
    _handed_off(records, "web:ancient", 400, lan.id)
    records.add_audit(lan.id, "claim", _ago(400), "web:ancient")
    before = _counts(database_url)
    counted = retention.purge(NOW, dry_run=True)
    assert counted == PurgeReport(2, 4, 1, 2, 1, 0, 0)
    assert _counts(database_url) == before
    assert retention.purge(NOW) == counted
    assert sum(_counts(database_url).values()) == 0


def test_sweep_purges_at_the_clock_time_and_logs(records, retention, caplog) -> None:
    _bot_chat(records, "web:old", 31)
    with caplog.at_level(logging.INFO, logger="bot.retention"):
        report = asyncio.run(retention.sweep())
    assert report.conversations == 1 and records.transcript("web:old") == []
    assert "1 conversations (2 messages, 0 handoffs, 0 ratings)" in caplog.text


def test_periods_must_make_sense(records) -> None:
    with pytest.raises(ValueError):
        Retention(records, retention_days=0, handoff_retention_days=365)
    with pytest.raises(ValueError):
        Retention(records, retention_days=400, handoff_retention_days=365)
    with pytest.raises(ValueError):
        records.purge_conversations(_ago(400), _ago(30))


def test_the_purge_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'retention.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("RETENTION_DAYS", "7")
    records = HandoffRecords(url)
    now = utc_now()
    records.add_message("telegram:1", "citizen", "Xin chào", now - timedelta(days=8))
    records.add_message("telegram:2", "citizen", "Xin chào", now - timedelta(days=6))
    records.close()
    assert main(["data", "purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"would delete from {url}: 1 conversations (1 messages, 0 handoffs, 0 ratings)" in out
    assert "never handed off for 7 days" in out
    assert _ids(url)["messages"] == ["telegram:1", "telegram:2"]
    assert main(["data", "purge"]) == 0
    assert "deleted from" in capsys.readouterr().out
    assert _ids(url)["messages"] == ["telegram:2"]
    monkeypatch.setenv("RETENTION_DAYS", "0")
    assert main(["data", "purge"]) == 2

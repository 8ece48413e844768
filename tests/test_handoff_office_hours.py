"""Office hours: the weekly schedule, lunch, holidays and make-up days, admin edits, the Vietnamese phrase."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from bot.dossiers.workdays import VIETNAM_TZ
from bot.handoff.accounts import NotAllowed
from bot.handoff.office_hours import OfficeHours, Schedule, holiday_name, is_holiday, is_make_up_day, opening_phrase
from bot.handoff.records import HandoffRecords

DEFAULT = Schedule()


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (at(2026, 12, 1, 7, 30), True),  # Tuesday, opening
        (at(2026, 12, 1, 7, 29), False),
        (at(2026, 12, 1, 11, 29), True),
        (at(2026, 12, 1, 12, 0), False),  # lunch break
        (at(2026, 12, 1, 13, 0), True),
        (at(2026, 12, 1, 17, 0), False),  # closed at five
        (at(2026, 12, 5, 9, 0), False),  # Saturday
        (at(2026, 12, 6, 9, 0), False),  # Sunday
        (datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc), True),  # 08:00 in Vietnam
        (at(2026, 9, 2, 9, 0), False),  # Quốc khánh
        (at(2026, 9, 1, 9, 0), False),  # its adjacent day
        (at(2026, 8, 31, 9, 0), False),  # Monday swapped for Saturday 22/8
        (at(2026, 8, 22, 9, 0), True),  # that make-up Saturday
        (at(2026, 2, 17, 9, 0), False),  # mùng 1 Tết Bính Ngọ
        (at(2026, 2, 20, 9, 0), False),  # mùng 4, a Friday
        (at(2026, 2, 23, 9, 0), True),  # back on Monday
        (at(2026, 4, 27, 9, 0), False),  # Giỗ Tổ (Sunday 26/4) made up on Monday
        (at(2025, 5, 2, 9, 0), False),  # Friday swapped for Saturday 26/4/2025
        (at(2025, 4, 26, 9, 0), True),
        (at(2027, 2, 10, 9, 0), False),  # Tết Đinh Mùi (computed)
        (at(2027, 4, 16, 9, 0), False),  # Giỗ Tổ 2027 (computed)
    ],
)
def test_default_schedule(moment: datetime, open_: bool) -> None:
    assert DEFAULT.is_open(moment) is open_


def test_holidays_for_working_days_elsewhere() -> None:
    assert is_holiday(date(2026, 9, 2)) and holiday_name(date(2026, 9, 2)) == "Quốc khánh"
    assert holiday_name(date(2026, 2, 14)) == "Tết Nguyên đán"
    assert holiday_name(date(2025, 4, 7)) == "Giỗ Tổ Hùng Vương"
    assert not is_holiday(date(2026, 9, 3)) and holiday_name(date(2026, 12, 1)) is None
    assert is_make_up_day(date(2026, 1, 10)) and not is_make_up_day(date(2026, 1, 17))


def test_next_opening_and_its_phrase() -> None:
    assert DEFAULT.next_opening(at(2026, 12, 1, 9, 0)) == at(2026, 12, 1, 9, 0)  # open now
    assert DEFAULT.next_opening(at(2026, 12, 1, 12, 0)) == at(2026, 12, 1, 13, 0)
    assert DEFAULT.next_opening(at(2026, 12, 4, 17, 30)) == at(2026, 12, 7, 7, 30)  # Friday evening
    after_national_day = DEFAULT.next_opening(at(2026, 8, 28, 18, 0))
    assert opening_phrase(after_national_day) == "7 giờ 30 sáng thứ Năm, 03/09/2026"
    assert DEFAULT.next_opening(at(2026, 2, 13, 17, 30)) == at(2026, 2, 23, 7, 30)  # across Tết
    assert opening_phrase(at(2026, 12, 1, 13, 0)) == "13 giờ 00 chiều thứ Ba, 01/12/2026"
    assert opening_phrase(datetime(2026, 11, 30, 1, 0, tzinfo=timezone.utc)) == "8 giờ 00 sáng thứ Hai, 30/11/2026"
    assert Schedule(weekly=((),) * 7).next_opening(at(2026, 12, 1, 9, 0)) is None


def test_saturday_morning_closed_and_open_days() -> None:
    schedule = Schedule(closed_days=frozenset({date(2026, 11, 24)}), open_days=frozenset({date(2026, 12, 12)}))
    saturday = schedule.with_saturday_morning()
    assert saturday.is_open(at(2026, 12, 5, 9, 0)) and not saturday.is_open(at(2026, 12, 5, 14, 0))
    assert not schedule.is_open(at(2026, 11, 24, 9, 0))  # Ngày Văn hóa Việt Nam, closed by the admin
    assert schedule.is_open(at(2026, 12, 12, 14, 0))  # an opened Saturday keeps weekday hours
    assert Schedule.from_json(saturday.as_json()) == saturday


def test_malformed_schedules_are_refused() -> None:
    with pytest.raises(ValueError):
        Schedule.from_json({"weekly": {"mon": [["11:30", "07:30"]]}})
    with pytest.raises(ValueError):
        Schedule.from_json({"weekly": {"mon": [["07:30", "11:30"], ["11:00", "17:00"]]}})
    with pytest.raises(ValueError):
        Schedule.from_json({"weekly": {"mon": [["7h30", "11:30"]]}})


def test_admins_edit_the_stored_schedule(tmp_path: Path) -> None:
    records = HandoffRecords(f"sqlite:///{tmp_path / 'hours.db'}")
    try:
        hours = OfficeHours(records)
        now = at(2026, 12, 1, 9, 0)
        admin = records.add_staff("admin", "Quản trị", "hash", "admin", now)
        officer = records.add_staff("lan", "Lan", "hash", "officer", now)
        assert hours.schedule() == DEFAULT and not hours.is_open(at(2026, 12, 5, 9, 0))
        with pytest.raises(NotAllowed):
            hours.save(DEFAULT.with_saturday_morning(), by=officer, now=now)
        hours.save(DEFAULT.with_saturday_morning(), by=admin, now=now)
        assert OfficeHours(records).is_open(at(2026, 12, 5, 9, 0))
        assert hours.next_opening_text(at(2026, 12, 5, 12, 0)) == "7 giờ 30 sáng thứ Hai, 07/12/2026"
        assert records.audit_log()[0].action == "office_hours"
    finally:
        records.close()

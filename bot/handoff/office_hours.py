"""When staff answer: a weekly schedule in Vietnam's time, public holidays, and days an admin closes or opens.

The default is the usual HCMC one-stop-shop schedule: Monday to Friday 07:30–11:30 and 13:00–17:00; a
Saturday morning is one edit away. An admin edits the schedule; it is stored in the handoff settings table
so every gateway process reads the same one.

Public holidays (Bộ luật Lao động 2019, Điều 112): Tết Dương lịch (1/1), Tết Nguyên đán (5 days, dates set by
the Prime Minister each year), Giỗ Tổ Hùng Vương (10/3 âm lịch), Ngày Chiến thắng (30/4), Quốc tế Lao động
(1/5), Quốc khánh (2/9 and one adjacent day set by the Prime Minister). A holiday on a weekend is made up on
the next working day (Điều 111 khoản 3). Where it was decided, civil servants also swap a working day for a
Saturday (ngày làm bù), listed in MAKE_UP_DAYS.

Sources of the table below:
- 2025, decided: Tết Dương lịch 1/1; Tết 25/1–2/2 (26 Chạp–mùng 5); Giỗ Tổ Monday 7/4; 30/4–4/5 with Friday
  2/5 swapped for Saturday 26/4; Quốc khánh 30/8–2/9 (tet-amlich.com "Các ngày nghỉ lễ 2025"; the 30/4 swap
  per VietnamPlus, "Công chức, viên chức được nghỉ thế nào trong dịp lễ 30/4-1/5/2025").
- 2026, decided: Tết Dương lịch 1/1–4/1 with Friday 2/1 swapped for Saturday 10/1 (công văn 12729/VPCP-KGVX,
  25/12/2025); Tết 14/2–22/2 (27 Chạp–mùng 6) and Quốc khánh 29/8–2/9 with Monday 31/8 swapped for Saturday
  22/8 (the Prime Minister's decision reported by Tiền Phong and Thanh Niên on 13/10/2025); Giỗ Tổ Sunday
  26/4 made up on Monday 27/4, 30/4–1/5 Thursday–Friday (Thanh Niên, 23/02/2026, computed from the law).
- 2027, computed from the law (not decided when written; correct it with the admin's closed and open days):
  Tết Đinh Mùi is Saturday 6/2 and Giỗ Tổ Friday 16/4 (new moons computed for UTC+7, checked against the 2025
  and 2026 dates above); Tết taken as 29 Chạp to mùng 4 with the weekend made up (5/2–11/2); 1/5 on a Saturday
  made up on Monday 3/5; Quốc khánh with Friday 3/9.
Ngày Văn hóa Việt Nam (24/11) is announced as a paid holiday (Nghị quyết 80-NQ/TW) but not yet in the
Labour Code: an admin adds it as a closed day once it is law.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from bot.dossiers.workdays import VIETNAM_TZ
from bot.handoff.accounts import require_admin
from bot.handoff.records import HandoffRecords, StaffMember

SETTING_KEY = "office_hours"
LOOKAHEAD_DAYS = 60
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")

Period = tuple[time, time]
WORKDAY: tuple[Period, ...] = ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))
SATURDAY_MORNING: tuple[Period, ...] = ((time(7, 30), time(11, 30)),)

# (first day, last day, name): every day in the range is closed.
HOLIDAYS: tuple[tuple[date, date, str], ...] = (
    (date(2025, 1, 1), date(2025, 1, 1), "Tết Dương lịch"),
    (date(2025, 1, 25), date(2025, 2, 2), "Tết Nguyên đán"),
    (date(2025, 4, 7), date(2025, 4, 7), "Giỗ Tổ Hùng Vương"),
    (date(2025, 4, 30), date(2025, 5, 4), "Ngày Chiến thắng và Quốc tế Lao động"),
    (date(2025, 8, 30), date(2025, 9, 2), "Quốc khánh"),
    (date(2026, 1, 1), date(2026, 1, 4), "Tết Dương lịch"),
    (date(2026, 2, 14), date(2026, 2, 22), "Tết Nguyên đán"),
    (date(2026, 4, 26), date(2026, 4, 27), "Giỗ Tổ Hùng Vương"),
    (date(2026, 4, 30), date(2026, 5, 1), "Ngày Chiến thắng và Quốc tế Lao động"),
    (date(2026, 8, 29), date(2026, 9, 2), "Quốc khánh"),
    (date(2027, 1, 1), date(2027, 1, 1), "Tết Dương lịch"),
    (date(2027, 2, 5), date(2027, 2, 11), "Tết Nguyên đán"),
    (date(2027, 4, 16), date(2027, 4, 16), "Giỗ Tổ Hùng Vương"),
    (date(2027, 4, 30), date(2027, 5, 3), "Ngày Chiến thắng và Quốc tế Lao động"),
    (date(2027, 9, 2), date(2027, 9, 3), "Quốc khánh"),
)
# Saturdays worked in exchange for a weekday off (decided for 2025 and 2026).
MAKE_UP_DAYS = frozenset({date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22)})


def holiday_name(day: date) -> str | None:
    """The public holiday `day` belongs to (a day off, compensation days included); None on other days."""
    return next((name for first, last, name in HOLIDAYS if first <= day <= last), None)


def is_holiday(day: date) -> bool:
    return holiday_name(day) is not None


def is_make_up_day(day: date) -> bool:
    """A Saturday civil servants work in exchange for a weekday off around a holiday."""
    return day in MAKE_UP_DAYS


@dataclass(frozen=True)
class Schedule:
    """Opening periods per weekday (Monday first), plus days an admin closes or opens."""

    weekly: tuple[tuple[Period, ...], ...] = (WORKDAY,) * 5 + ((), ())
    closed_days: frozenset[date] = field(default_factory=frozenset)
    open_days: frozenset[date] = field(default_factory=frozenset)  # e.g. a make-up Saturday not listed here

    def with_saturday_morning(self, open_: bool = True) -> Schedule:
        weekly = list(self.weekly)
        weekly[5] = SATURDAY_MORNING if open_ else ()
        return replace(self, weekly=tuple(weekly))

    def hours_on(self, day: date) -> tuple[Period, ...]:
        """The opening periods of a day; an opened weekend day keeps Monday's hours."""
        if day in self.closed_days:
            return ()
        if day in self.open_days or is_make_up_day(day):
            return self.weekly[day.weekday()] or self.weekly[0]
        return () if is_holiday(day) else self.weekly[day.weekday()]

    def is_open(self, when: datetime) -> bool:
        local = when.astimezone(VIETNAM_TZ)
        return any(start <= local.time() < end for start, end in self.hours_on(local.date()))

    def next_opening(self, when: datetime) -> datetime | None:
        """The first moment from `when` on at which the office is open (`when` itself when open);
        None when nothing opens within LOOKAHEAD_DAYS."""
        local = when.astimezone(VIETNAM_TZ)
        for offset in range(LOOKAHEAD_DAYS):
            day = local.date() + timedelta(days=offset)
            for start, end in self.hours_on(day):
                if local < datetime.combine(day, end, VIETNAM_TZ):
                    return max(local, datetime.combine(day, start, VIETNAM_TZ))
        return None

    def as_json(self) -> dict[str, Any]:
        weekly = {
            key: [[f"{start:%H:%M}", f"{end:%H:%M}"] for start, end in periods]
            for key, periods in zip(DAY_KEYS, self.weekly, strict=True)
        }
        days = {"closed_days": self.closed_days, "open_days": self.open_days}
        return {"weekly": weekly} | {key: sorted(day.isoformat() for day in value) for key, value in days.items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Schedule:
        """Parse what `as_json` writes (and an admin edits); ValueError on a malformed schedule."""
        weekly = data.get("weekly", {})
        return cls(
            weekly=tuple(_periods(weekly.get(key, []), key) for key in DAY_KEYS),
            closed_days=frozenset(date.fromisoformat(day) for day in data.get("closed_days", [])),
            open_days=frozenset(date.fromisoformat(day) for day in data.get("open_days", [])),
        )


def _periods(raw: list[list[str]], key: str) -> tuple[Period, ...]:
    periods = tuple(sorted((time.fromisoformat(start), time.fromisoformat(end)) for start, end in raw))
    if any(start >= end for start, end in periods) or any(a[1] > b[0] for a, b in pairwise(periods)):
        raise ValueError(f"{key}: opening periods must each end after they start and must not overlap")
    return periods


def opening_phrase(moment: datetime) -> str:
    """Vietnamese for a moment in Vietnam's time: "7 giờ 30 sáng thứ Hai, 01/12/2026"."""
    local = moment.astimezone(VIETNAM_TZ)
    part = "sáng" if local.hour < 11 else "trưa" if local.hour < 13 else "chiều" if local.hour < 18 else "tối"
    return f"{local.hour} giờ {local.minute:02d} {part} {WEEKDAY_NAMES[local.weekday()]}, {local:%d/%m/%Y}"


class OfficeHours:
    """The stored schedule: read by the desk and the console, edited by an admin."""

    def __init__(self, records: HandoffRecords) -> None:
        self._records = records

    def schedule(self) -> Schedule:
        stored = self._records.setting(SETTING_KEY)
        return Schedule.from_json(stored) if stored else Schedule()

    def save(self, schedule: Schedule, by: StaffMember, now: datetime) -> None:
        require_admin(by)
        self._records.put_setting(SETTING_KEY, schedule.as_json())
        self._records.add_audit(by.id, "office_hours", now, detail=str(schedule.as_json()))

    def is_open(self, when: datetime) -> bool:
        return self.schedule().is_open(when)

    def next_opening(self, when: datetime) -> datetime | None:
        return self.schedule().next_opening(when)

    def next_opening_text(self, when: datetime) -> str:
        """When staff are next in, in Vietnamese ("7 giờ 30 sáng thứ Hai, 01/12/2026")."""
        opening = self.next_opening(when)
        return opening_phrase(opening) if opening else "ngày làm việc tiếp theo"

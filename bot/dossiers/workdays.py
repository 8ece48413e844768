"""Working days (ngày làm việc): Monday to Friday. Public holidays are not modelled.

Deadlines are judged in Vietnam's calendar, whatever the server's time zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")  # no daylight saving time
_WEEK = 7
_WORKING_DAYS_PER_WEEK = 5


def today_in_vietnam() -> date:
    return datetime.now(VIETNAM_TZ).date()


def is_working_day(day: date) -> bool:
    return day.weekday() < _WORKING_DAYS_PER_WEEK


def working_days_between(start: date, end: date) -> int:
    """Working days after `start`, up to and including `end`; 0 when `end` is not after `start`."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, _WEEK)
    tail = (start + timedelta(days=weeks * _WEEK + offset) for offset in range(1, rest + 1))
    return weeks * _WORKING_DAYS_PER_WEEK + sum(is_working_day(day) for day in tail)


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start` (before it when `count` is negative)."""
    step = timedelta(days=1 if count >= 0 else -1)
    day = start
    for _ in range(abs(count)):
        day += step
        while not is_working_day(day):
            day += step
    return day

"""The admin's office hours, the report and the audit log."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from fastapi import HTTPException, Query, Request
from pydantic import BaseModel, Field

from bot.dossiers.workdays import VIETNAM_TZ
from bot.gateway.routes.staff.routing import console_router
from bot.gateway.routes.staff.security import AdminSession
from bot.handoff.office_hours import DAY_KEYS, Schedule
from bot.handoff.records import utc_now
from bot.handoff.report import build_report

MAX_REPORT_DAYS = 366
REPORT_DAYS = 7
BAD_RANGE = f"Khoảng ngày không hợp lệ: ngày bắt đầu phải trước ngày kết thúc, tối đa {MAX_REPORT_DAYS} ngày."

router = console_router()


class WeeklySchedule(BaseModel):
    weekly: dict[str, list[tuple[str, str]]]
    closed_days: list[date] = Field(default_factory=list)
    open_days: list[date] = Field(default_factory=list)


@router.get("/api/office-hours")
def office_hours(request: Request, session: AdminSession) -> dict[str, Any]:
    return request.app.state.office_hours.schedule().as_json()


@router.put("/api/office-hours")
def set_office_hours(body: WeeklySchedule, request: Request, session: AdminSession) -> dict[str, Any]:
    if unknown := sorted(set(body.weekly) - set(DAY_KEYS)):
        raise HTTPException(422, f"Ngày trong tuần không hợp lệ: {', '.join(unknown)} (dùng {', '.join(DAY_KEYS)}).")
    data = body.dict() | {key: [day.isoformat() for day in getattr(body, key)] for key in ("closed_days", "open_days")}
    try:
        schedule = Schedule.from_json(data)
    except ValueError as error:
        raise HTTPException(422, f"Giờ làm việc không hợp lệ: {error}") from error
    request.app.state.office_hours.save(schedule, session.staff, utc_now())
    return schedule.as_json()


@router.get("/api/report")
def report(
    request: Request, session: AdminSession, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    """The figures of whole days in Vietnam's time; by default the last REPORT_DAYS days, today included."""
    end = end or datetime.now(VIETNAM_TZ).date()
    start = start or end - timedelta(days=REPORT_DAYS - 1)
    if not timedelta(0) <= end - start < timedelta(days=MAX_REPORT_DAYS):
        raise HTTPException(422, BAD_RANGE)
    return build_report(request.app.state.records, start, end).as_dict()


@router.get("/api/audit")
def audit(request: Request, session: AdminSession, limit: int = Query(200, ge=1, le=1000)) -> dict[str, Any]:
    """The latest entries, newest first, with the staff member's name."""
    names = {member.id: member.display_name for member in request.app.state.accounts.staff()}
    entries = request.app.state.records.audit_log(limit)
    return {"entries": [entry.as_dict() | {"staff_name": names.get(entry.staff_id, "")} for entry in entries]}

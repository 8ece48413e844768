"""The staff accounts: colleagues for every officer; creating and deactivating them for admins."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request
from pydantic import BaseModel, Field

from bot.gateway.routes.staff.routing import console_router
from bot.gateway.routes.staff.security import AdminSession, StaffSession
from bot.handoff.records import StaffMember, UsernameTaken

NO_ACCOUNT = "Không tìm thấy tài khoản."
USERNAME_TAKEN = "Tên đăng nhập “{username}” đã có người dùng."

router = console_router()


class NewStaff(BaseModel):
    username: str = Field(..., max_length=64)
    display_name: str = Field(..., max_length=200)
    password: str = Field(..., max_length=256)
    role: str = "officer"


def _staff(request: Request, viewer: StaffMember) -> dict[str, Any]:
    """Colleagues (for transfers); an admin also sees deactivated accounts."""
    members = request.app.state.accounts.staff()
    return {"staff": [member.as_dict() for member in members if member.active or viewer.is_admin]}


@router.get("/api/staff")
def staff(request: Request, session: StaffSession) -> dict[str, Any]:
    return _staff(request, session.staff)


@router.post("/api/staff", status_code=201)
def create_staff(body: NewStaff, request: Request, session: AdminSession) -> dict[str, Any]:
    try:
        request.app.state.accounts.create(body.username, body.display_name, body.password, body.role, session.staff)
    except UsernameTaken as error:
        raise HTTPException(409, USERNAME_TAKEN.format(username=error)) from error
    return _staff(request, session.staff)


@router.post("/api/staff/{staff_id}/deactivate")
def deactivate_staff(staff_id: int, request: Request, session: AdminSession) -> dict[str, Any]:
    if not request.app.state.accounts.deactivate(staff_id, session.staff):
        raise HTTPException(404, NO_ACCOUNT)
    return _staff(request, session.staff)

"""Logging in and out, and who the caller is."""

from __future__ import annotations

import secrets
from math import ceil
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from bot.gateway.routes.staff.routing import console_router
from bot.gateway.routes.staff.security import (
    BAD_CSRF,
    CSRF_HEADER,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    StaffSession,
    forget_cookie,
    set_cookie,
)
from bot.handoff.sessions import LoginFailed, LoginLocked

router = console_router()


class Credentials(BaseModel):
    username: str = Field(..., max_length=64)
    password: str = Field(..., max_length=256)


def _same_token(expected: str, given: str | None) -> bool:
    return bool(expected and given) and secrets.compare_digest(expected.encode(), given.encode())


@router.post("/api/login")
def login(request: Request, body: Credentials) -> JSONResponse:
    if not _same_token(request.cookies.get(LOGIN_COOKIE, ""), request.headers.get(CSRF_HEADER)):
        raise HTTPException(403, BAD_CSRF)
    client_ip = request.app.state.clients.address(request)
    try:
        session = request.app.state.sessions.login(body.username, body.password, client_ip)
    except LoginLocked as error:
        retry_after = str(ceil(error.retry_after.total_seconds()))
        raise HTTPException(429, str(error), headers={"Retry-After": retry_after}) from error
    except LoginFailed as error:
        raise HTTPException(401, str(error)) from error
    response = JSONResponse({"staff": session.staff.as_dict()})
    set_cookie(response, request, SESSION_COOKIE, session.token)
    forget_cookie(response, request, LOGIN_COOKIE)
    return response


@router.post("/api/logout")
def logout(request: Request, session: StaffSession) -> Response:
    request.app.state.sessions.logout(session.token)
    response = Response(status_code=204)
    forget_cookie(response, request, SESSION_COOKIE)
    return response


@router.get("/api/me")
def me(session: StaffSession) -> dict[str, Any]:
    return {"staff": session.staff.as_dict()}

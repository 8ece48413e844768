"""The console's security: its headers, its cookies, and the session (and CSRF) every route depends on."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response

from bot.gateway.edge import DEFAULT_CSP
from bot.handoff.sessions import Session

PREFIX = "/staff"
LOGIN_PAGE = f"{PREFIX}/login"
SESSION_COOKIE = "motcua_staff"
LOGIN_COOKIE = "motcua_staff_login"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

SECURITY_HEADERS = {
    "Content-Security-Policy": DEFAULT_CSP,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}

NOT_LOGGED_IN = "Vui lòng đăng nhập."
BAD_CSRF = "Yêu cầu không hợp lệ (mã bảo vệ CSRF sai hoặc thiếu). Vui lòng tải lại trang."
ADMIN_ONLY = "Chỉ quản trị viên được thực hiện thao tác này."


def current_session(request: Request) -> Session | None:
    """The session the request's cookie names, if it is still valid."""
    return request.app.state.sessions.resolve(request.cookies.get(SESSION_COOKIE, ""))


def staff_session(request: Request) -> Session:
    """The caller's session (401 without); a state-changing request must also carry its CSRF token (403)."""
    session = current_session(request)
    if session is None:
        raise HTTPException(401, NOT_LOGGED_IN)
    sessions = request.app.state.sessions
    if request.method not in SAFE_METHODS and not sessions.check_csrf(session, request.headers.get(CSRF_HEADER)):
        raise HTTPException(403, BAD_CSRF)
    return session


StaffSession = Annotated[Session, Depends(staff_session)]


def admin_session(session: StaffSession) -> Session:
    """An admin's session (403 for officers)."""
    if not session.staff.is_admin:
        raise HTTPException(403, ADMIN_ONLY)
    return session


AdminSession = Annotated[Session, Depends(admin_session)]


def page_session(request: Request) -> Session:
    """A page's session; without one the browser goes to the login page."""
    session = current_session(request)
    if session is None:
        raise HTTPException(303, NOT_LOGGED_IN, headers={"Location": LOGIN_PAGE})
    return session


PageSession = Annotated[Session, Depends(page_session)]


def admin_page_session(session: PageSession) -> Session:
    """An admin page's session (403 for officers)."""
    return admin_session(session)


AdminPageSession = Annotated[Session, Depends(admin_page_session)]


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.app.state.settings.public_url.startswith("https://")


def set_cookie(response: Response, request: Request, name: str, value: str) -> None:
    """An HttpOnly, SameSite=Strict cookie scoped to the console (Secure over https)."""
    response.set_cookie(name, value, path=PREFIX, httponly=True, samesite="strict", secure=_secure(request))


def forget_cookie(response: Response, request: Request, name: str) -> None:
    """Delete a cookie set with set_cookie."""
    response.delete_cookie(name, path=PREFIX, httponly=True, samesite="strict", secure=_secure(request))

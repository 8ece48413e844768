"""The console's HTML pages and their static scripts and style sheet."""

from __future__ import annotations

import html
import re
import secrets
from pathlib import Path

from fastapi import HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from bot.gateway.routes.staff.routing import console_router
from bot.gateway.routes.staff.security import (
    LOGIN_COOKIE,
    PREFIX,
    AdminPageSession,
    PageSession,
    current_session,
    set_cookie,
)

STATIC = Path(__file__).resolve().parents[2] / "static" / "staff"
ASSET = re.compile(r"[a-z][a-z-]*\.(js|css)")
MEDIA_TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"}

router = console_router()


def _page(name: str, csrf_token: str) -> HTMLResponse:
    page = (STATIC / name).read_text(encoding="utf-8")
    return HTMLResponse(page.replace("{{CSRF_TOKEN}}", html.escape(csrf_token, quote=True)))


@router.get("/login")
def login_page(request: Request) -> Response:
    """The login form, with a fresh double-submit token (cookie + page)."""
    if current_session(request) is not None:
        return RedirectResponse(PREFIX, 303)
    token = secrets.token_urlsafe(32)
    response = _page("login.html", token)
    set_cookie(response, request, LOGIN_COOKIE, token)
    return response


@router.get("")
def console_page(session: PageSession) -> HTMLResponse:
    return _page("console.html", session.csrf_token)


@router.get("/admin")
def admin_page(session: AdminPageSession) -> HTMLResponse:
    return _page("admin.html", session.csrf_token)


@router.get("/report")
def report_page(session: AdminPageSession) -> HTMLResponse:
    return _page("report.html", session.csrf_token)


@router.get("/static/{name}")
def asset(name: str) -> FileResponse:
    """The console's scripts and style sheet (no data in them: public, so the login page can use them)."""
    path = STATIC / name
    if not ASSET.fullmatch(name) or not path.is_file():
        raise HTTPException(404, "Không tìm thấy tệp.")
    media_type = MEDIA_TYPES[path.suffix.lstrip(".")]
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "no-cache"})

"""The staff console at /staff: login, the live queue and conversations, the admin's pages, a JSON API and a
WebSocket of console events.

Access: the login page, the login API and the console's static files are public; every other page needs a
session (or redirects to /staff/login), every other API call answers 401 without one, and the WebSocket closes
with 4401. Admin routes answer 403 to officers. The session is an HttpOnly, SameSite=Strict cookie scoped to
/staff (Secure over https); each state-changing call also carries the session's CSRF token in X-CSRF-Token,
which the pages hold in a <meta> tag. The login form is protected by a double-submit token: a cookie set with
the login page, echoed in the header.

Pages are static files in bot/gateway/static/staff/ that render data with textContent only; the server puts
nothing but the CSRF token into them. Every console response carries a strict Content-Security-Policy.

Pages: GET /staff/login, GET /staff (the console), admin: GET /staff/report, GET /staff/admin.
API (JSON; errors are {"detail": "<Vietnamese>"}):
  POST /staff/api/login {username, password}, POST /staff/api/logout, GET /staff/api/me
  GET /staff/api/queue, GET /staff/api/mine, GET /staff/api/conversations/{id}
  POST /staff/api/conversations/{id}/claim | reply {text} | note {text} | transfer {to_officer_id} |
       hand-back | close
  GET /staff/api/staff, GET /staff/api/canned-replies
  admin: POST /staff/api/staff, POST /staff/api/staff/{id}/deactivate, GET|PUT /staff/api/office-hours,
       PUT /staff/api/canned-replies, GET /staff/api/report?start&end, GET /staff/api/audit?limit
WebSocket /staff/ws: {"type": "ready"} once subscribed, then the desk's events (waiting, message, claimed,
transferred, closed, cancelled).
"""

from __future__ import annotations

import asyncio
import html
import re
import secrets
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date, datetime, timedelta
from math import ceil
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request, WebSocket
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.websockets import WebSocketDisconnect

from bot.dossiers.workdays import VIETNAM_TZ
from bot.handoff.accounts import InvalidAccount, NotAllowed
from bot.handoff.desk import HandoffDesk, HandoffError, UnknownConversation
from bot.handoff.office_hours import DAY_KEYS, Schedule
from bot.handoff.records import Conversation, StaffMember, State, UsernameTaken, utc_now
from bot.handoff.report import build_report
from bot.handoff.sessions import LoginFailed, LoginLocked, Session

PREFIX = "/staff"
LOGIN_PAGE = f"{PREFIX}/login"
STATIC = Path(__file__).resolve().parent.parent / "static" / "staff"
ASSET = re.compile(r"[a-z][a-z-]*\.(js|css)")
MEDIA_TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"}
SESSION_COOKIE = "motcua_staff"
LOGIN_COOKIE = "motcua_staff_login"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WS_UNAUTHORISED, WS_FORBIDDEN = 4401, 4403
SESSION_CHECK_SECONDS = 60.0  # how often an open WebSocket re-checks its session (logout, deactivation)
MAX_REPORT_DAYS = 366
REPORT_DAYS = 7

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}

NOT_LOGGED_IN = "Vui lòng đăng nhập."
BAD_CSRF = "Yêu cầu không hợp lệ (mã bảo vệ CSRF sai hoặc thiếu). Vui lòng tải lại trang."
ADMIN_ONLY = "Chỉ quản trị viên được thực hiện thao tác này."
NOT_WAITING = "Cuộc trò chuyện này không còn trong hàng chờ."
TAKEN_BY = "Cán bộ {name} đã nhận cuộc trò chuyện này trước."
NO_CONVERSATION = "Không tìm thấy cuộc trò chuyện."
NO_ACCOUNT = "Không tìm thấy tài khoản."
USERNAME_TAKEN = "Tên đăng nhập “{username}” đã có người dùng."
BAD_RANGE = f"Khoảng ngày không hợp lệ: ngày bắt đầu phải trước ngày kết thúc, tối đa {MAX_REPORT_DAYS} ngày."
ERROR_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (UnknownConversation, 404),
    (HandoffError, 409),
    (NotAllowed, 403),
    (InvalidAccount, 422),
)
HANDLED_ERRORS = tuple(kind for kind, _ in ERROR_STATUS)


class ConsoleRoute(APIRoute):
    """Every console response carries the security headers; refusals and the domain's errors become
    {"detail": <Vietnamese message>} with their status."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def secured(request: Request) -> Response:
            try:
                response = await handler(request)
            except StarletteHTTPException as error:
                response = JSONResponse({"detail": error.detail}, error.status_code, headers=error.headers)
            except HANDLED_ERRORS as error:
                status = next(code for kind, code in ERROR_STATUS if isinstance(error, kind))
                response = JSONResponse({"detail": str(error)}, status)
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return secured


router = APIRouter(prefix=PREFIX, route_class=ConsoleRoute, include_in_schema=False, tags=["staff console"])


class Credentials(BaseModel):
    username: str = Field(..., max_length=64)
    password: str = Field(..., max_length=256)


class Text(BaseModel):
    text: str = Field(..., max_length=4000)


class Transfer(BaseModel):
    to_officer_id: int


class NewStaff(BaseModel):
    username: str = Field(..., max_length=64)
    display_name: str = Field(..., max_length=200)
    password: str = Field(..., max_length=256)
    role: str = "officer"


class WeeklySchedule(BaseModel):
    weekly: dict[str, list[tuple[str, str]]]
    closed_days: list[date] = Field(default_factory=list)
    open_days: list[date] = Field(default_factory=list)


class CannedReplies(BaseModel):
    replies: list[str] = Field(..., max_items=100)


# Sessions and access


def _session(request: Request) -> Session | None:
    return request.app.state.sessions.resolve(request.cookies.get(SESSION_COOKIE, ""))


def staff_session(request: Request) -> Session:
    """The caller's session (401 without); a state-changing request must also carry its CSRF token (403)."""
    session = _session(request)
    if session is None:
        raise HTTPException(401, NOT_LOGGED_IN)
    sessions = request.app.state.sessions
    if request.method not in SAFE_METHODS and not sessions.check_csrf(session, request.headers.get(CSRF_HEADER)):
        raise HTTPException(403, BAD_CSRF)
    return session


StaffSession = Annotated[Session, Depends(staff_session)]


def admin_session(session: StaffSession) -> Session:
    if not session.staff.is_admin:
        raise HTTPException(403, ADMIN_ONLY)
    return session


AdminSession = Annotated[Session, Depends(admin_session)]


def page_session(request: Request) -> Session:
    """A page's session; without one the browser goes to the login page."""
    session = _session(request)
    if session is None:
        raise HTTPException(303, NOT_LOGGED_IN, headers={"Location": LOGIN_PAGE})
    return session


PageSession = Annotated[Session, Depends(page_session)]


def admin_page_session(session: PageSession) -> Session:
    return admin_session(session)


AdminPageSession = Annotated[Session, Depends(admin_page_session)]


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.app.state.settings.public_url.startswith("https://")


def _set_cookie(response: Response, request: Request, name: str, value: str) -> None:
    response.set_cookie(name, value, path=PREFIX, httponly=True, samesite="strict", secure=_secure(request))


def _forget_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path=PREFIX, httponly=True, samesite="strict", secure=_secure(request))


def _same_token(expected: str, given: str | None) -> bool:
    return bool(expected and given) and secrets.compare_digest(expected.encode(), given.encode())


# Pages and their files


def _page(name: str, csrf_token: str) -> HTMLResponse:
    page = (STATIC / name).read_text(encoding="utf-8")
    return HTMLResponse(page.replace("{{CSRF_TOKEN}}", html.escape(csrf_token, quote=True)))


@router.get("/login")
def login_page(request: Request) -> Response:
    """The login form, with a fresh double-submit token (cookie + page)."""
    if _session(request) is not None:
        return RedirectResponse(PREFIX, 303)
    token = secrets.token_urlsafe(32)
    response = _page("login.html", token)
    _set_cookie(response, request, LOGIN_COOKIE, token)
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


# Login and the caller


@router.post("/api/login")
def login(request: Request, body: Credentials) -> JSONResponse:
    if not _same_token(request.cookies.get(LOGIN_COOKIE, ""), request.headers.get(CSRF_HEADER)):
        raise HTTPException(403, BAD_CSRF)
    client_ip = request.client.host if request.client else "unknown"
    try:
        session = request.app.state.sessions.login(body.username, body.password, client_ip)
    except LoginLocked as error:
        retry_after = str(ceil(error.retry_after.total_seconds()))
        raise HTTPException(429, str(error), headers={"Retry-After": retry_after}) from error
    except LoginFailed as error:
        raise HTTPException(401, str(error)) from error
    response = JSONResponse({"staff": session.staff.as_dict()})
    _set_cookie(response, request, SESSION_COOKIE, session.token)
    _forget_cookie(response, request, LOGIN_COOKIE)
    return response


@router.post("/api/logout")
def logout(request: Request, session: StaffSession) -> Response:
    request.app.state.sessions.logout(session.token)
    response = Response(status_code=204)
    _forget_cookie(response, request, SESSION_COOKIE)
    return response


@router.get("/api/me")
def me(session: StaffSession) -> dict[str, Any]:
    return {"staff": session.staff.as_dict()}


# Conversations


def _desk(request: Request) -> HandoffDesk:
    return request.app.state.desk


async def _conversation(request: Request, cid: str) -> Conversation:
    """A conversation the desk knows (one handed to staff at some point); 404 otherwise."""
    conversation = await asyncio.to_thread(request.app.state.records.conversation, cid)
    if conversation is None:
        raise HTTPException(404, NO_CONVERSATION)
    return conversation


async def _view(request: Request, cid: str) -> dict[str, Any]:
    """A conversation as the console shows it: its row and whole transcript (bot turns and notes included)."""
    conversation = await _conversation(request, cid)
    return {"conversation": conversation.as_dict(), "messages": await _desk(request).transcript(cid)}


@router.get("/api/queue")
async def queue(request: Request, session: StaffSession) -> dict[str, Any]:
    return {"conversations": await _desk(request).queue()}


@router.get("/api/mine")
async def mine(request: Request, session: StaffSession) -> dict[str, Any]:
    return {"conversations": await _desk(request).mine(session.staff)}


@router.get("/api/conversations/{cid:path}")
async def conversation(cid: str, request: Request, session: StaffSession) -> dict[str, Any]:
    return await _view(request, cid)


@router.post("/api/conversations/{cid:path}/claim")
async def claim(cid: str, request: Request, session: StaffSession) -> dict[str, Any]:
    """Of officers claiming at once exactly one gets 200; the others 409 with who was first."""
    if not await _desk(request).claim(cid, session.staff):
        raise HTTPException(409, await _claim_refusal(request, cid))
    return await _view(request, cid)


async def _claim_refusal(request: Request, cid: str) -> str:
    """Why a claim failed: who holds the conversation now, or that it left the queue."""
    conversation = await _conversation(request, cid)
    holder_id = conversation.officer_id if conversation.state is State.WITH_STAFF else None
    holder = await asyncio.to_thread(request.app.state.records.staff_member, holder_id) if holder_id else None
    return TAKEN_BY.format(name=holder.display_name) if holder else NOT_WAITING


@router.post("/api/conversations/{cid:path}/reply")
async def reply(cid: str, body: Text, request: Request, session: StaffSession) -> dict[str, Any]:
    await _desk(request).reply(cid, session.staff, body.text)
    return await _view(request, cid)


@router.post("/api/conversations/{cid:path}/note")
async def note(cid: str, body: Text, request: Request, session: StaffSession) -> dict[str, Any]:
    await _desk(request).note(cid, session.staff, body.text)
    return await _view(request, cid)


@router.post("/api/conversations/{cid:path}/transfer")
async def transfer(cid: str, body: Transfer, request: Request, session: StaffSession) -> dict[str, Any]:
    await _desk(request).transfer(cid, session.staff, body.to_officer_id)
    return await _view(request, cid)


@router.post("/api/conversations/{cid:path}/hand-back")
async def hand_back(cid: str, request: Request, session: StaffSession) -> dict[str, Any]:
    await _desk(request).hand_back(cid, session.staff)
    return await _view(request, cid)


@router.post("/api/conversations/{cid:path}/close")
async def close(cid: str, request: Request, session: StaffSession) -> dict[str, Any]:
    await _desk(request).close(cid, session.staff)
    return await _view(request, cid)


@router.get("/api/canned-replies")
async def canned_replies(request: Request, session: StaffSession) -> dict[str, Any]:
    return {"replies": await _desk(request).canned_replies()}


@router.put("/api/canned-replies")
async def set_canned_replies(body: CannedReplies, request: Request, session: AdminSession) -> dict[str, Any]:
    await _desk(request).set_canned_replies(session.staff, body.replies)
    return {"replies": await _desk(request).canned_replies()}


# Staff accounts


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


# Office hours, the report and the audit log (admin)


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


# Live events


@router.websocket("/ws")
async def live(websocket: WebSocket) -> None:
    """The desk's events for one open console, while its session lasts."""
    await websocket.accept()
    sessions, token = websocket.app.state.sessions, websocket.cookies.get(SESSION_COOKIE, "")
    if not _same_origin(websocket):
        await websocket.close(WS_FORBIDDEN)
        return
    if await asyncio.to_thread(sessions.resolve, token) is None:
        await websocket.close(WS_UNAUTHORISED)
        return
    async with websocket.app.state.console.subscribe() as events:
        await websocket.send_json({"type": "ready"})
        await _relay(websocket, events, lambda: asyncio.to_thread(sessions.resolve, token))


def _same_origin(websocket: WebSocket) -> bool:
    """Browsers always send Origin on a WebSocket: it must be this console's (the host, or PUBLIC_URL)."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser: no cross-site request to fear
    public_url = websocket.app.state.settings.public_url
    allowed = {websocket.headers.get("host", ""), urlsplit(public_url).netloc if public_url else ""}
    return urlsplit(origin).netloc in allowed - {""}


async def _relay(
    websocket: WebSocket, events: asyncio.Queue[dict[str, Any]], session: Callable[[], Awaitable[Session | None]]
) -> None:
    """Send events until the console goes away; every SESSION_CHECK_SECONDS, end it (4401) if the session has."""
    gone = asyncio.create_task(_until_disconnected(websocket))
    getting: asyncio.Task[dict[str, Any]] | None = None
    try:
        while True:
            getting = getting or asyncio.create_task(events.get())
            done, _ = await asyncio.wait(
                {gone, getting}, timeout=SESSION_CHECK_SECONDS, return_when=asyncio.FIRST_COMPLETED
            )
            if gone in done:
                return
            if getting in done:
                await websocket.send_json(getting.result())
                getting = None
            elif await session() is None:
                await websocket.close(WS_UNAUTHORISED)
                return
    except (WebSocketDisconnect, RuntimeError):
        return  # the console went away while we sent
    finally:
        for task in (gone, getting):
            if task is not None:
                task.cancel()


async def _until_disconnected(websocket: WebSocket) -> None:
    """Read (and ignore) what the console sends until it disconnects."""
    while (await websocket.receive())["type"] != "websocket.disconnect":
        pass

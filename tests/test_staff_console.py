"""The staff console's HTTP API, pages and WebSocket on a real socket (no Rasa): access for every route,
roles, CSRF, the login limit, cookies, escaping, the claim race, live events, and whole conversations."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import websockets
from fastapi import FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute
from pydantic import BaseModel

from bot.dossiers.workdays import VIETNAM_TZ
from bot.gateway.app import create_app
from bot.gateway.model import Inbound, Outbound
from bot.gateway.routes import staff
from bot.handoff.office_hours import DAY_KEYS, SETTING_KEY, Schedule
from bot.keys import secret_key
from bot.settings import Settings
from connectors.web import widget_user_id
from tests.conftest import gateway_settings
from tests.fakes.portal_records import write_portal_record
from tests.postgres import database
from tests.servers import serving

DEAD = "http://127.0.0.1:9"  # nothing listens there: these tests need no Rasa
PASSWORD = "mat-khau-rat-dai-2026"
ADMIN, LAN, MINH = (
    ("admin", "Quản Trị Viên", "admin"),
    ("lan", "Nguyễn Thị Lan", "officer"),
    ("minh", "Trần Văn Minh", "officer"),
)
XSS = ("<script>window.pwned=1</script>", '<img src=x onerror="window.pwned=2">')
CSRF = "X-CSRF-Token"
META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]*)">')

PUBLIC = {("GET", "/staff/login"), ("POST", "/staff/api/login"), ("GET", "/staff/static/{name}")}
ADMIN_ONLY = {
    ("GET", "/staff/admin"),
    ("GET", "/staff/report"),
    ("POST", "/staff/api/staff"),
    ("POST", "/staff/api/staff/{staff_id}/deactivate"),
    ("GET", "/staff/api/office-hours"),
    ("PUT", "/staff/api/office-hours"),
    ("PUT", "/staff/api/canned-replies"),
    ("GET", "/staff/api/report"),
    ("GET", "/staff/api/audit"),
    ("GET", "/staff/api/catalogue"),
    ("POST", "/staff/api/catalogue/import"),
}
SAMPLE_PARAMS = {"cid": "web:khong-co-cuoc-nay", "staff_id": "999", "name": "style.css"}
LOGOUT = ("POST", "/staff/api/logout")
HANDING_OFF = "Dạ, em chuyển anh/chị đến cán bộ ạ."
ROUND_THE_CLOCK = (((time(0, 0), time(23, 59)),),) * 7


# The app under test


class CitizenTurn(BaseModel):
    conversation_id: str
    text: str


class BotTurn(BaseModel):
    conversation_id: str
    text: str
    handoff: dict[str, str] | None = None  # reason, procedure_code, dossier_code
    unanswered: str = ""  # the citizen's message the bot fell back on


def offline(database_url: str, **env: str) -> Settings:
    """Gateway settings with nothing behind: the tests play the gateway's part in conversations."""
    return Settings.from_env({"DATABASE_URL": database_url, "RASA_URL": DEAD, "ACTION_SERVER_URL": DEAD, **env})


def console_app(services, settings: Settings) -> FastAPI:
    """The gateway as deployed, three staff accounts, office hours round the clock (so that handoffs count as
    asked in office hours), and test-only routes that play the gateway's part in a conversation on the
    server's own event loop."""
    app = create_app(settings, services)
    for username, name, role in (ADMIN, LAN, MINH):
        app.state.accounts.create(username, name, PASSWORD, role)
    today = datetime.now(VIETNAM_TZ).date()
    app.state.records.put_setting(SETTING_KEY, Schedule(ROUND_THE_CLOCK, open_days=frozenset({today})).as_json())

    @app.post("/test/citizen")
    async def citizen(turn: CitizenTurn) -> dict[str, Any]:
        """A citizen's message as the gateway takes it: recorded, then the desk may answer instead of Rasa."""
        cid = turn.conversation_id
        await app.state.gateway.record(cid, "citizen", {"text": turn.text})
        channel, _, user = cid.partition(":")
        replies = await app.state.desk.intercept(Inbound(channel, user, turn.text))
        for reply in replies or []:
            await app.state.gateway.record(cid, reply.speaker, reply.as_dict())
        return {"bot_answers": replies is None}

    @app.post("/test/bot")
    async def bot(turn: BotTurn) -> dict[str, Any]:
        """Rasa's reply, then what it signalled: a question it could not answer, or a handoff (the desk queues
        the conversation and tells the citizen)."""
        cid = turn.conversation_id
        await app.state.gateway.record(cid, "bot", Outbound(turn.text).as_dict())
        if turn.unanswered:
            await app.state.desk.record_unanswered(cid, turn.unanswered)
        if turn.handoff:
            context = {key: value for key, value in turn.handoff.items() if key != "reason"}
            for reply in await app.state.desk.begin(cid, turn.handoff["reason"], context):
                await app.state.gateway.record(cid, reply.speaker, reply.as_dict())
        return {}

    return app


@dataclass
class Console:
    url: str
    app: FastAPI

    def hand_off(self, cid: str, question: str = "cho tôi gặp cán bộ", **context: str) -> None:
        """A citizen asks, the bot answers and hands the conversation to staff."""
        self.citizen(cid, question)
        handoff = {"reason": "request_human", "procedure_code": "1.001193", "dossier_code": "", **context}
        self.post(
            "/test/bot", {"conversation_id": cid, "text": "Dạ, em chuyển anh/chị đến cán bộ ạ.", "handoff": handoff}
        )

    def citizen(self, cid: str, text: str) -> dict[str, Any]:
        return self.post("/test/citizen", {"conversation_id": cid, "text": text})

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = httpx.post(f"{self.url}{path}", json=body, timeout=30)
        response.raise_for_status()
        return response.json()

    def ws_url(self, path: str) -> str:
        return self.url.replace("http://", "ws://") + path


@contextmanager
def running(services, settings: Settings) -> Iterator[Console]:
    app = console_app(services, settings)
    with serving(app) as url:
        yield Console(url, app)


@pytest.fixture
def console(services, tmp_path) -> Iterator[Console]:
    with running(services, offline(f"sqlite:///{tmp_path / 'console.db'}")) as running_console:
        yield running_console


def meta_token(page: str) -> str:
    match = META_TOKEN.search(page)
    assert match, "the page carries no CSRF token"
    return match.group(1)


def log_in(http: httpx.Client, username: str, password: str = PASSWORD) -> httpx.Response:
    """What the login page does: fetch the form (its token cookie), post the credentials with the token."""
    token = meta_token(http.get("/staff/login").text)
    return http.post("/staff/api/login", json={"username": username, "password": password}, headers={CSRF: token})


class Staff:
    """A logged-in staff member's browser, as far as HTTP goes: cookies kept, the page's CSRF token sent."""

    def __init__(self, url: str, username: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=30)
        response = log_in(self.http, username)
        assert response.status_code == 200, response.text
        self.me = response.json()["staff"]
        self.csrf = meta_token(self.http.get("/staff").text)

    @property
    def cookie(self) -> str:
        return self.http.cookies[staff.SESSION_COOKIE]

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(path, params=params)

    def send(self, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return self.http.request(method, path, json=body, headers={CSRF: self.csrf})

    def act(self, cid: str, action: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return self.send("POST", f"/staff/api/conversations/{cid}/{action}", body)


def web_conversation() -> str:
    return f"web:{uuid.uuid4().hex}"


def http_routes() -> list[tuple[str, str]]:
    return sorted(
        (method, route.path) for route in staff.router.routes if isinstance(route, APIRoute) for method in route.methods
    )


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda match: SAMPLE_PARAMS[match.group(1)], path)


def is_api(path: str) -> bool:
    return path.startswith("/staff/api/")


# Access


def test_every_route_but_the_login_needs_a_session(console: Console) -> None:
    routes = http_routes()
    assert set(routes) >= PUBLIC
    forged = {staff.SESSION_COOKIE: "not-a-session-token"}
    for method, path in routes:
        if (method, path) in PUBLIC:
            continue
        for cookies in ({}, forged):
            with httpx.Client(base_url=console.url, cookies=cookies) as anonymous:
                response = anonymous.request(method, concrete(path), json={})
            if is_api(path):
                assert response.status_code == 401, (method, path, response.text)
                assert response.json() == {"detail": "Vui lòng đăng nhập."}
            else:
                assert response.status_code == 303, (method, path)
                assert response.headers["location"] == "/staff/login"
    assert httpx.get(f"{console.url}/staff/login").status_code == 200
    assert httpx.get(f"{console.url}/staff/static/console.js").status_code == 200


def test_the_websocket_closes_with_4401_without_a_session(console: Console) -> None:
    (socket_route,) = [route for route in staff.router.routes if isinstance(route, APIWebSocketRoute)]

    async def close_code(cookie: str | None) -> int:
        headers = {"Cookie": f"{staff.SESSION_COOKIE}={cookie}"} if cookie else {}
        async with websockets.connect(console.ws_url(socket_route.path), extra_headers=headers) as socket:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(socket.recv(), 10)
        return closed.value.code

    assert asyncio.run(close_code(None)) == 4401
    assert asyncio.run(close_code("forged")) == 4401


def test_admin_routes_answer_403_to_officers_and_only_them(console: Console) -> None:
    lan, admin = Staff(console.url, "lan"), Staff(console.url, "admin")
    routes = [route for route in http_routes() if route not in PUBLIC and route != LOGOUT]
    for method, path in routes:
        response = lan.send(method, concrete(path), {})
        if (method, path) in ADMIN_ONLY:
            assert response.status_code == 403, (method, path)
            assert response.json()["detail"] == "Chỉ quản trị viên được thực hiện thao tác này."
        else:
            assert response.status_code not in (401, 403), (method, path, response.text)
    for method, path in sorted(ADMIN_ONLY):
        assert admin.send(method, concrete(path), {}).status_code not in (401, 403), (method, path)


def test_every_change_needs_the_sessions_csrf_token(console: Console) -> None:
    admin = Staff(console.url, "admin")
    changes = [route for route in http_routes() if route[0] != "GET" and route not in PUBLIC]
    assert LOGOUT in changes and ("POST", "/staff/api/conversations/{cid:path}/reply") in changes
    other_session = Staff(console.url, "lan").csrf
    for method, path in changes:
        for headers in ({}, {CSRF: "wrong"}, {CSRF: other_session}, {CSRF: ""}):
            response = admin.http.request(method, concrete(path), json={"text": "x"}, headers=headers)
            assert response.status_code == 403, (method, path, headers)
            assert "CSRF" in response.json()["detail"]
    assert admin.get("/staff/api/me").status_code == 200  # the refused logout did not log out


def test_the_login_form_is_protected_by_a_double_submit_token(console: Console) -> None:
    credentials = {"username": "lan", "password": PASSWORD}
    with httpx.Client(base_url=console.url) as http:
        assert http.post("/staff/api/login", json=credentials).status_code == 403  # no form fetched
        token = meta_token(http.get("/staff/login").text)
        assert http.post("/staff/api/login", json=credentials).status_code == 403  # no header
        assert http.post("/staff/api/login", json=credentials, headers={CSRF: token + "x"}).status_code == 403
        http.cookies.clear()
        assert http.post("/staff/api/login", json=credentials, headers={CSRF: token}).status_code == 403  # no cookie
        token = meta_token(http.get("/staff/login").text)
        assert http.post("/staff/api/login", json=credentials, headers={CSRF: token}).status_code == 200


def test_failed_logins_are_limited_with_the_vietnamese_message(console: Console) -> None:
    with httpx.Client(base_url=console.url) as http:
        for _ in range(4):
            response = log_in(http, "lan", "sai-mat-khau-roi")
            assert response.status_code == 401
            assert response.json()["detail"] == "Tên đăng nhập hoặc mật khẩu không đúng."
        locked = log_in(http, "lan", "sai-mat-khau-roi")
        assert locked.status_code == 429
        assert locked.json()["detail"] == "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."
        assert 800 < int(locked.headers["retry-after"]) <= 900
        assert log_in(http, "lan").status_code == 429  # even the right password waits, from this address
        assert staff.SESSION_COOKIE not in http.cookies


def test_logout_ends_the_session_and_its_cookie(console: Console) -> None:
    lan = Staff(console.url, "lan")
    cookie = lan.cookie
    response = lan.send("POST", "/staff/api/logout")
    assert response.status_code == 204
    assert re.search(rf'{staff.SESSION_COOKIE}=""; .*Max-Age=0', response.headers["set-cookie"])
    stolen = {staff.SESSION_COOKIE: cookie}
    assert httpx.get(f"{console.url}/staff/api/me", cookies=stolen).status_code == 401
    assert httpx.get(f"{console.url}/staff", cookies=stolen).status_code == 303


def test_cookies_are_httponly_strict_scoped_and_secure_behind_https(services, tmp_path) -> None:
    for public_url, secure in (("", False), ("https://motcua.example.gov.vn", True)):
        with running(services, offline(f"sqlite:///{tmp_path / f'{secure}.db'}", PUBLIC_URL=public_url)) as app:
            with httpx.Client(base_url=app.url) as http:
                page = http.get("/staff/login")
                token = meta_token(page.text)
                login_cookie = f"{staff.LOGIN_COOKIE}={token}"
                credentials = {"username": "lan", "password": PASSWORD}
                headers = {CSRF: token, "Cookie": login_cookie}
                response = http.post("/staff/api/login", json=credentials, headers=headers)
            assert response.status_code == 200
            for cookie in (page.headers["set-cookie"], response.headers.get_list("set-cookie")[0]):
                flags = {flag.strip().lower() for flag in cookie.split(";")[1:]}
                assert {"httponly", "samesite=strict", "path=/staff"} <= flags
                assert ("secure" in flags) is secure
            assert response.headers.get_list("set-cookie")[0].startswith(f"{staff.SESSION_COOKIE}=")


def test_console_responses_carry_the_security_headers(console: Console) -> None:
    lan = Staff(console.url, "lan")
    for response in (lan.get("/staff"), lan.get("/staff/api/queue"), httpx.get(f"{console.url}/staff/login")):
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
    scripts = re.findall(r"<script[^>]*>", lan.get("/staff").text)
    assert scripts and all('src="/staff/static/' in script for script in scripts)  # no inline script


# Escaping


def test_citizen_html_comes_back_as_data_and_is_never_rendered_by_the_server(console: Console) -> None:
    cid = web_conversation()
    console.hand_off(cid, XSS[0], dossier_code=XSS[1])
    console.citizen(cid, XSS[1])
    lan = Staff(console.url, "lan")
    (entry,) = lan.get("/staff/api/queue").json()["conversations"]
    assert entry["last_message"] == XSS[1] and entry["dossier_code"] == XSS[1]
    view = lan.get(f"/staff/api/conversations/{cid}")
    assert view.headers["content-type"] == "application/json"
    texts = [message["text"] for message in view.json()["messages"] if message["who"] == "citizen"]
    assert texts == list(XSS)
    for page in ("/staff", "/staff/login"):
        assert "pwned" not in lan.get(page).text


def test_the_console_scripts_never_parse_html() -> None:
    for script in staff.STATIC.glob("*.js"):
        code = script.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in code, f"{script.name} uses {sink}"


# Conversations


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database(request, tmp_path) -> Iterator[str]:
    with database(request.param, tmp_path, "test_staff_console") as url:
        yield url


def test_of_two_officers_claiming_at_once_exactly_one_gets_it(services, any_database) -> None:
    with running(services, offline(any_database)) as app:
        lan, minh = Staff(app.url, "lan"), Staff(app.url, "minh")
        cids = [web_conversation() for _ in range(5)]
        for cid in cids:
            app.hand_off(cid)

        async def claim(officer: Staff, cid: str) -> httpx.Response:
            async with httpx.AsyncClient(base_url=app.url, cookies=officer.http.cookies, timeout=30) as http:
                return await http.post(f"/staff/api/conversations/{cid}/claim", headers={CSRF: officer.csrf})

        async def race(cid: str) -> list[httpx.Response]:
            return await asyncio.gather(claim(lan, cid), claim(minh, cid))

        for cid in cids:
            responses = asyncio.run(race(cid))
            assert sorted(response.status_code for response in responses) == [200, 409]
            won, lost = sorted(responses, key=lambda response: response.status_code)
            winner = won.json()["conversation"]["officer_id"]
            name = {lan.me["id"]: LAN[1], minh.me["id"]: MINH[1]}[winner]
            assert lost.json() == {"detail": f"Cán bộ {name} đã nhận cuộc trò chuyện này trước."}
        mine = [len(officer.get("/staff/api/mine").json()["conversations"]) for officer in (lan, minh)]
        assert sum(mine) == len(cids)
        assert lan.get("/staff/api/queue").json()["conversations"] == []


def test_the_websocket_streams_desk_events_while_the_session_lasts(console: Console, monkeypatch) -> None:
    lan = Staff(console.url, "lan")
    cid = web_conversation()
    monkeypatch.setattr(staff.live, "SESSION_CHECK_SECONDS", 0.2)

    async def follow() -> tuple[list[dict[str, Any]], int]:
        headers = {"Cookie": f"{staff.SESSION_COOKIE}={lan.cookie}"}
        async with websockets.connect(console.ws_url("/staff/ws"), extra_headers=headers) as socket:
            assert json.loads(await asyncio.wait_for(socket.recv(), 10)) == {"type": "ready"}
            await asyncio.to_thread(console.hand_off, cid, "tôi muốn hỏi hồ sơ", dossier_code="HS-2026-0001")
            waiting = await next_event(socket, "waiting")
            await asyncio.to_thread(lan.act, cid, "claim")
            claimed = await next_event(socket, "claimed")
            await asyncio.to_thread(lan.send, "POST", "/staff/api/logout")
            with pytest.raises(websockets.ConnectionClosed) as closed:
                while True:
                    await asyncio.wait_for(socket.recv(), 10)
            return [waiting, claimed], closed.value.code

    (waiting, claimed), code = asyncio.run(follow())
    entry = waiting["conversation"]
    assert (entry["conversation_id"], entry["channel"], entry["reason"]) == (cid, "web", "request_human")
    assert (entry["dossier_code"], entry["procedure_code"], entry["position"]) == ("HS-2026-0001", "1.001193", 1)
    assert entry["last_message"] == "tôi muốn hỏi hồ sơ"
    assert claimed["officer"] == {"id": lan.me["id"], "display_name": LAN[1]}
    assert code == 4401


async def next_event(socket: Any, kind: str) -> dict[str, Any]:
    while (event := json.loads(await asyncio.wait_for(socket.recv(), 10)))["type"] != kind:
        pass
    return event


def test_the_websocket_refuses_other_origins(console: Console) -> None:
    lan = Staff(console.url, "lan")

    async def close_code(origin: str) -> int | None:
        headers = {"Cookie": f"{staff.SESSION_COOKIE}={lan.cookie}"}
        async with websockets.connect(console.ws_url("/staff/ws"), extra_headers=headers, origin=origin) as socket:
            try:
                await asyncio.wait_for(socket.recv(), 10)
            except websockets.ConnectionClosed as closed:
                return closed.code
        return None

    assert asyncio.run(close_code("https://evil.example")) == 4403
    assert asyncio.run(close_code(console.url)) is None  # the console's own page gets "ready"


def test_an_officer_handles_a_conversation_from_claim_to_hand_back(console: Console) -> None:
    lan, minh, admin = Staff(console.url, "lan"), Staff(console.url, "minh"), Staff(console.url, "admin")
    session = uuid.uuid4().hex
    cid = "web:" + widget_user_id(secret_key(console.app.state.settings), session)  # what the widget's session maps to
    console.hand_off(cid, "hồ sơ của tôi bị trả lại, tôi muốn gặp người")
    view = lan.get(f"/staff/api/conversations/{cid}").json()
    assert [m["who"] for m in view["messages"]][:3] == ["citizen", "bot", "system"]
    assert view["messages"][1]["text"] == HANDING_OFF

    async def citizen_sees() -> list[dict[str, Any]]:
        """The citizen's widget is open while the officer works: what it receives."""
        async with websockets.connect(console.ws_url(f"/api/widget/ws?session={session}")) as widget:
            await widget.recv()  # the history
            await asyncio.to_thread(lan.act, cid, "claim")
            joined = json.loads(await asyncio.wait_for(widget.recv(), 10))
            await asyncio.to_thread(lan.act, cid, "note", {"text": "Công dân đã nộp bổ sung hôm qua"})
            await asyncio.to_thread(lan.act, cid, "reply", {"text": "Dạ, anh/chị cho em xin mã hồ sơ ạ."})
            replied = json.loads(await asyncio.wait_for(widget.recv(), 10))
            return [joined, replied]

    joined, replied = asyncio.run(citizen_sees())
    assert joined["messages"][0]["text"] == "Cán bộ Nguyễn Thị Lan đã tham gia cuộc trò chuyện."
    assert replied["messages"] == [
        {"text": "Dạ, anh/chị cho em xin mã hồ sơ ạ.", "buttons": [], "links": [], "author": LAN[1]}
    ]  # the note never reached the citizen: the next frame is the reply

    transcript = lan.get(f"/staff/api/conversations/{cid}").json()["messages"]
    note, reply = transcript[-2:]
    assert (note["who"], note["author"], note["text"]) == ("note", LAN[1], "Công dân đã nộp bổ sung hôm qua")
    assert (reply["who"], reply["author"]) == ("staff", LAN[1])
    assert minh.act(cid, "reply", {"text": "Tôi trả lời thay"}).status_code == 403
    assert lan.act(cid, "reply", {"text": "   "}).json() == {"detail": "Nội dung không được để trống."}

    transferred = lan.act(cid, "transfer", {"to_officer_id": minh.me["id"]})
    assert transferred.json()["conversation"]["officer_id"] == minh.me["id"]
    assert [c["conversation_id"] for c in minh.get("/staff/api/mine").json()["conversations"]] == [cid]
    assert lan.get("/staff/api/mine").json()["conversations"] == []
    refused = lan.act(cid, "hand-back")
    assert refused.status_code == 403 and "Chỉ cán bộ đang giữ" in refused.json()["detail"]

    handed_back = minh.act(cid, "hand-back")
    assert handed_back.status_code == 200 and handed_back.json()["conversation"]["state"] == "bot"
    assert minh.act(cid, "close").status_code == 409
    actions = [entry["action"] for entry in admin.get("/staff/api/audit").json()["entries"] if entry["conversation_id"]]
    assert actions[:5] == ["hand_back", "transfer", "reply", "note", "claim"]


def test_only_an_admin_drops_a_waiting_conversation(console: Console) -> None:
    lan, admin = Staff(console.url, "lan"), Staff(console.url, "admin")
    cid = web_conversation()
    console.hand_off(cid)
    assert lan.act(cid, "close").status_code == 403
    closed = admin.act(cid, "close")
    assert closed.status_code == 200 and closed.json()["conversation"]["state"] == "closed"
    assert lan.act(cid, "claim").json() == {"detail": "Cuộc trò chuyện này không còn trong hàng chờ."}
    assert lan.act("web:khong-co", "claim").status_code == 404


def test_conversation_ids_with_any_characters_work_in_paths(console: Console) -> None:
    lan = Staff(console.url, "lan")
    cid = "rest:ho/so?x=1#a b"
    console.hand_off(cid)
    path = "/staff/api/conversations/" + quote(cid, safe="")  # what the console's encodeURIComponent sends
    assert lan.http.get(path).json()["conversation"]["conversation_id"] == cid
    assert lan.http.post(path + "/claim", headers={CSRF: lan.csrf}).status_code == 200


# Administration


def test_an_admin_manages_staff_accounts(console: Console) -> None:
    admin = Staff(console.url, "admin")
    new = {"username": "hoa", "display_name": "Lê Thị Hoa", "password": PASSWORD, "role": "officer"}
    created = admin.send("POST", "/staff/api/staff", new)
    assert created.status_code == 201
    assert "hoa" in [member["username"] for member in created.json()["staff"]]
    assert admin.send("POST", "/staff/api/staff", new).json() == {"detail": "Tên đăng nhập “hoa” đã có người dùng."}
    weak = admin.send("POST", "/staff/api/staff", new | {"username": "hoa2", "password": "ngan"})
    assert weak.status_code == 422 and weak.json()["detail"] == "Mật khẩu phải có ít nhất 10 ký tự."

    hoa = Staff(console.url, "hoa")
    hoa_id = hoa.me["id"]
    assert admin.send("POST", f"/staff/api/staff/{hoa_id}/deactivate").status_code == 200
    assert hoa.get("/staff/api/me").status_code == 401  # the session ended with the account
    assert log_in(hoa.http, "hoa").status_code == 401
    assert hoa_id not in [member["id"] for member in Staff(console.url, "lan").get("/staff/api/staff").json()["staff"]]
    own = admin.send("POST", f"/staff/api/staff/{admin.me['id']}/deactivate")
    assert own.json() == {"detail": "Quản trị viên không thể tự khóa tài khoản của mình."}
    assert admin.send("POST", "/staff/api/staff/999/deactivate").status_code == 404


def test_an_admin_edits_office_hours_with_saturday_morning_and_extra_days(console: Console) -> None:
    admin = Staff(console.url, "admin")
    workday = [["07:30", "11:30"], ["13:00", "17:00"]]
    weekly = {day: workday for day in DAY_KEYS[:5]} | {"sat": [["07:30", "11:30"]], "sun": []}
    schedule = {"weekly": weekly, "closed_days": ["2026-12-24"], "open_days": ["2026-12-27"]}
    saved = admin.send("PUT", "/staff/api/office-hours", schedule)
    assert saved.status_code == 200 and saved.json() == admin.get("/staff/api/office-hours").json() == schedule
    backwards = schedule | {"weekly": schedule["weekly"] | {"sun": [["11:00", "09:00"]]}}
    refused = admin.send("PUT", "/staff/api/office-hours", backwards)
    assert refused.status_code == 422 and refused.json()["detail"].startswith("Giờ làm việc không hợp lệ")
    misspelt = admin.send("PUT", "/staff/api/office-hours", {"weekly": {"monday": [["07:30", "11:30"]]}})
    assert misspelt.status_code == 422 and "monday" in misspelt.json()["detail"]
    assert admin.get("/staff/api/office-hours").json() == schedule


def test_an_admin_sets_the_canned_replies_officers_see(console: Console) -> None:
    admin, lan = Staff(console.url, "admin"), Staff(console.url, "lan")
    assert len(lan.get("/staff/api/canned-replies").json()["replies"]) == 6  # the desk's defaults
    replies = ["Dạ, em chào anh/chị ạ.", "  ", "Dạ, anh/chị chờ em một chút ạ."]
    assert admin.send("PUT", "/staff/api/canned-replies", {"replies": replies}).json() == {
        "replies": ["Dạ, em chào anh/chị ạ.", "Dạ, anh/chị chờ em một chút ạ."]
    }
    assert lan.get("/staff/api/canned-replies").json()["replies"][0] == "Dạ, em chào anh/chị ạ."


def test_an_admin_re_imports_the_catalogue_source_and_it_is_audited(services, tmp_path) -> None:
    source = tmp_path / "national"
    write_portal_record(source, "1.777001", "Đăng ký việc nuôi chim bồ câu đưa thư")
    catalogue = {"MOTCUA_CATALOGUE_SOURCE": str(source), "MOTCUA_IMPORTED_CATALOGUE": str(tmp_path / "imported.json")}
    with running(services, offline(f"sqlite:///{tmp_path / 'console.db'}", **catalogue)) as console:
        admin = Staff(console.url, "admin")
        status = admin.get("/staff/api/catalogue").json()
        assert status["source"] == str(source) and status["up_to_date"] is False
        imported = admin.send("POST", "/staff/api/catalogue/import").json()
        assert imported["imported"] == 1 and imported["message"].startswith("Đã nhập 1 thủ tục")
        assert admin.get("/staff/api/catalogue").json()["up_to_date"] is True
        entry = admin.get("/staff/api/audit").json()["entries"][0]
        assert entry["action"] == "import_catalogue" and entry["staff_name"] == ADMIN[1]
        for file in source.rglob("*.json"):
            file.write_text("{", encoding="utf-8")
        broken = admin.send("POST", "/staff/api/catalogue/import")
        assert broken.status_code == 422 and "vẫn dùng danh mục cũ" in broken.json()["detail"]
    with running(services, offline(f"sqlite:///{tmp_path / 'other.db'}")) as console:
        refused = Staff(console.url, "admin").send("POST", "/staff/api/catalogue/import")
        assert refused.status_code == 409 and "MOTCUA_CATALOGUE_SOURCE" in refused.json()["detail"]


def test_the_report_covers_the_last_seven_days_by_default(console: Console) -> None:
    admin, lan = Staff(console.url, "admin"), Staff(console.url, "lan")
    cid, other = web_conversation(), web_conversation()
    console.hand_off(cid)
    console.citizen(other, "Thủ tục nuôi chó mèo?")
    not_understood = {"text": "Dạ, em chưa hiểu ý anh/chị ạ.", "unanswered": "Thủ tục nuôi chó mèo?"}
    console.post("/test/bot", {"conversation_id": other, **not_understood})
    lan.act(cid, "claim")
    lan.act(cid, "hand-back")
    console.citizen(cid, "#rate:4")

    report = admin.get("/staff/api/report").json()
    today = datetime.now(VIETNAM_TZ).date()
    assert (report["start"], report["end"]) == ((today - timedelta(days=6)).isoformat(), today.isoformat())
    assert len(report["conversations_per_day"]) == 7 and report["conversations_per_day"][today.isoformat()] == 2
    assert (report["conversations"], report["handoffs"], report["handoff_rate"]) == (2, 1, 0.5)
    assert report["reasons"] == {"request_human": 1} and report["median_wait_seconds"] is not None
    assert [(r["name"], r["count"], r["average"]) for r in report["ratings"]] == [(LAN[1], 1, 4.0)]
    assert report["unanswered"] == [["thủ tục nuôi chó mèo", 1]]

    earlier = admin.get("/staff/api/report", start="2026-01-01", end="2026-01-31").json()
    assert earlier["conversations"] == 0 and len(earlier["conversations_per_day"]) == 31
    assert admin.get("/staff/api/report", start="2026-02-01", end="2026-01-01").status_code == 422
    assert admin.get("/staff/api/report", start="2024-01-01", end="2026-01-01").status_code == 422
    entries = admin.get("/staff/api/audit", limit=3).json()["entries"]
    assert [(e["action"], e["staff_name"]) for e in entries] == [
        ("hand_back", LAN[1]),
        ("claim", LAN[1]),
        ("login", LAN[1]),
    ]


# With the real bot


@pytest.mark.e2e
def test_a_citizen_the_real_bot_hands_off_reaches_the_console(
    services, assistant, clean_gateway_redis, tmp_path
) -> None:
    settings = gateway_settings(assistant, DATABASE_URL=f"sqlite:///{tmp_path / 'e2e.db'}")
    with running(services, settings) as app:
        lan = Staff(app.url, "lan")
        sender = f"staff-{uuid.uuid4().hex[:10]}"

        def say(text: str) -> list[dict[str, Any]]:
            body = {"sender": sender, "message": text}
            response = httpx.post(f"{app.url}/webhooks/rest/webhook", json=body, timeout=60)
            response.raise_for_status()
            return response.json()

        async def follow() -> dict[str, Any]:
            headers = {"Cookie": f"{staff.SESSION_COOKIE}={lan.cookie}"}
            async with websockets.connect(app.ws_url("/staff/ws"), extra_headers=headers) as socket:
                await socket.recv()  # ready
                await asyncio.to_thread(say, "làm giấy khai sinh cần gì")
                await asyncio.to_thread(say, "cho tôi gặp cán bộ")
                return await next_event(socket, "waiting")

        entry = asyncio.run(follow())["conversation"]
        cid = f"rest:{sender}"
        assert (entry["conversation_id"], entry["procedure_code"], entry["reason"]) == (
            cid,
            "1.001193",
            "request_human",
        )
        assert lan.act(cid, "claim").status_code == 200
        assert say("alo có ai không") == []  # the bot stays silent while staff hold the conversation
        messages = lan.get(f"/staff/api/conversations/{cid}").json()["messages"]
        assert [m["who"] for m in messages[:2]] == ["citizen", "bot"] and "khai sinh" in messages[1]["text"].lower()
        assert (messages[-1]["who"], messages[-1]["text"]) == ("citizen", "alo có ai không")
        assert lan.act(cid, "hand-back").status_code == 200
        answer = " ".join(reply["text"] for reply in say("lệ phí bao nhiêu"))  # the bot answers again, in context
        assert "(mã 1.001193)" in answer and "Phí, lệ phí" in answer

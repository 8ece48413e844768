"""Attacks on a stack started as `make run` starts it, each asserting the refusal (issue: close the doors).

Rasa, the action server and the gateway run as separate processes through bot.launcher, bound as in
production: the gateway on every interface, the internal servers on loopback with their tokens, Redis for
every shared count, low per-address limits. The gateway trusts 127.0.0.1 as its reverse proxy, so each
test reaches it "through the proxy" from an address of its own (X-Forwarded-For); the attacker talks to it
directly from 127.0.0.2, another loopback address, where forged forwarding headers count for nothing.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import count
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import create_engine, text

from bot import launcher
from bot.dossiers.model import Dossier
from bot.gateway import copy
from bot.handoff.accounts import Accounts
from bot.handoff.records import HandoffRecords
from bot.handoff.sessions import MAX_FAILURES
from bot.settings import Settings
from tests.conftest import GATEWAY_REDIS_URL, RASA_REDIS_DB, SLOT
from tests.test_staff_console import log_in
from tests.test_web_channel import tab

pytestmark = pytest.mark.e2e

LIMITS = {
    "CLIENT_LOOKUPS_PER_HOUR": "4",
    "CLIENT_CONVERSATIONS_PER_HOUR": "12",
    "CLIENT_HANDOFFS_PER_HOUR": "2",
    "CLIENT_MESSAGES_PER_MINUTE": "200",
    "DOSSIER_LOOKUPS_PER_HOUR": "3",
    "RETENTION_DAYS": "30",
    "RETENTION_SWEEP_INTERVAL": "1",
}
ATTACKER = "127.0.0.2"  # a loopback address that is not the trusted proxy
PASSWORD = "mat-khau-dung-1234"
JSON = {"content-type": "application/json"}
addresses = (f"198.51.100.{n}" for n in count(1))  # documentation addresses, one per citizen


@dataclass
class Stack:
    gateway: str
    rasa: str
    actions: str
    pids: dict[str, int]
    ports: launcher.Ports
    tokens: dict[str, str]
    database_url: str


@pytest.fixture(scope="module")
def stack(tmp_path_factory, sample_dossiers, assistant) -> Iterator[Stack]:
    """The stack beside the test assistant, whose fixture trained the model."""
    folder = tmp_path_factory.mktemp("security")
    database = folder / "motcua.db"
    shutil.copy(sample_dossiers[0].removeprefix("sqlite:///"), database)
    ports = launcher.Ports(rasa=5205 + 10 * SLOT, actions=5255 + 10 * SLOT, gateway=8205 + 10 * SLOT)
    tokens = launcher.internal_tokens(Settings.from_env({}))
    redis.Redis.from_url(GATEWAY_REDIS_URL).flushdb()
    env = {**tokens, **LIMITS, "REDIS_URL": GATEWAY_REDIS_URL, "DATABASE_URL": f"sqlite:///{database}"}
    env |= {"TRUSTED_PROXIES": "127.0.0.1", "SECRET_KEY": uuid.uuid4().hex}
    endpoints = launcher.endpoints_file(ports, folder, f"redis://127.0.0.1:6379/{RASA_REDIS_DB}", 30)
    processes = launcher.start(launcher.latest_model(), ports, endpoints, folder, env)
    try:
        launcher.wait_ready(ports, processes, tokens["RASA_TOKEN"])
        processes.append(launcher.start_gateway(ports, folder, env))
        launcher.wait_for([f"http://127.0.0.1:{ports.gateway}/readyz"], processes)
        pids = dict(zip(("actions", "rasa", "gateway"), (p.pid for p in processes), strict=True))
        yield Stack(
            f"http://127.0.0.1:{ports.gateway}",
            f"http://127.0.0.1:{ports.rasa}",
            f"http://127.0.0.1:{ports.actions}",
            pids,
            ports,
            tokens,
            f"sqlite:///{database}",
        )
    finally:
        launcher.stop(processes)


class Citizen:
    """One person at one address: through the trusted proxy, or straight from the attacker's address."""

    def __init__(self, stack: Stack, address: str | None = None, direct: bool = False) -> None:
        self.stack = stack
        self.address = address or next(addresses)
        transport = httpx.HTTPTransport(local_address=ATTACKER) if direct else None
        headers = {} if direct else {"X-Forwarded-For": self.address}
        self.http = httpx.Client(base_url=stack.gateway, transport=transport, headers=headers, timeout=60)

    def say(self, message: str, sender: str | None = None) -> str:
        response = self.http.post("/webhooks/rest/webhook", json={"sender": sender or new_sender(), "message": message})
        assert response.status_code == 200, response.text
        return "\n".join(item.get("text", "") for item in response.json())


def new_sender() -> str:
    return f"sec-{uuid.uuid4().hex[:12]}"


# Internal means internal


def _listening(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket process `pid` listens on, from /proc (what `ss -ltnp` reads)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().as_posix()
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table, size in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # LISTEN
                address, port = fields[1].split(":")
                found.add((_address(address, size), int(port, 16)))
    return found


def _address(hexed: str, size: int) -> str:
    if size == 8:
        return ".".join(str(int(hexed[i : i + 2], 16)) for i in range(6, -1, -2))
    words = [hexed[i : i + 8] for i in range(0, 32, 8)]
    raw = b"".join(bytes.fromhex(word)[::-1] for word in words)
    return "::" if not any(raw) else ("::1" if raw == b"\0" * 15 + b"\1" else raw.hex())


def test_only_the_gateway_listens_beyond_loopback(stack: Stack) -> None:
    assert _listening(stack.pids["rasa"]) == {("127.0.0.1", stack.ports.rasa)}
    assert _listening(stack.pids["actions"]) == {("127.0.0.1", stack.ports.actions)}
    assert ("0.0.0.0", stack.ports.gateway) in _listening(stack.pids["gateway"])


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/conversations/rest:{cid}/tracker", None),
        ("POST", "/conversations/rest:{cid}/tracker/events", [{"event": "pause"}]),
        ("PUT", "/model", {"model_file": "/tmp/x.tar.gz"}),
        ("GET", "/status", None),
        ("POST", "/webhooks/gateway/webhook", {"sender": "rest:{cid}", "message": "xin chào"}),
    ],
)
@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_rasa_refuses_every_call_without_its_token(stack: Stack, method, path, body, token) -> None:
    cid = new_sender()
    params = {"token": token} if token else {}
    raw = json.dumps(body).replace("{cid}", cid) if body is not None else None
    response = httpx.request(method, stack.rasa + path.format(cid=cid), params=params, content=raw, timeout=30)
    assert response.status_code == 401, (response.status_code, response.text[:200])


def test_rasa_no_longer_serves_an_open_rest_channel_and_no_cors(stack: Stack) -> None:
    response = httpx.post(f"{stack.rasa}/webhooks/rest/webhook", json={"sender": "x", "message": "hi"}, timeout=30)
    assert response.status_code == 404
    preflight = httpx.options(
        f"{stack.rasa}/status", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_a_pause_attempt_leaves_the_conversation_with_the_bot(stack: Stack) -> None:
    citizen, sender = Citizen(stack), new_sender()
    assert citizen.say("xin chào", sender)
    httpx.post(f"{stack.rasa}/conversations/rest:{sender}/tracker/events", json=[{"event": "pause"}], timeout=30)
    assert "khai sinh" in citizen.say("lam giay khai sinh can gi", sender).lower()
    tracker = httpx.get(
        f"{stack.rasa}/conversations/rest:{sender}/tracker", params={"token": stack.tokens["RASA_TOKEN"]}
    )
    assert tracker.status_code == 200 and not tracker.json()["paused"]


def _forged_action_call(code: str) -> dict:
    tracker = {
        "sender_id": "forged",
        "slots": {"dossier_code": code},
        "latest_message": {"text": f"tra cứu {code}", "intent": {"name": "check_dossier_status"}, "entities": []},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }
    return {"next_action": "action_check_dossier", "sender_id": "forged", "tracker": tracker, "domain": {}}


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "Basic Zm9vOmJhcg=="])
def test_the_action_server_refuses_forged_trackers(stack: Stack, sample_dossiers, authorization) -> None:
    dossier: Dossier = sample_dossiers[1][0]
    headers = {"Authorization": authorization} if authorization else {}
    response = httpx.post(f"{stack.actions}/webhook", json=_forged_action_call(dossier.code), headers=headers)
    assert response.status_code == 401
    assert dossier.code not in response.text
    assert httpx.get(f"{stack.actions}/actions", headers=headers).status_code == 401
    assert httpx.get(f"{stack.actions}/health").status_code == 200  # says only that it is up


# Abuse limits at the edge


def test_dossier_lookups_are_limited_per_address_whatever_the_sender_ids(stack: Stack, sample_dossiers) -> None:
    attacker = Citizen(stack, direct=True)
    code = sample_dossiers[1][0].code
    answers = []
    for n in range(8):
        attacker.http.headers["X-Forwarded-For"] = f"203.0.113.{n}"  # forged: the peer is not a trusted proxy
        answers.append(attacker.say(f"tra cứu hồ sơ {code}"))
    found = [a for a in answers if code in a and "chưa tìm thấy" not in a and "nhiều lần" not in a]
    assert len(found) == int(LIMITS["CLIENT_LOOKUPS_PER_HOUR"])
    assert all("nhiều lần" in answer for answer in answers[len(found) :])
    assert code in Citizen(stack).say(f"tra cứu hồ sơ {code}")  # someone else is not affected


def test_a_near_miss_code_is_never_hinted(stack: Stack, sample_dossiers) -> None:
    code = sample_dossiers[1][0].code
    near = code[:-1] + ("1" if code[-1] != "1" else "2")
    answer = Citizen(stack).say(f"tra cứu hồ sơ {near}")
    assert "chưa tìm thấy" in answer and "gõ nhầm" not in answer


def test_new_conversations_are_limited_per_address(stack: Stack) -> None:
    citizen = Citizen(stack)
    answers = [citizen.say("xin chào") for _ in range(15)]
    allowed = int(LIMITS["CLIENT_CONVERSATIONS_PER_HOUR"])
    assert all(copy.TOO_MANY_CONVERSATIONS not in answer for answer in answers[:allowed])
    assert all(answer == copy.TOO_MANY_CONVERSATIONS for answer in answers[allowed:])
    assert copy.TOO_MANY_CONVERSATIONS not in Citizen(stack).say("xin chào")


def _waiting(stack: Stack, prefix: str) -> int:
    with create_engine(stack.database_url).connect() as connection:
        query = text("SELECT count(*) FROM handoff_conversations WHERE state = 'waiting' AND conversation_id LIKE :p")
        return connection.execute(query, {"p": f"{prefix}%"}).scalar_one()


def test_one_address_cannot_fill_the_staff_queue(stack: Stack) -> None:
    citizen, senders = Citizen(stack), [f"queue-{uuid.uuid4().hex[:8]}" for _ in range(5)]
    answers = [citizen.say("cho tôi gặp cán bộ", sender) for sender in senders]
    allowed = int(LIMITS["CLIENT_HANDOFFS_PER_HOUR"])
    assert _waiting(stack, "rest:queue-") >= allowed
    assert sum(copy.HANDOFF_LIMITED in answer for answer in answers) == len(senders) - allowed
    assert _waiting(stack, "rest:queue-") == allowed
    refused = senders[-1]  # its conversation stays with the bot, which answers the next question
    assert "khai sinh" in citizen.say("lam giay khai sinh can gi", refused).lower()


def test_forged_forwarded_for_neither_resets_the_login_limit_nor_reaches_the_audit_log(stack: Stack) -> None:
    records = HandoffRecords(stack.database_url)
    try:
        Accounts(records).create("lan", "Nguyễn Thị Lan", PASSWORD)
    finally:
        records.close()
    attacker = Citizen(stack, direct=True)
    statuses = []
    for n in range(MAX_FAILURES + 1):
        attacker.http.headers["X-Forwarded-For"] = f"203.0.113.{100 + n}"
        statuses.append(log_in(attacker.http, "lan", "sai-mat-khau").status_code)
    assert statuses == [401] * (MAX_FAILURES - 1) + [429, 429]
    officer = Citizen(stack)  # the officer, through the proxy, from her own address
    assert log_in(officer.http, "lan", PASSWORD).status_code == 200
    records = HandoffRecords(stack.database_url)
    try:
        logins = [entry.detail for entry in records.audit_log() if entry.action == "login"]
        failures = records.failed_logins(datetime(2000, 1, 1, tzinfo=timezone.utc), username="lan")
    finally:
        records.close()
    assert logins == [officer.address]
    assert len(failures) == MAX_FAILURES


# Secrets stay secret


def test_the_widget_session_never_reaches_staff_or_any_store(stack: Stack) -> None:
    session = uuid.uuid4().hex + uuid.uuid4().hex[:8]
    citizen = Citizen(stack)
    body = {"session": session, "text": "tôi muốn gặp cán bộ", "client_message_id": "m1"}
    response = citizen.http.post("/api/widget/messages", json=body)
    assert response.status_code == 200 and response.json()["messages"]
    history = citizen.http.get("/api/widget/history", params={"session": session}).json()["entries"]
    assert history[0]["text"] == "tôi muốn gặp cán bộ"
    with create_engine(stack.database_url).connect() as connection:
        ids = [row[0] for row in connection.execute(text("SELECT conversation_id FROM handoff_conversations"))]
    assert any(cid.startswith("web:") for cid in ids)
    assert session.encode() not in Path(stack.database_url.removeprefix("sqlite:///")).read_bytes()
    gateway_state = redis.Redis.from_url(GATEWAY_REDIS_URL)
    assert not any(session.encode() in key for key in gateway_state.keys("*"))
    assert not any(session.encode() in key for key in redis.Redis(db=RASA_REDIS_DB).keys("*"))


# Hostile input


def test_lone_surrogates_are_replaced_not_a_500(stack: Stack) -> None:
    citizen, sender = Citizen(stack), new_sender()
    raw = f'{{"sender": "{sender}", "message": "\\ud800 lam ho chieu can gi"}}'
    response = citizen.http.post("/webhooks/rest/webhook", content=raw, headers=JSON)
    assert response.status_code == 200 and response.json()
    widget = f'{{"session": "{uuid.uuid4().hex}", "text": "\\udfff xin chao"}}'
    response = citizen.http.post("/api/widget/messages", content=widget, headers=JSON)
    assert response.status_code == 200 and response.json()["messages"]


def test_invalid_utf8_and_oversized_bodies_are_refused_in_vietnamese(stack: Stack) -> None:
    citizen = Citizen(stack)
    invalid = citizen.http.post(
        "/webhooks/rest/webhook",
        content=b'{"sender": "a", "message": "\xff\xfe"}',
        headers=JSON,
    )
    assert invalid.status_code == 400 and "UTF-8" in invalid.json()["detail"]
    huge = b'{"sender": "a", "message": "' + b"a" * (30 * 1024 * 1024) + b'"}'
    too_large = citizen.http.post("/webhooks/rest/webhook", content=huge, headers=JSON)
    assert too_large.status_code == 413 and too_large.json()["detail"] == "Nội dung gửi lên quá lớn."

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams
        yield b'{"sender": "a", "message": "'
        for _ in range(400):
            yield b"a" * 1024
        yield b'"}'

    streamed = citizen.http.post("/webhooks/rest/webhook", content=chunks(), headers=JSON)
    assert streamed.status_code == 413


def test_websocket_errors_are_in_vietnamese(stack: Stack) -> None:
    async def scenario() -> list[dict]:
        async with tab(stack.gateway, uuid.uuid4().hex) as widget:
            await widget.send("{not json")
            invalid = await widget.frame()
            await widget.send({"type": "message", "text": "x", "client_message_id": "bad id!"})
            bad_id = await widget.frame()
            await widget.send('{"type": "message", "text": "\\ud800 xin chao", "client_message_id": "ok1"}')
            return [invalid, bad_id, *await widget.until("reply")]

    invalid, bad_id, *answer = asyncio.run(scenario())
    assert invalid == {"type": "error", "detail": "Tin nhắn không phải JSON hợp lệ."}
    assert bad_id == {"type": "error", "detail": "Mã tin nhắn không hợp lệ."}
    assert answer[-1]["messages"]  # the surrogate was replaced; the message was answered


@pytest.mark.parametrize("path", ["/", "/staff", "/staff/", "/staff/login", "/webhooks/rest/webhook"])
def test_a_forged_host_is_refused(stack: Stack, path: str) -> None:
    response = httpx.get(stack.gateway + path, headers={"Host": "evil.example"}, follow_redirects=False)
    assert response.status_code == 400
    assert "evil.example" not in response.headers.get("location", "")


def test_pages_carry_csp_and_frame_denial_and_load_the_widget_from_the_gateway(stack: Stack) -> None:
    for path in ("/", "/staff/login"):
        page = httpx.get(stack.gateway + path)
        assert page.status_code == 200
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["x-content-type-options"] == "nosniff"
    assert f'<script src="{stack.gateway}/widget.js"' in httpx.get(stack.gateway + "/").text  # its own host


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json", "/no-such-page"])
def test_api_docs_are_off_and_unknown_paths_answer_in_vietnamese(stack: Stack, path: str) -> None:
    response = httpx.get(stack.gateway + path)
    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy địa chỉ này."


def test_readiness_names_no_connection_string(stack: Stack) -> None:
    body = httpx.get(stack.gateway + "/readyz").text
    assert "127.0.0.1" not in body and "6379" not in body and "redis://" not in body


# Data retention


def test_the_gateway_sweeps_old_transcripts_away(stack: Stack) -> None:
    records = HandoffRecords(stack.database_url)
    old, fresh = f"rest:{new_sender()}", f"rest:{new_sender()}"
    now = datetime.now(timezone.utc)
    try:
        records.add_message(old, "citizen", "tin nhắn cũ", now - timedelta(days=31))
        records.add_message(fresh, "citizen", "tin nhắn mới", now - timedelta(days=29))
        deadline = time.monotonic() + 20
        while records.transcript(old) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not records.transcript(old)
        assert records.transcript(fresh)
    finally:
        records.close()


def test_conversations_expire_in_redis(stack: Stack) -> None:
    sender = new_sender()
    Citizen(stack).say("xin chào", sender)
    month = 30 * 24 * 3600
    tracker_ttl = redis.Redis(db=RASA_REDIS_DB).ttl(f"tracker:rest:{sender}")
    history_ttl = redis.Redis.from_url(GATEWAY_REDIS_URL).ttl(f"motcua:history:rest:{sender}")
    assert 0 < tracker_ttl <= month and 0 < history_ttl <= month

"""The Zalo OA channel over real sockets: signed events into the gateway, replies and token refreshes
through a fake Zalo API, state in the real Redis; the e2e tests answer with the trained assistant."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import random
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import redis

from bot.gateway import copy
from bot.gateway.app import create_app
from bot.gateway.conversations import Gateway
from bot.gateway.model import Link, Outbound
from bot.gateway.rasa import RasaClient
from bot.gateway.state import PREFIX, MemoryState
from bot.messages import Button
from bot.settings import Settings
from connectors.zalo import CHOOSE_HINT, WELCOME, ZaloChannel
from connectors.zalo_tokens import fingerprint
from tests.conftest import GATEWAY_REDIS_URL, gateway_settings
from tests.fakes.zalo_api import LIFETIME, Call, FakeZalo
from tests.servers import free_port, serving

APP_ID = "4416238712093847512"
OA_ID = "1720038615283736150"
APP_SECRET = "Xk2LpQ9vRt7wYz3mNb5c"
OA_SECRET = "O8sdF3kLq0ZpW2xV7nRt"
ENV_ACCESS = "env-access-token"
ENV_REFRESH = "env-refresh-token"
MAX_AGE = 300


def digits() -> str:
    return str(random.randint(10**18, 10**19 - 1))


def now_ms(shift: float = 0) -> str:
    return str(int((time.time() + shift) * 1000))


def sign(app_id: str, raw: bytes, timestamp: str, secret: str = OA_SECRET) -> str:
    """Zalo's formula, written out independently of the channel's."""
    return "mac=" + hashlib.sha256(f"{app_id}{raw.decode()}{timestamp}{secret}".encode()).hexdigest()


def user_event(name: str, user: str, message: dict[str, Any], **fields: Any) -> dict[str, Any]:
    event = {
        "app_id": APP_ID,
        "user_id_by_app": digits(),
        "event_name": name,
        "timestamp": now_ms(),
        "sender": {"id": user},
        "recipient": {"id": OA_ID},
        "message": {"msg_id": uuid.uuid4().hex[:20], **message},
    }
    return event | fields


def text_event(user: str, text: str, **fields: Any) -> dict[str, Any]:
    return user_event("user_send_text", user, {"text": text}, **fields)


def sticker_event(user: str) -> dict[str, Any]:
    sticker = {"type": "sticker", "payload": {"id": "46a5b0c7", "url": "https://zalo-api.zadn.vn/api/emoticon/sticker"}}
    return user_event("user_send_sticker", user, {"attachments": [sticker]})


def follow_event(user: str, name: str = "follow") -> dict[str, Any]:
    return {
        "app_id": APP_ID,
        "oa_id": OA_ID,
        "user_id_by_app": digits(),
        "event_name": name,
        "timestamp": now_ms(),
        "source": "oa_profile",
        "follower": {"id": user},
    }


def serialised(event: dict[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


class Webhook:
    """Zalo's side of `POST /webhooks/zalo`."""

    def __init__(self, base_url: str) -> None:
        self.url = f"{base_url}/webhooks/zalo"

    def post(self, event: dict[str, Any], signature: str | None = None, signed: bool = True) -> httpx.Response:
        raw = serialised(event)
        headers = {"Content-Type": "application/json"}
        if signed:
            headers["X-ZEvent-Signature"] = signature or sign(event["app_id"], raw, event["timestamp"])
        return httpx.post(self.url, content=raw, headers=headers, timeout=10)

    def deliver(self, event: dict[str, Any]) -> None:
        assert self.post(event).status_code == 200


def wait_until(condition: Callable[[], Any], timeout: float = 30, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what or condition}")


def calls_to(fake: FakeZalo, user: str) -> list[Call]:
    """Every message call to one user, delivered or not."""
    return [c for c in fake.message_calls if c.body["recipient"]["user_id"] == user]


def texts(fake: FakeZalo, user: str) -> list[str]:
    return [m["text"] for m in fake.delivered(user)]


def stored(key: str) -> Any:
    raw = redis.Redis.from_url(GATEWAY_REDIS_URL, decode_responses=True).get(PREFIX + key)
    return json.loads(raw) if raw else None


def redis_has(key: str) -> bool:
    return bool(redis.Redis.from_url(GATEWAY_REDIS_URL).exists(PREFIX + key))


def followers() -> set[str]:
    return redis.Redis.from_url(GATEWAY_REDIS_URL, decode_responses=True).smembers(PREFIX + "zalo:followers")


def zalo_env(fake: FakeZalo) -> dict[str, str]:
    return {
        "ZALO_APP_ID": APP_ID,
        "ZALO_OA_SECRET_KEY": OA_SECRET,
        "ZALO_APP_SECRET": APP_SECRET,
        "ZALO_ACCESS_TOKEN": ENV_ACCESS,
        "ZALO_REFRESH_TOKEN": ENV_REFRESH,
        "ZALO_API_URL": fake.url,
        "ZALO_OAUTH_URL": fake.url,
        "ZALO_MAX_EVENT_AGE": str(MAX_AGE),
    }


@contextlib.contextmanager
def gateway(settings: Settings, services) -> Iterator[Webhook]:
    with serving(create_app(settings, services)) as url:
        yield Webhook(url)


@pytest.fixture
def fake() -> Iterator[FakeZalo]:
    zalo = FakeZalo(APP_ID, APP_SECRET, ENV_ACCESS, ENV_REFRESH)
    with serving(zalo.app) as url:
        zalo.url = url
        yield zalo


@pytest.fixture
def offline_settings(fake, sample_dossiers) -> Settings:
    """A gateway whose Rasa is not running: enough for everything that never reaches the assistant."""
    env = {"RASA_URL": f"http://127.0.0.1:{free_port()}", "REDIS_URL": GATEWAY_REDIS_URL}
    return Settings.from_env(env | {"DATABASE_URL": sample_dossiers[0]} | zalo_env(fake))


@pytest.fixture
def offline(offline_settings, services, clean_gateway_redis) -> Iterator[Webhook]:
    with gateway(offline_settings, services) as webhook:
        yield webhook


@pytest.fixture
def online(assistant, fake, services, clean_gateway_redis) -> Iterator[Webhook]:
    with gateway(gateway_settings(assistant, **zalo_env(fake)), services) as webhook:
        yield webhook


# --- the webhook: who may post, and what is ignored ---------------------------------------------------


def test_zalo_check_button_gets_200(offline):
    assert httpx.get(offline.url).status_code == 200
    assert httpx.post(offline.url, content=b"").status_code == 200


@pytest.mark.parametrize("raw", [b'{"app_id": "44162', b"[1, 2]", b"\xff\xfe"])
def test_malformed_json_is_a_400(offline, raw):
    response = httpx.post(offline.url, content=raw, headers={"X-ZEvent-Signature": "mac=00"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("forge", "signed"),
    [
        (lambda event: None, False),  # no X-ZEvent-Signature header
        (lambda event: sign(event["app_id"], serialised(event), event["timestamp"], secret="not-ours"), True),
        (lambda event: sign(event["app_id"], b'{"text":"edited"}', event["timestamp"]), True),  # another body
        (lambda event: event.update(app_id="2143658709214365870"), True),  # another app, signed with its data
        (lambda event: event.update(timestamp=now_ms(-MAX_AGE - 60)), True),  # a replayed old event
        (lambda event: event.update(timestamp=now_ms(MAX_AGE + 60)), True),  # from the future
    ],
    ids=["missing", "wrong-secret", "other-body", "other-app", "stale", "future"],
)
def test_forged_or_stale_events_are_refused_and_never_processed(offline, fake, forge, signed):
    forger = digits()
    event = text_event(forger, "xin chào")
    signature = forge(event)
    assert offline.post(event, signature=signature, signed=signed).status_code == 401

    witness = digits()  # a genuine event after it, to know the gateway has had time to act
    offline.deliver(sticker_event(witness))
    wait_until(lambda: fake.delivered(witness), what="the witness's reply")
    assert fake.delivered(forger) == []
    assert not redis_has(f"seen:zalo:{forger}:{event['message']['msg_id']}")
    assert not redis_has(f"history:zalo:{forger}")


def test_sticker_gets_the_text_only_reply_with_the_token_and_recipient(offline, fake):
    user = digits()
    event = sticker_event(user)
    offline.deliver(event)
    offline.deliver(event)  # Zalo retrying the same delivery
    wait_until(lambda: fake.delivered(user))
    time.sleep(0.3)
    assert texts(fake, user) == [copy.UNSUPPORTED]
    (call,) = calls_to(fake, user)
    assert call.headers["access_token"] == stored("zalo:token")["access_token"]
    assert call.headers["content-type"] == "application/json"


def test_follow_is_welcomed_and_recorded_then_unfollow_removes(offline, fake):
    user = digits()
    offline.deliver(follow_event(user))
    wait_until(lambda: fake.delivered(user))
    assert texts(fake, user) == [WELCOME]
    assert user in followers()
    offline.deliver(follow_event(user, "unfollow"))
    wait_until(lambda: user not in followers(), what="the unfollow")
    assert texts(fake, user) == [WELCOME]


def test_echo_of_the_oas_own_message_is_ignored(offline, fake):
    user = digits()
    echo = user_event("oa_send_text", OA_ID, {"text": "Dạ, em chào anh/chị"}, recipient={"id": user})
    echo["sender"]["admin_id"] = digits()
    offline.deliver(echo)
    offline.deliver(user_event("user_seen_message", OA_ID, {"msg_ids": ["a1b2"]}, recipient={"id": user}))
    witness = digits()
    offline.deliver(sticker_event(witness))
    wait_until(lambda: fake.delivered(witness))
    time.sleep(0.3)
    assert [c.body["recipient"]["user_id"] for c in fake.message_calls] == [witness]


# --- the access token ---------------------------------------------------------------------------------


def _seed_expiring_token(fake: FakeZalo) -> None:
    """A token stored by an earlier run, two minutes from expiry (Zalo still takes it)."""
    token = {
        "access_token": "stored-access",
        "refresh_token": "stored-refresh",
        "expires_at": time.time() + 120,
        "seed": fingerprint(ENV_REFRESH),
    }
    redis.Redis.from_url(GATEWAY_REDIS_URL).set(PREFIX + "zalo:token", json.dumps(token))
    fake.access_tokens, fake.refresh_token = {"stored-access"}, "stored-refresh"


def test_token_is_refreshed_before_expiry_and_the_rotation_survives_a_restart(
    fake, offline_settings, services, clean_gateway_redis
):
    _seed_expiring_token(fake)
    first, second = digits(), digits()
    with gateway(offline_settings, services) as webhook:
        webhook.deliver(sticker_event(first))
        wait_until(lambda: fake.delivered(first))
    (refresh,) = fake.refresh_calls
    assert refresh.headers["secret_key"] == APP_SECRET
    assert refresh.body == {"refresh_token": "stored-refresh", "app_id": APP_ID, "grant_type": "refresh_token"}
    token = stored("zalo:token")
    assert token["access_token"] == refresh.answer["access_token"]
    assert token["refresh_token"] == refresh.answer["refresh_token"] == fake.refresh_token
    assert token["expires_at"] == pytest.approx(time.time() + LIFETIME, abs=60)
    (sent,) = fake.message_calls
    assert sent.headers["access_token"] == token["access_token"]

    with gateway(offline_settings, services) as webhook:  # a restart, same environment
        webhook.deliver(sticker_event(second))
        wait_until(lambda: fake.delivered(second))
    assert len(fake.refresh_calls) == 1
    assert fake.message_calls[-1].headers["access_token"] == token["access_token"]
    assert all(c.headers.get("access_token") != ENV_ACCESS for c in fake.calls)


def test_a_new_refresh_token_in_the_environment_starts_a_new_chain(
    fake, offline_settings, services, clean_gateway_redis
):
    """After a new authorisation the operator sets new ZALO_* tokens: they replace the stored ones."""
    earlier = {"access_token": "old-access", "refresh_token": "old-refresh", "expires_at": time.time() + 50000}
    earlier["seed"] = fingerprint("refresh-token-of-an-earlier-authorisation")
    redis.Redis.from_url(GATEWAY_REDIS_URL).set(PREFIX + "zalo:token", json.dumps(earlier))
    user = digits()
    with gateway(offline_settings, services) as webhook:
        webhook.deliver(sticker_event(user))
        wait_until(lambda: fake.delivered(user))
    assert [c.body["refresh_token"] for c in fake.refresh_calls] == [ENV_REFRESH]
    assert stored("zalo:token")["seed"] == fingerprint(ENV_REFRESH)
    assert all(c.headers["access_token"] != "old-access" for c in fake.message_calls)


def _settled(webhook: Webhook, fake: FakeZalo) -> None:
    """Wait for the start-up refresh of the environment's token, with one delivered message."""
    user = digits()
    webhook.deliver(sticker_event(user))
    wait_until(lambda: fake.delivered(user))


def test_a_refused_token_is_refreshed_and_the_message_sent_once_more(offline, fake):
    _settled(offline, fake)
    refreshes = len(fake.refresh_calls)
    fake.revoke_access_tokens()
    user = digits()
    offline.deliver(sticker_event(user))
    wait_until(lambda: fake.delivered(user))
    calls = calls_to(fake, user)
    assert [c.answer["error"] for c in calls] == [-216, 0]
    assert fake.refresh_calls[0].body["refresh_token"] == ENV_REFRESH  # seeded from the environment
    assert len(fake.refresh_calls) == refreshes + 1
    assert calls[1].headers["access_token"] == fake.refresh_calls[-1].answer["access_token"]


def test_a_token_refused_again_is_not_retried_forever(offline, fake):
    _settled(offline, fake)
    fake.invalid_token_always = True
    user = digits()
    offline.deliver(sticker_event(user))
    wait_until(lambda: len(calls_to(fake, user)) == 2)
    time.sleep(0.5)
    assert [c.answer["error"] for c in calls_to(fake, user)] == [-216, -216]
    fake.invalid_token_always = False
    _settled(offline, fake)  # still serving


def test_outside_the_window_is_logged_not_retried(offline, fake):
    _settled(offline, fake)
    refreshes = len(fake.refresh_calls)
    user = digits()
    fake.closed_windows.add(user)
    offline.deliver(sticker_event(user))
    wait_until(lambda: calls_to(fake, user))
    _settled(offline, fake)  # the gateway goes on serving others
    calls = calls_to(fake, user)
    assert [c.answer["error"] for c in calls] == [-230]
    assert len(fake.refresh_calls) == refreshes


def test_network_failures_are_retried_with_backoff(offline, fake):
    _settled(offline, fake)
    fake.http_failures = 2
    user = digits()
    offline.deliver(sticker_event(user))
    wait_until(lambda: fake.delivered(user))
    calls = calls_to(fake, user)
    assert [c.answer.get("error") for c in calls] == [None, None, 0]


# --- rendering: one channel sending straight to the fake API ------------------------------------------


def send_directly(fake: FakeZalo, user: str, messages: list[Outbound]) -> MemoryState:
    """`ZaloChannel.send` as the gateway calls it for late answers and staff replies; the state it kept."""
    settings = Settings.from_env(zalo_env(fake))
    state = MemoryState()

    async def run() -> None:
        channel = ZaloChannel(settings, Gateway(settings, state, RasaClient(settings.rasa_url, 1)))
        try:
            await channel.send(user, messages)
        finally:
            await channel.stop()
            await channel.gateway.rasa.close()

    asyncio.run(run())
    return state


def test_long_reply_is_split_at_2000_characters(fake):
    paragraphs = [f"Đoạn {i}: " + " ".join(["giấy tờ cần chuẩn bị"] * 30) for i in range(12)]
    text = "\n\n".join(paragraphs)
    assert len(text) > 6000
    user = digits()
    send_directly(fake, user, [Outbound(text, buttons=(Button("Gặp cán bộ", "/request_human"),))])
    sent = fake.delivered(user)
    assert len(sent) >= 4
    assert all(len(m["text"]) <= 2000 for m in sent)
    assert "\n\n".join(m["text"] for m in sent) == text
    assert [("attachment" in m) for m in sent] == [False] * (len(sent) - 1) + [True]


def test_buttons_become_query_buttons_and_links_url_buttons(fake):
    long_name = "Thủ tục đăng ký khai sinh, đăng ký nhận cha, mẹ, con, bổ sung thông tin hộ tịch " * 3
    message = Outbound(
        "Dạ, anh/chị muốn hỏi thủ tục nào ạ?",
        buttons=(Button(long_name, '/ask_documents{"procedure_code": "1.001193"}'), Button("Gặp cán bộ", "/x")),
        links=(Link("Cổng dịch vụ công", "https://dichvucong.gov.vn"),),
    )
    user = digits()
    send_directly(fake, user, [message])
    (sent,) = fake.delivered(user)
    assert sent["text"] == message.text
    assert sent["attachment"]["type"] == "template"
    first, second, link = sent["attachment"]["payload"]["buttons"]
    assert first["type"] == "oa.query.hide"
    assert first["payload"] == '/ask_documents{"procedure_code": "1.001193"}'
    assert len(first["title"]) <= 100 and first["title"].endswith("…")
    assert second == {"type": "oa.query.hide", "title": "Gặp cán bộ", "payload": "/x"}
    assert link == {
        "type": "oa.open.url",
        "title": "Cổng dịch vụ công",
        "payload": {"url": "https://dichvucong.gov.vn"},
    }


def test_more_than_five_buttons_become_numbered_choices_that_are_remembered(fake):
    buttons = tuple(Button(f"Lựa chọn {i}", f'/inform{{"choice": {i}}}') for i in range(1, 7))
    user = digits()
    state = send_directly(fake, user, [Outbound("Anh/chị chọn giúp em ạ:", buttons=buttons)])
    (sent,) = fake.delivered(user)
    assert "attachment" not in sent
    lines = sent["text"].splitlines()
    assert lines[0] == "Anh/chị chọn giúp em ạ:"
    assert lines[2:] == [f"{i}. Lựa chọn {i}" for i in range(1, 7)] + [CHOOSE_HINT]
    remembered = asyncio.run(state.get(f"zalo:choices:{user}"))
    assert remembered == {"buttons": [b.as_dict() for b in buttons]}


def test_numbered_titles_are_numbered_once(fake):
    """The checklist's case buttons carry their number ("1. Thuê nhà"); numbered by Zalo they keep one."""
    buttons = tuple(Button(f"{i}. Trường hợp {i}", f'/inform{{"checklist_answer": "case:{i}"}}') for i in range(1, 7))
    user = digits()
    send_directly(fake, user, [Outbound("Anh/chị thuộc trường hợp nào ạ?", buttons=buttons)])
    (sent,) = fake.delivered(user)
    assert sent["text"].splitlines()[2:8] == [f"{i}. Trường hợp {i}" for i in range(1, 7)]


def test_staff_replies_are_signed_with_the_staff_members_name(fake):
    user = digits()
    send_directly(fake, user, [Outbound("Hồ sơ của anh đã có kết quả ạ.", author="Nguyễn Thị Lan")])
    assert texts(fake, user) == ["Cán bộ Nguyễn Thị Lan: Hồ sơ của anh đã có kết quả ạ."]


# --- with the assistant -------------------------------------------------------------------------------


@pytest.mark.e2e
def test_text_message_is_answered_with_buttons_and_a_button_press_is_understood(online, fake):
    user = digits()
    online.deliver(text_event(user, "xin chào"))
    greeting = wait_until(lambda: fake.delivered(user), what="the greeting")[-1]
    assert greeting["text"].startswith("Dạ, em chào anh/chị!")
    assert greeting["attachment"]["payload"]["buttons"] == [
        {"type": "oa.query.hide", "title": title, "payload": payload}
        for title, payload in [
            ("Làm giấy khai sinh", '/ask_documents{"procedure_code": "1.001193"}'),
            ("Tra cứu hồ sơ", "/check_dossier_status"),
            ("Gặp cán bộ", "/request_human"),
        ]
    ]
    call = calls_to(fake, user)[0]
    assert call.headers["access_token"] == stored("zalo:token")["access_token"]

    online.deliver(text_event(user, "/check_dossier_status"))  # oa.query.hide sends its payload as text
    wait_until(lambda: any("mã hồ sơ" in t for t in texts(fake, user)[1:]), what="the dossier code question")


@pytest.mark.e2e
@pytest.mark.parametrize("with_msg_id", [True, False])
def test_a_repeated_delivery_is_answered_once(online, fake, with_msg_id):
    user = digits()
    event = text_event(user, "xin chào")
    if not with_msg_id:  # de-duplicated by a hash of the event instead
        del event["message"]["msg_id"]
    online.deliver(event)
    online.deliver(event)
    online.deliver(text_event(user, "cảm ơn em"))
    wait_until(lambda: any("không có gì" in t for t in texts(fake, user)), what="the thanks reply")
    assert sum(t.startswith("Dạ, em chào") for t in texts(fake, user)) == 1


@pytest.mark.e2e
def test_a_signed_event_with_a_lone_surrogate_is_answered(online, fake):
    user = digits()
    event = text_event(user, "\ud800 xin chào")
    raw = json.dumps(event).encode()  # the surrogate travels as the escape "\\ud800", as JSON allows
    headers = {"Content-Type": "application/json", "X-ZEvent-Signature": sign(APP_ID, raw, event["timestamp"])}
    assert httpx.post(online.url, content=raw, headers=headers, timeout=10).status_code == 200
    wait_until(lambda: any(t.startswith("Dạ, em chào") for t in texts(fake, user)), what="the greeting")


@pytest.mark.e2e
def test_checklist_answers_are_numbered_and_a_number_picks_the_payload(online, fake):
    user = digits()
    online.deliver(text_event(user, "kiểm tra giúp tôi đủ giấy tờ đăng ký kết hôn chưa"))
    question = wait_until(
        lambda: next((m for m in fake.delivered(user) if "6. Dừng" in m["text"]), None), what="numbered choices"
    )
    assert "Giấy tờ 1/1:" in question["text"]
    assert "1. ✔ Có rồi\n2. ✘ Chưa có\n3. Chưa rõ" in question["text"]
    assert "attachment" not in question

    online.deliver(text_event(user, "2"))  # "✘ Chưa có" for the only paper to bring
    missing = "Còn thiếu (1):\n✘ Tờ khai đăng ký kết hôn"
    wait_until(lambda: any(t.startswith(missing) for t in texts(fake, user)), what="the summary")
    history = redis.Redis.from_url(GATEWAY_REDIS_URL, decode_responses=True).lrange(
        PREFIX + f"history:zalo:{user}", 0, -1
    )
    said = [json.loads(entry)["text"] for entry in history if json.loads(entry)["who"] == "citizen"]
    assert said[-1] == "✘ Chưa có"

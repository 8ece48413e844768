"""The gateway in front of the real Rasa: REST channel, health, search API, bad input, delivery guarantees."""

import asyncio
import contextlib
import json
import subprocess
import sys
import time
import uuid

import httpx
import pytest
import redis

from bot.gateway.app import create_app
from bot.gateway.state import RedisState
from tests.conftest import GATEWAY_REDIS_URL, RASA_REDIS_DB, gateway_settings
from tests.faulty_proxy import FaultyProxy
from tests.servers import free_port, serving

pytestmark = pytest.mark.e2e


@pytest.fixture
def gateway(assistant, services, clean_gateway_redis):
    """The gateway app served on a local socket, in front of the test assistant."""
    with serving(create_app(gateway_settings(assistant, MESSAGES_PER_MINUTE="5"), services)) as url:
        yield url


def say(url: str, sender: str, message, **extra) -> httpx.Response:
    return httpx.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message, **extra}, timeout=60)


def sender() -> str:
    return f"gw-{uuid.uuid4().hex[:10]}"


def texts(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return "\n".join(item["text"] for item in response.json())


def test_a_question_gets_rasas_answer_in_rasas_shape(gateway, assistant):
    citizen = sender()
    response = say(gateway, citizen, "lam giay khai sinh can gi")
    replies = response.json()
    assert replies and all(item["recipient_id"] == citizen for item in replies)
    assert "khai sinh" in texts(response).lower()


def test_conversations_are_namespaced_by_channel_and_kept_in_redis(gateway, assistant):
    citizen = sender()
    say(gateway, citizen, "xin chào")
    token = {"token": assistant.tokens["RASA_TOKEN"]}
    tracker = httpx.get(f"{assistant.rasa_url}/conversations/rest:{citizen}/tracker", params=token).json()
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == ["xin chào"]
    assert redis.Redis(db=RASA_REDIS_DB).exists(f"tracker:rest:{citizen}")


def test_buttons_come_through(gateway):
    response = say(gateway, sender(), "giấy phép")
    buttons = [b for item in response.json() for b in item.get("buttons", [])]
    assert buttons and all(b["title"] and b["payload"] for b in buttons)


def test_a_typed_reply_picks_a_procedure_just_offered(gateway):
    citizen = sender()
    asked = say(gateway, citizen, "kiểm tra giúp tôi giấy tờ mở công ty TNHH").json()
    assert any("2.001199" in b["payload"] for m in asked for b in m.get("buttons", []))
    picked = " ".join(m.get("text", "") for m in say(gateway, citizen, "hai thành viên").json())
    assert "(mã 2.001199)" in picked
    again = " ".join(m.get("text", "") for m in say(gateway, citizen, "hai thành viên").json())
    assert "(mã 2.001199)" not in again  # only the reply right after the choices is read as one


def test_a_repeated_delivery_is_answered_once(gateway):
    citizen = sender()
    first = say(gateway, citizen, "xin chào", message_id="m-1")
    second = say(gateway, citizen, "xin chào", message_id="m-1")
    assert first.json() and second.json() == []
    assert say(gateway, sender(), "xin chào", message_id="m-1").json(), "delivery ids are per sender"


@pytest.mark.parametrize(
    ("message", "expected"),
    [("", "chưa nhận được nội dung"), ("   ", "chưa nhận được nội dung"), ("a" * 10_000, "dài quá 2.000 ký tự")],
)
def test_empty_and_oversized_messages_get_a_polite_reply(gateway, message, expected):
    assert expected in texts(say(gateway, sender(), message))


@pytest.mark.parametrize("message", ["😀🙏", "<script>alert(1)</script>", "' OR 1=1 --", "\u0000\u200b"])
def test_odd_messages_get_a_vietnamese_answer(gateway, message):
    answer = texts(say(gateway, sender(), message))
    assert answer.strip() and "Traceback" not in answer


@pytest.mark.parametrize(
    "body", [b"{not json", b"[]", b'{"message": "x"}', b'{"sender": "", "message": "x"}', b'{"sender": 1}']
)
def test_malformed_requests_get_a_clean_4xx(gateway, body):
    response = httpx.post(
        f"{gateway}/webhooks/rest/webhook", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Yêu cầu không hợp lệ."


def test_the_rate_limit_answers_politely(gateway):
    citizen = sender()
    answers = [texts(say(gateway, citizen, "xin chào")) for _ in range(6)]
    assert all("gửi nhanh quá" not in answer for answer in answers[:5])
    assert "gửi nhanh quá" in answers[5]
    assert "gửi nhanh quá" not in texts(say(gateway, sender(), "xin chào"))


def test_health_and_readiness(gateway, assistant):
    assert httpx.get(f"{gateway}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{gateway}/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"rasa": True, "action_server": True, "state": True}


def test_readiness_names_what_is_down(assistant, services):
    dead = f"http://127.0.0.1:{free_port()}"
    settings = gateway_settings(assistant, RASA_URL=dead, REDIS_URL="redis://127.0.0.1:1/0")
    with serving(create_app(settings, services)) as url:
        ready = httpx.get(f"{url}/readyz", timeout=30)
    assert ready.status_code == 503
    assert ready.json()["failing"] == ["rasa", "state"]


def test_search_api_matches_the_cli(gateway):
    query = "lam giay khai sinh"
    api = httpx.get(f"{gateway}/api/procedures/search", params={"q": query, "limit": 3}).json()
    cli = subprocess.run(
        [sys.executable, "-m", "bot", "catalogue", "search", query, "--json", "--limit", "3"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert api["results"] == json.loads(cli.stdout)
    assert api["results"][0]["code"] == "1.001193"
    assert httpx.get(f"{gateway}/api/procedures/search", params={"q": ""}).status_code == 422


@pytest.fixture
def proxied(assistant, services, clean_gateway_redis):
    """Start a gateway whose Rasa sits behind a proxy the test can break (short timeout)."""
    with contextlib.ExitStack() as stack:

        def start(retry_interval: str = "0.5"):
            proxy = FaultyProxy(assistant.rasa_url, delay=4)
            rasa_url = stack.enter_context(serving(proxy.app))
            env = {"RASA_URL": rasa_url, "RASA_TIMEOUT": "1.5", "PENDING_RETRY_INTERVAL": retry_interval}
            url = stack.enter_context(serving(create_app(gateway_settings(assistant, **env), services)))
            return proxy, url

        yield start


def history(conversation: str) -> list[dict]:
    async def read() -> list[dict]:
        state = RedisState(GATEWAY_REDIS_URL)
        try:
            return await state.items(f"history:{conversation}")
        finally:
            await state.close()

    return asyncio.run(read())


def history_with(conversation: str, bot_replies: int, timeout: float = 40) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        entries = history(conversation)
        if sum(1 for e in entries if e["who"] == "bot") >= bot_replies:
            return entries
        time.sleep(0.3)
    raise AssertionError(f"fewer than {bot_replies} bot replies in {conversation}: {history(conversation)}")


@pytest.mark.parametrize("failure", ["down", "slow"])
def test_messages_wait_while_rasa_is_down_and_are_answered_in_order_when_it_is_back(proxied, failure, assistant):
    proxy, url = proxied()
    citizen = sender()
    proxy.mode = failure
    apologies = [texts(say(url, citizen, text)) for text in ("xin chào", "lam giay khai sinh can gi")]
    assert all("đã lưu tin nhắn" in apology for apology in apologies)
    assert [e["who"] for e in history(f"rest:{citizen}")] == ["citizen", "citizen"]
    proxy.mode = "up"
    entries = history_with(f"rest:{citizen}", bot_replies=2)
    bot_texts = [e["text"].lower() for e in entries if e["who"] == "bot"]
    assert "khai sinh" not in bot_texts[0] and "khai sinh" in " ".join(bot_texts[1:])
    assert "lệ phí" in texts(say(url, citizen, "lệ phí bao nhiêu")).lower()
    token = {"token": assistant.tokens["RASA_TOKEN"]}
    tracker = httpx.get(f"{proxy.target}/conversations/rest:{citizen}/tracker", params=token).json()
    turns = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    assert turns == ["xin chào", "lam giay khai sinh can gi", "lệ phí bao nhiêu"], "each message reaches Rasa once"


def test_a_new_message_after_an_outage_is_answered_after_the_waiting_ones(proxied):
    proxy, url = proxied(retry_interval="600")  # no background retry: the next message drains the queue
    citizen = sender()
    proxy.mode = "down"
    texts(say(url, citizen, "lam giay khai sinh can gi"))
    proxy.mode = "up"
    answer = texts(say(url, citizen, "lệ phí bao nhiêu")).lower()
    assert answer.index("khai sinh") < answer.index("lệ phí")


def test_without_redis_the_gateway_says_it_keeps_state_in_memory(assistant, services):
    settings = gateway_settings(assistant, REDIS_URL="")
    with serving(create_app(settings, services)) as url:
        ready = httpx.get(f"{url}/readyz").json()
        assert "khai sinh" in texts(say(url, sender(), "lam giay khai sinh can gi")).lower()
    assert ready["state_store"].startswith("memory")


def test_a_hand_back_rasa_missed_is_made_before_the_next_message_reaches_it(proxied):
    proxy, url = proxied()
    citizen = sender()
    say(url, citizen, "cho tôi gặp cán bộ")  # the bot pauses itself in Rasa and the desk queues the citizen
    proxy.mode = "down"
    assert "hủy yêu cầu" in texts(say(url, citizen, "#handoff:cancel"))  # back to the bot; Rasa unreachable
    assert "đã lưu tin nhắn" in texts(say(url, citizen, "lam giay khai sinh can gi"))
    proxy.mode = "up"
    entries = history_with(f"rest:{citizen}", bot_replies=2)
    assert "(mã 1.001193)" in " ".join(e["text"] for e in entries if e["who"] == "bot")
    assert "(mã 1.001193)" in texts(say(url, citizen, "lệ phí bao nhiêu"))


def test_rest_senders_that_would_break_rasa_urls_are_refused(gateway):
    for bad in ("a/../web:x", "a?b", "a#b", "a b"):
        assert say(gateway, bad, "xin chào").status_code == 422

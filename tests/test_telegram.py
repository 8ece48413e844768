"""The Telegram channel against a fake Bot API on a real socket; e2e tests also run the real assistant."""

from __future__ import annotations

import contextlib
import html
import json
import logging
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis
from fastapi import FastAPI

from bot.gateway.app import create_app
from bot.gateway.conversations import Gateway
from bot.gateway.model import Inbound, Link, Outbound
from bot.gateway.rasa import RasaClient
from bot.gateway.state import MemoryState
from bot.messages import Button
from bot.settings import PROJECT_ROOT, Settings
from connectors.telegram import HELP, SECRET_HEADER, TEXT_LIMIT, TelegramChannel, callback_data, html_chunks
from tests.conftest import GATEWAY_REDIS_URL, gateway_settings
from tests.fakes.telegram_api import (
    TOKEN,
    FakeTelegram,
    callback_update,
    sticker_update,
    text_update,
)
from tests.servers import serving

SECRET = "s3cret-Token_for-MotCua-tests"
PUBLIC_URL = "https://motcua.example.gov.vn"
NOWHERE = "http://127.0.0.1:9"  # no Rasa: for tests that never reach it
BIRTH = '/ask_documents{"procedure_code": "1.001193"}'  # the greeting's "Làm giấy khai sinh" button
TEXT_ONLY = "chỉ đọc được tin nhắn chữ"


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    with serving(fake.app) as url:
        fake.url = url
        yield fake


def telegram_env(telegram: FakeTelegram, **overrides: str) -> dict[str, str]:
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_URL": telegram.url,
        "PUBLIC_URL": PUBLIC_URL,
    }
    return env | overrides


def offline_settings(telegram: FakeTelegram, **overrides: str) -> Settings:
    """Gateway settings for tests that never reach Rasa."""
    env = {"RASA_URL": NOWHERE, "REDIS_URL": GATEWAY_REDIS_URL, **telegram_env(telegram, **overrides)}
    return Settings.from_env(env)


@contextlib.contextmanager
def gateway(settings: Settings, services, app_hook=None) -> Iterator[str]:
    app = create_app(settings, services)
    if app_hook:
        app_hook(app)
    with serving(app) as url:
        yield url


def post(url: str, update: Any, secret: str | None = SECRET) -> httpx.Response:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    return httpx.post(f"{url}/webhooks/telegram", json=update, headers=headers, timeout=10)


def new_chat() -> int:
    return random.randint(100_000_000, 999_999_999)


def new_update_id() -> int:
    return random.randint(100_000_000, 900_000_000)


def channel_for(settings: Settings) -> TelegramChannel:
    return TelegramChannel(settings, Gateway(settings, MemoryState(), RasaClient(NOWHERE, 1)))


# Rendering


def test_render_escapes_catalogue_text_for_html(telegram):
    channel = channel_for(offline_settings(telegram))
    (item,) = channel.render([Outbound("<script>alert('x')</script> Phí & lệ phí: 8.000 đồng")])
    assert item["text"] == "&lt;script&gt;alert('x')&lt;/script&gt; Phí &amp; lệ phí: 8.000 đồng"
    assert item["parse_mode"] == "HTML"
    assert item["reply_markup"] is None


def test_long_reply_split_at_line_boundaries_with_buttons_on_the_last_chunk(telegram):
    channel = channel_for(offline_settings(telegram))
    lines = [f"{i}. Bản sao Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở số {i:04d}" for i in range(150)]
    text = "\n".join(lines)
    assert len(text) > 2 * TEXT_LIMIT
    buttons = (Button("Lệ phí", '/ask_fee{"procedure_code": "1.001193"}'), Button("Gặp cán bộ", "/request_human"))
    rendered = channel.render([Outbound(text, buttons)])
    assert len(rendered) == 3
    assert all(len(item["text"]) <= TEXT_LIMIT for item in rendered)
    assert "\n".join(item["text"] for item in rendered) == text  # every cut falls between two lines
    assert [item.get("reply_markup") is None for item in rendered] == [True, True, False]
    keyboard = rendered[-1]["reply_markup"].inline_keyboard
    assert [[(b.text, b.callback_data) for b in row] for row in keyboard] == [
        [("Lệ phí", '/ask_fee{"procedure_code": "1.001193"}')],
        [("Gặp cán bộ", "/request_human")],
    ]


def test_the_escaped_text_is_what_is_limited():
    text = "\n".join(["Hồ sơ <bản chính> & bản sao"] * 130)  # fits in one message only before escaping
    chunks = html_chunks(text)
    assert len(text) < TEXT_LIMIT < len(html.escape(text, quote=False))
    assert len(chunks) == 2
    assert all(len(chunk) <= TEXT_LIMIT for chunk in chunks)
    assert "\n".join(html.unescape(chunk) for chunk in chunks) == text
    unbroken = html_chunks("&" * 5000)  # no space to split at: entities stay whole
    assert all(len(chunk) <= TEXT_LIMIT and html.unescape(chunk) == "&" * (len(chunk) // 5) for chunk in unbroken)
    assert sum(len(chunk) for chunk in unbroken) == 5 * 5000
    with_emoji = "\n".join(["📄 Hồ sơ"] * 500)  # 3,999 characters, 4,499 UTF-16 units as Telegram counts them
    emoji = html_chunks(with_emoji)
    assert len(emoji) == 2 and "\n".join(emoji) == with_emoji
    assert all(len(chunk.encode("utf-16-le")) // 2 <= TEXT_LIMIT for chunk in emoji)


def test_staff_messages_name_the_staff_member_and_links_are_listed(telegram):
    channel = channel_for(offline_settings(telegram))
    portal = Link("Cổng Dịch vụ công", "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html")
    in_text = "https://hochiminhcity.gov.vn"
    rendered = channel.render(
        [
            Outbound("Dạ, em đã chuyển cán bộ ạ.", author="system"),
            Outbound("Chào anh, hồ sơ đã đủ <đạt>.", links=(portal,), author="Trần Thị Mai"),
            Outbound(f"Xem thêm tại {in_text}", links=(Link(in_text, in_text),)),
        ]
    )
    assert [item["text"] for item in rendered] == [
        "Dạ, em đã chuyển cán bộ ạ.",
        "Cán bộ Trần Thị Mai: Chào anh, hồ sơ đã đủ &lt;đạt&gt;.\n"
        "Cổng Dịch vụ công: https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
        f"Xem thêm tại {in_text}",
    ]


def test_payloads_over_64_bytes_get_a_short_key():
    long_payload = '/ask_documents{"procedure_code": "1.001193", "procedure": "đăng ký khai sinh"}'
    assert len(long_payload.encode()) > 64
    key = callback_data(long_payload)
    assert len(key.encode()) <= 64 and key.startswith("#")
    assert key == callback_data(long_payload) != callback_data(long_payload + " ")
    assert callback_data(BIRTH) == BIRTH
    assert callback_data("#short").startswith("#") and callback_data("#short") != "#short"


# Parsing


def test_parse_text_commands_and_button_presses(telegram):
    channel = channel_for(offline_settings(telegram))
    (question,) = channel.parse(text_update(101, 555, "lệ phí làm hộ chiếu bao nhiêu"))
    assert question == Inbound("telegram", "555", "lệ phí làm hộ chiếu bao nhiêu", message_id="101")
    for start in ("/start", "/start@motcua_test_bot", "/START ref_zalo"):
        (inbound,) = channel.parse(text_update(102, 555, start))
        assert (inbound.text, inbound.shown) == ("/greet", start)
    assert channel.parse(text_update(103, 555, "/help")) == []
    assert channel.parse(sticker_update(104, 555)) == []
    sent = {
        "message_id": 77,
        "date": 1_760_000_000,
        "chat": {"id": 555, "type": "private"},
        "text": "Dạ, em chào anh/chị!",
        "reply_markup": {"inline_keyboard": [[{"text": "Làm giấy khai sinh", "callback_data": BIRTH}]]},
    }
    (pressed,) = channel.parse(callback_update(105, 555, sent, BIRTH))
    assert pressed == Inbound("telegram", "555", BIRTH, message_id="105", shown="Làm giấy khai sinh")


# Sending outside a request (late answers, staff replies)


@pytest.mark.anyio
async def test_late_answers_go_out_through_the_bot_api(telegram):
    settings = offline_settings(telegram)
    gateway = Gateway(settings, MemoryState(), RasaClient(NOWHERE, 1))
    channel = TelegramChannel(settings, gateway)
    gateway.register(channel)
    long_payload = '/ask_documents{"procedure_code": "1.001193", "procedure": "đăng ký khai sinh"}'
    offer = Button("Khai sinh", long_payload)
    staff_reply = Outbound("Hồ sơ <script>x</script> & lệ phí", (offer,), author="Lê Văn Nam")
    await channel.start()
    try:
        await gateway.deliver("telegram:4242", [staff_reply])
    finally:
        await channel.stop()
        await gateway.rasa.close()
    assert telegram.calls("getMe")
    (call,) = telegram.sent(4242)
    assert call.params["text"] == "Cán bộ Lê Văn Nam: Hồ sơ &lt;script&gt;x&lt;/script&gt; &amp; lệ phí"
    assert call.params["parse_mode"] == "HTML"
    (button,) = call.params["reply_markup"]["inline_keyboard"][0]
    assert button["callback_data"] == callback_data(long_payload)
    assert await gateway.state.get(f"telegram:button:{button['callback_data'][1:]}") == {"payload": long_payload}


# The webhook


def test_webhook_refuses_requests_without_the_secret(telegram, services, clean_gateway_redis):
    refused, accepted = new_chat(), new_chat()
    with gateway(offline_settings(telegram), services) as url:
        assert post(url, text_update(new_update_id(), refused, "/help"), secret=None).status_code == 403
        assert post(url, text_update(new_update_id(), refused, "/help"), secret="wrong-secret").status_code == 403
        assert post(url, text_update(new_update_id(), refused, "/help"), secret=SECRET[:-1]).status_code == 403
        assert post(url, text_update(new_update_id(), accepted, "/help")).status_code == 200
        telegram.wait_for_text(accepted, "Gặp cán bộ")
    assert not [call for call in telegram.calls() if call.params.get("chat_id") == str(refused)]


def test_webhook_without_a_configured_secret_refuses_everything(telegram, services, clean_gateway_redis, caplog):
    chat = new_chat()
    with gateway(offline_settings(telegram, TELEGRAM_WEBHOOK_SECRET=""), services) as url:
        for secret in (None, "", SECRET):
            assert post(url, text_update(new_update_id(), chat, "/help"), secret=secret).status_code == 403
    assert "TELEGRAM_WEBHOOK_SECRET is not set" in caplog.text
    assert telegram.sent(chat) == []


def test_webhook_answers_malformed_bodies_with_400(telegram, services, clean_gateway_redis):
    with gateway(offline_settings(telegram), services) as url:
        headers = {SECRET_HEADER: SECRET, "content-type": "application/json"}
        for body in (b'{"update_id": 1, "message": ', b"\xff\xfe", b"[]", b'{"ok": true}', b'{"update_id": "x"}'):
            response = httpx.post(f"{url}/webhooks/telegram", content=body, headers=headers, timeout=10)
            assert response.status_code == 400, body
        incomplete = {"update_id": 7, "message": {"message_id": 1, "text": "thiếu chat và ngày"}}
        assert post(url, incomplete).status_code == 400
    assert telegram.calls("sendMessage") == []


def test_help_and_a_sticker_get_the_channels_own_replies(telegram, services, clean_gateway_redis):
    chat = new_chat()
    with gateway(offline_settings(telegram), services) as url:
        assert post(url, text_update(new_update_id(), chat, "/help")).status_code == 200
        assert post(url, sticker_update(new_update_id(), chat)).status_code == 200
        telegram.wait_for_text(chat, TEXT_ONLY)
    help_text, text_only = (call.params["text"] for call in telegram.sent(chat))
    assert help_text == html.escape(HELP, quote=False)
    for part in ("thủ tục", "giấy tờ", "tình trạng hồ sơ", "Gặp cán bộ", "anh/chị", "ạ"):
        assert part in help_text
    assert TEXT_ONLY in text_only


def test_a_failed_send_is_logged(telegram, services, clean_gateway_redis, caplog):
    chat, update_id = new_chat(), new_update_id()
    telegram.blocked.add(str(chat))
    caplog.set_level(logging.ERROR, logger="connectors.telegram")
    with gateway(offline_settings(telegram), services) as url:
        assert post(url, text_update(update_id, chat, "/help")).status_code == 200
        telegram.wait_for("sendMessage", chat_id=chat)
    failures = [r for r in caplog.records if r.name == "connectors.telegram" and r.levelno == logging.ERROR]
    assert [r.getMessage() for r in failures] == [f"Telegram: sending to chat {chat} failed"]
    assert "bot was blocked by the user" in str(failures[0].exc_info[1])


# Through the real assistant


@pytest.mark.e2e
def test_question_answered_in_html_after_a_typing_action(telegram, assistant, services, clean_gateway_redis):
    chat = new_chat()
    with gateway(gateway_settings(assistant, **telegram_env(telegram)), services) as url:
        assert post(url, text_update(new_update_id(), chat, "làm giấy khai sinh cần giấy tờ gì")).status_code == 200
        answer = telegram.wait_for_text(chat, "(mã 1.001193)")
    assert answer.params["parse_mode"] == "HTML"
    chat_calls = [call for call in telegram.calls() if call.params.get("chat_id") == str(chat)]
    assert chat_calls[0].method == "sendChatAction" and chat_calls[0].params["action"] == "typing"
    assert chat_calls[1].method == "sendMessage"


@pytest.mark.e2e
def test_start_greets_with_buttons_and_a_press_is_answered_and_routed(
    telegram, assistant, services, clean_gateway_redis
):
    chat, press_id = new_chat(), new_update_id()
    with gateway(gateway_settings(assistant, **telegram_env(telegram)), services) as url:
        assert post(url, text_update(new_update_id(), chat, "/start")).status_code == 200
        greeting = telegram.wait_for_text(chat, "trợ lý")
        rows = greeting.params["reply_markup"]["inline_keyboard"]
        assert all(len(row) == 1 for row in rows)
        assert {"text": "Làm giấy khai sinh", "callback_data": BIRTH} in [row[0] for row in rows]
        assert [row[0]["callback_data"] for row in rows if row[0]["text"] == "Gặp cán bộ"] == ["/request_human"]
        assert post(url, callback_update(press_id, chat, greeting.result, BIRTH)).status_code == 200
        telegram.wait_for("answerCallbackQuery", callback_query_id=4_382_000_000_000_000_000 + press_id)
        telegram.wait_for_text(chat, "(mã 1.001193)")
    history = redis.Redis.from_url(GATEWAY_REDIS_URL).lrange(f"motcua:history:telegram:{chat}", 0, -1)
    said = [entry["text"] for entry in map(json.loads, history) if entry["who"] == "citizen"]
    assert said == ["/start", "Làm giấy khai sinh"]


@pytest.mark.e2e
def test_an_update_with_a_lone_surrogate_is_answered(telegram, assistant, services, clean_gateway_redis):
    chat = new_chat()
    with gateway(gateway_settings(assistant, **telegram_env(telegram)), services) as url:
        update = json.dumps(text_update(new_update_id(), chat, "\ud800 làm giấy khai sinh cần giấy tờ gì"))
        headers = {SECRET_HEADER: SECRET, "content-type": "application/json"}  # the surrogate as the escape "\ud800"
        assert httpx.post(f"{url}/webhooks/telegram", content=update, headers=headers, timeout=10).status_code == 200
        telegram.wait_for_text(chat, "(mã 1.001193)")


@pytest.mark.e2e
def test_a_repeated_update_is_answered_once(telegram, assistant, services, clean_gateway_redis):
    chat = new_chat()
    update = text_update(new_update_id(), chat, "/start")
    with gateway(gateway_settings(assistant, **telegram_env(telegram)), services) as url:
        assert post(url, update).status_code == 200
        assert post(url, update).status_code == 200
        assert post(url, text_update(new_update_id(), chat, "/help")).status_code == 200
        telegram.wait_for_text(chat, "Gặp cán bộ khi cần")  # the help comes after both deliveries of /start
    greetings = [call for call in telegram.sent(chat) if "trợ lý dịch vụ công của" in call.params["text"]]
    assert len(greetings) == 1


@pytest.mark.e2e
def test_a_payload_over_64_bytes_round_trips(telegram, assistant, services, clean_gateway_redis):
    chat = new_chat()
    long_payload = '/ask_documents{"procedure_code": "1.001193", "procedure": "đăng ký khai sinh"}'

    def deliver_route(app: FastAPI) -> None:
        @app.post("/test/deliver/{conversation}")
        async def deliver(conversation: str, message: dict) -> None:
            await app.state.gateway.deliver(conversation, [Outbound.from_dict(message)])

    with gateway(gateway_settings(assistant, **telegram_env(telegram)), services, deliver_route) as url:
        offer = {"text": "Anh/chị muốn xem hồ sơ nào ạ?", "buttons": [{"title": "Khai sinh", "payload": long_payload}]}
        httpx.post(f"{url}/test/deliver/telegram:{chat}", json=offer, timeout=10).raise_for_status()
        (sent,) = telegram.sent(chat)
        (button,) = sent.params["reply_markup"]["inline_keyboard"][0]
        assert button["callback_data"] != long_payload and len(button["callback_data"].encode()) <= 64
        press = callback_update(new_update_id(), chat, sent.result, button["callback_data"])
        assert post(url, press).status_code == 200
        telegram.wait_for_text(chat, "(mã 1.001193)")


@pytest.mark.e2e
def test_polling_without_a_public_url(telegram, assistant, services, clean_gateway_redis):
    chat = new_chat()
    telegram.queue_update(text_update(new_update_id(), chat, "lệ phí đăng ký thường trú bao nhiêu"))
    with gateway(gateway_settings(assistant, **telegram_env(telegram, PUBLIC_URL="")), services) as url:
        telegram.wait_for_text(chat, "(mã 1.004222)")
        assert post(url, text_update(new_update_id(), chat, "/help")).status_code == 404  # no webhook route
    assert telegram.calls("deleteWebhook")
    polls = telegram.calls("getUpdates")
    assert polls and all(call.params["allowed_updates"] == ["message", "callback_query"] for call in polls)
    assert len([call for call in telegram.sent(chat) if "(mã 1.004222)" in call.params["text"]]) == 1


# The command line


def run_cli(telegram: FakeTelegram, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **telegram_env(telegram, **env)}
    command = [sys.executable, "-m", "bot", "telegram", *args]
    return subprocess.run(command, env=environment, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)


def test_cli_sets_shows_and_deletes_the_webhook(telegram):
    url = f"{PUBLIC_URL}/webhooks/telegram"
    result = run_cli(telegram, "set-webhook", url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert url in result.stdout and "@motcua_test_bot" in result.stdout
    (call,) = telegram.calls("setWebhook")
    assert call.params["url"] == url
    assert call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == ["message", "callback_query"]

    info = run_cli(telegram, "info")
    assert info.returncode == 0 and url in info.stdout and "message, callback_query" in info.stdout

    deleted = run_cli(telegram, "delete-webhook")
    assert deleted.returncode == 0 and "deleted" in deleted.stdout
    assert telegram.calls("deleteWebhook") and telegram.webhook["url"] == ""


def test_cli_set_webhook_defaults_to_the_public_url_and_needs_a_secret(telegram):
    assert run_cli(telegram, "set-webhook", "--secret", "other_Secret-1").returncode == 0
    (call,) = telegram.calls("setWebhook")
    assert (call.params["url"], call.params["secret_token"]) == (f"{PUBLIC_URL}/webhooks/telegram", "other_Secret-1")
    for secret in ("", "có dấu"):
        refused = run_cli(telegram, "set-webhook", TELEGRAM_WEBHOOK_SECRET=secret)
        assert refused.returncode == 2 and "TELEGRAM_WEBHOOK_SECRET" in refused.stdout
    assert len(telegram.calls("setWebhook")) == 1

"""A citizen goes from the trained bot to an officer and back, end to end: the web widget in Chromium with the
console in a second window, Telegram and Zalo through their fake APIs, and a gateway restart in the middle of a
handoff. Real Rasa, Redis and SQLite; one gateway app per test on a real socket."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from bot.gateway import copy
from bot.gateway.app import create_app
from bot.handoff.desk import CANCEL_BUTTON, COMMENTED, JOINED, LEFT_TO_BOT, RATE_STAFF, RATED, RECEIVED
from bot.handoff.records import HandoffRecords, Rating
from bot.keys import secret_key
from bot.settings import Settings
from connectors.web import widget_user_id
from tests.conftest import gateway_settings
from tests.fakes.telegram_api import callback_update, text_update
from tests.servers import free_port, serving
from tests.test_staff_browser import open_console
from tests.test_staff_console import LAN, Console, Staff, console_app, running
from tests.test_telegram import new_chat, new_update_id, telegram, telegram_env  # noqa: F401  (fixture: telegram)
from tests.test_telegram import post as telegram_post
from tests.test_web_channel import history, joined, new_session, replies
from tests.test_web_channel import post as widget_post
from tests.test_widget_browser import ask, bot_says, context, host_site, open_chat, page, visit  # noqa: F401  (fixtures: context, host_site, page)
from tests.test_zalo import Webhook, digits, fake, text_event, texts, wait_until, zalo_env  # noqa: F401  (fixture: fake)

pytestmark = pytest.mark.e2e
T = TypeVar("T")

expect.set_options(timeout=30_000)  # a first answer can take Rasa a few seconds

BIRTH = "1.001193"  # Đăng ký khai sinh
FIRST_QUESTION = "làm giấy khai sinh cần gì"
ASK_FOR_STAFF = "cho tôi gặp cán bộ"
STILL_THERE = "còn ai trực không ạ"
NEXT_QUESTION = "lệ phí bao nhiêu"
QUEUED = "vị trí số 1 trong hàng chờ"
REPLY = "Dạ, anh/chị cho em xin mã hồ sơ ạ."
ANSWER = "Mã hồ sơ của tôi là HS-2026-000123"
COMMENT = "Cán bộ trả lời nhanh, dễ hiểu"
GREETING = copy.HANDED_BACK_ON.format(name="Đăng ký khai sinh")
BIRTH_FEE = re.compile(rf"\(mã {re.escape(BIRTH)}\)[\s\S]*Phí, lệ phí")  # the fee of đăng ký khai sinh


def transcript(officer: Staff, cid: str) -> list[dict[str, Any]]:
    """The conversation as the console shows it: every row, oldest first."""
    response = officer.get(f"/staff/api/conversations/{cid}")
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def said(messages: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(message["who"], message["text"]) for message in messages]


def after_last(items: list[T], item: T) -> list[T]:
    """What follows the last occurrence of `item`."""
    return items[len(items) - items[::-1].index(item) :]


def ratings_of(records: HandoffRecords, cid: str) -> list[Rating]:
    every = records.ratings_between(
        datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc)
    )
    return [rating for rating in every if rating.conversation_id == cid]


def staff_id(console: Console, username: str) -> int:
    return next(member.id for member in console.app.state.accounts.staff() if member.username == username)


def officer_sees_citizen_say(officer: Staff, cid: str, text: str) -> None:
    """Poll the console's API until the citizen's latest message is `text`."""
    wait_until(lambda: said(transcript(officer, cid))[-1] == ("citizen", text), what=f"the console to show {text!r}")


def last_notice(tab: Page) -> Locator:
    """The text of the widget's latest message from the gateway itself (queue, joined, left, rating…)."""
    return tab.locator(".message.system .text").last


def widget_conversation(tab: Page, settings: Settings) -> str:
    """The conversation id of the widget's session: its keyed hash, never the session itself."""
    session = tab.evaluate("localStorage.getItem('motcua-widget-session')")
    return "web:" + widget_user_id(secret_key(settings), session)


# The web widget and the console, each in its own browser window


def test_a_widget_citizen_is_helped_by_an_officer_live_and_rates_them(
    browser: Browser,
    page: Page,  # noqa: F811
    host_site: str,  # noqa: F811
    services,
    assistant,
    clean_gateway_redis,
    tmp_path,
) -> None:
    settings = gateway_settings(assistant, DATABASE_URL=f"sqlite:///{tmp_path / 'handoff.db'}")
    with running(services, settings) as console:
        officer, problems = open_console(browser, console, "lan")  # before the citizen asks: the queue is live
        visit(page, host_site, console.url)
        open_chat(page)
        ask(page, FIRST_QUESTION)
        bot_says(page, "Hồ sơ gồm")
        ask(page, ASK_FOR_STAFF)
        expect(last_notice(page)).to_contain_text(QUEUED)

        item = officer.locator("#queue .item")
        expect(item).to_have_count(1)
        expect(item).to_contain_text("Yêu cầu gặp cán bộ")
        expect(item.locator(".codes")).to_have_text(f"Thủ tục {BIRTH}")
        expect(item.locator(".last")).to_have_text(ASK_FOR_STAFF)
        ask(page, STILL_THERE)  # while waiting: acknowledged, the way back still offered, the console told
        expect(last_notice(page)).to_have_text(RECEIVED)
        quick_replies = page.get_by_role("group", name="Gợi ý trả lời")
        expect(quick_replies.get_by_role("button", name=CANCEL_BUTTON.title, exact=True)).to_be_visible()
        expect(item.locator(".last")).to_have_text(STILL_THERE)
        item.click()
        officer.get_by_role("button", name="Nhận hỗ trợ").click()
        expect(officer.locator("#conversation-state")).to_have_text("Anh/chị đang hỗ trợ cuộc trò chuyện này")
        expect(last_notice(page)).to_have_text(JOINED.format(name=LAN[1]))

        composer = officer.get_by_label("Nội dung trả lời hoặc ghi chú")
        composer.fill(REPLY)
        composer.press("Enter")
        staff_turn = page.locator(".message.staff")
        expect(staff_turn.locator(".sender")).to_have_text(f"Cán bộ {LAN[1]}")
        expect(staff_turn.locator(".text")).to_have_text(REPLY)

        ask(page, ANSWER)
        expect(officer.locator("#transcript .from-citizen").last).to_contain_text(ANSWER)  # pushed to the console

        officer.get_by_role("button", name="Trả lại trợ lý ảo").click()
        expect(officer.locator("#conversation-state")).to_have_text("Đã trả lại trợ lý ảo")
        expect(page.locator(".message.system", has_text=LEFT_TO_BOT.format(name=LAN[1]))).to_be_visible()
        bot_says(page, GREETING)
        expect(last_notice(page)).to_have_text(RATE_STAFF.format(name=LAN[1]))

        page.get_by_role("group", name="Gợi ý trả lời").get_by_role("button", name="⭐⭐⭐⭐", exact=True).click()
        expect(last_notice(page)).to_have_text(RATED)
        ask(page, COMMENT)  # the comment the citizen was invited to give
        expect(last_notice(page)).to_have_text(COMMENTED)
        ask(page, NEXT_QUESTION)
        expect(page.locator(".message.bot .text").last).to_have_text(BIRTH_FEE)  # the bot kept the procedure

        (rating,) = ratings_of(console.app.state.records, widget_conversation(page, settings))
        assert (rating.score, rating.comment, rating.officer_id) == (4, COMMENT, staff_id(console, "lan"))
        rows = said([m.as_dict() for m in console.app.state.records.transcript(widget_conversation(page, settings))])
        assert after_last(rows, ("staff", REPLY))[:9] == [
            ("citizen", ANSWER),  # the bot stayed silent: the officer answers
            ("system", LEFT_TO_BOT.format(name=LAN[1])),
            ("bot", GREETING),
            ("system", RATE_STAFF.format(name=LAN[1])),
            ("citizen", "⭐⭐⭐⭐"),
            ("system", RATED),
            ("citizen", COMMENT),
            ("system", COMMENTED),
            ("citizen", NEXT_QUESTION),
        ]
        assert problems.seen == []
        officer.context.close()


# Telegram and Zalo: the citizen's messages come in as updates and events, the officer uses the console's API


def test_a_telegram_citizen_is_handed_to_an_officer_and_back(
    telegram,  # noqa: F811
    services,
    assistant,
    clean_gateway_redis,
    tmp_path,
) -> None:
    chat, port = new_chat(), free_port()
    public_url = f"http://127.0.0.1:{port}"  # webhook mode; plain http, so the console's cookies are not Secure
    env = telegram_env(telegram, PUBLIC_URL=public_url, DATABASE_URL=f"sqlite:///{tmp_path / 'handoff.db'}")
    app = console_app(services, gateway_settings(assistant, **env))
    with serving(app, port) as url:

        def say(text: str) -> None:
            assert telegram_post(url, text_update(new_update_id(), chat, text)).status_code == 200

        def sent() -> list[str]:
            return [call.params["text"] for call in telegram.sent(chat)]

        say(FIRST_QUESTION)
        telegram.wait_for_text(chat, f"(mã {BIRTH})")
        say(ASK_FOR_STAFF)
        queued = telegram.wait_for_text(chat, QUEUED)
        (cancel,) = queued.params["reply_markup"]["inline_keyboard"]
        assert [button["text"] for button in cancel] == ["Tiếp tục với trợ lý ảo"]
        say(STILL_THERE)
        received = telegram.wait_for_text(chat, RECEIVED)
        assert received.params["reply_markup"]["inline_keyboard"] == [cancel]

        lan, cid = Staff(url, "lan"), f"telegram:{chat}"
        (entry,) = lan.get("/staff/api/queue").json()["conversations"]
        assert (entry["conversation_id"], entry["channel"], entry["procedure_code"]) == (cid, "telegram", BIRTH)
        assert lan.act(cid, "claim").status_code == 200
        assert sent()[-1] == JOINED.format(name=LAN[1])
        assert lan.act(cid, "reply", {"text": REPLY}).status_code == 200
        assert sent()[-1] == f"Cán bộ {LAN[1]}: {REPLY}"

        say(ANSWER)
        officer_sees_citizen_say(lan, cid, ANSWER)
        assert lan.act(cid, "hand-back").status_code == 200
        say(NEXT_QUESTION)
        fee = telegram.wait_for_text(chat, "Phí, lệ phí")
        assert BIRTH_FEE.search(fee.params["text"])
        assert after_last(sent(), f"Cán bộ {LAN[1]}: {REPLY}") == [
            LEFT_TO_BOT.format(name=LAN[1]),  # nothing from the bot while the officer had the conversation
            GREETING,
            RATE_STAFF.format(name=LAN[1]),
            fee.params["text"],
        ]

        rate = next(call for call in telegram.sent(chat) if call.params["text"] == RATE_STAFF.format(name=LAN[1]))
        stars = [row[0] for row in rate.params["reply_markup"]["inline_keyboard"]]
        assert [star["text"] for star in stars] == ["⭐" * score for score in range(1, 6)]
        press = callback_update(new_update_id(), chat, rate.result, stars[4]["callback_data"])
        assert telegram_post(url, press).status_code == 200  # the old prompt still works
        telegram.wait_for_text(chat, RATED)
        (rating,) = ratings_of(app.state.records, cid)
        assert (rating.score, rating.officer_id) == (5, lan.me["id"])


def test_a_zalo_citizen_is_handed_to_an_officer_and_back(
    fake,  # noqa: F811
    services,
    assistant,
    clean_gateway_redis,
    tmp_path,
) -> None:
    user = digits()
    env = zalo_env(fake) | {"DATABASE_URL": f"sqlite:///{tmp_path / 'handoff.db'}"}
    with running(services, gateway_settings(assistant, **env)) as console:
        webhook = Webhook(console.url)

        def delivered(fragment: str) -> dict[str, Any]:
            """The first message Zalo took for the citizen with `fragment` in its text."""

            def found() -> dict[str, Any] | None:
                return next((m for m in fake.delivered(user) if fragment in m["text"]), None)

            return wait_until(found, what=fragment)

        webhook.deliver(text_event(user, FIRST_QUESTION))
        delivered(f"(mã {BIRTH})")
        webhook.deliver(text_event(user, ASK_FOR_STAFF))
        queued = delivered(QUEUED)
        cancel = {"type": "oa.query.hide", "title": "Tiếp tục với trợ lý ảo", "payload": "#handoff:cancel"}
        assert queued["attachment"]["payload"]["buttons"] == [cancel]

        lan, cid = Staff(console.url, "lan"), f"zalo:{user}"
        (entry,) = lan.get("/staff/api/queue").json()["conversations"]
        assert (entry["conversation_id"], entry["channel"], entry["procedure_code"]) == (cid, "zalo", BIRTH)
        assert lan.act(cid, "claim").status_code == 200
        assert texts(fake, user)[-1] == JOINED.format(name=LAN[1])
        assert lan.act(cid, "reply", {"text": REPLY}).status_code == 200
        assert texts(fake, user)[-1] == f"Cán bộ {LAN[1]}: {REPLY}"

        webhook.deliver(text_event(user, ANSWER))
        officer_sees_citizen_say(lan, cid, ANSWER)
        assert lan.act(cid, "hand-back").status_code == 200
        webhook.deliver(text_event(user, NEXT_QUESTION))
        fee = delivered("Phí, lệ phí")
        assert BIRTH_FEE.search(fee["text"])
        left, greeting, rate, answer = after_last(fake.delivered(user), {"text": f"Cán bộ {LAN[1]}: {REPLY}"})
        assert (left["text"], greeting["text"], rate["text"], answer) == (
            LEFT_TO_BOT.format(name=LAN[1]),
            GREETING,
            RATE_STAFF.format(name=LAN[1]),
            fee,
        )
        stars = rate["attachment"]["payload"]["buttons"]
        assert [(star["title"], star["payload"]) for star in stars] == [("⭐" * n, f"#rate:{n}") for n in range(1, 6)]


# A restart in the middle of a handoff


def test_a_handoff_survives_a_gateway_restart(services, assistant, clean_gateway_redis, tmp_path) -> None:
    settings = gateway_settings(assistant, DATABASE_URL=f"sqlite:///{tmp_path / 'handoff.db'}")
    port, session = free_port(), new_session()
    cid = "web:" + widget_user_id(secret_key(settings), session)
    with serving(console_app(services, settings), port) as url:
        replies(widget_post(url, session, FIRST_QUESTION))
        assert QUEUED in joined(replies(widget_post(url, session, ASK_FOR_STAFF)))
        before = Staff(url, "lan")
        assert before.act(cid, "claim").status_code == 200
        assert before.act(cid, "reply", {"text": REPLY}).status_code == 200

    with serving(create_app(settings, services), port) as url:  # the same database and Redis
        lan = Staff(url, "lan")
        (mine,) = lan.get("/staff/api/mine").json()["conversations"]
        assert (mine["conversation_id"], mine["state"], mine["officer_id"]) == (cid, "with_staff", lan.me["id"])
        assert mine["procedure_code"] == BIRTH
        rows = transcript(lan, cid)
        assert [row["who"] for row in rows][:2] == ["citizen", "bot"] and "khai sinh" in rows[1]["text"].lower()
        assert [text for who, text in said(rows) if who == "citizen"] == [FIRST_QUESTION, ASK_FOR_STAFF]
        assert said(rows)[-2:] == [("system", JOINED.format(name=LAN[1])), ("staff", REPLY)]
        assert (rows[-1]["author"], rows[-2]["author"]) == (LAN[1], "")
        assert any(who == "system" and QUEUED in text for who, text in said(rows))
        audit = Staff(url, "admin").get("/staff/api/audit").json()["entries"]
        assert [(e["action"], e["staff_name"]) for e in audit if e["conversation_id"] == cid] == [
            ("reply", LAN[1]),
            ("claim", LAN[1]),
        ]

        assert replies(widget_post(url, session, ANSWER)) == []  # still with the officer: the bot is silent
        assert said(transcript(lan, cid))[-1] == ("citizen", ANSWER)
        assert lan.act(cid, "hand-back").status_code == 200
        shown = [(entry["who"], entry["text"]) for entry in history(url, session)]
        assert after_last(shown, ("staff", REPLY)) == [
            ("citizen", ANSWER),
            ("system", LEFT_TO_BOT.format(name=LAN[1])),
            ("bot", GREETING),  # Rasa kept the procedure through the restart
            ("system", RATE_STAFF.format(name=LAN[1])),
        ]
        answer = replies(widget_post(url, session, NEXT_QUESTION))
        assert BIRTH_FEE.search("\n".join(message["text"] for message in answer))

"""The widget in a real headless Chromium, embedded by its one tag in a page on another origin."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from playwright.sync_api import BrowserContext, Page, WebSocketRoute, expect

from bot.gateway.app import create_app
from bot.settings import PROJECT_ROOT
from tests.conftest import gateway_settings
from tests.servers import free_port, serving

pytestmark = pytest.mark.e2e

SCREENSHOT = PROJECT_ROOT / "var" / "screenshots" / "widget.png"
OPEN = "Mở trò chuyện với trợ lý dịch vụ công"
INPUT = "Câu hỏi của anh/chị"
TITLE = "Hỏi đáp thủ tục Quận 1"
COLOR = "#0b5394"
QUESTION = "lam giay khai sinh can gi"
XSS = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> khai sinh'

expect.set_options(timeout=30_000)  # a first answer can take Rasa a few seconds


@pytest.fixture(scope="module")
def host_site() -> Iterator[str]:
    """Some agency's page on another origin: nothing but the widget tag, pointing at `?gateway=`."""
    app = FastAPI()

    @app.get("/")
    async def page(gateway: str) -> HTMLResponse:
        head = '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        src = html.escape(f"{gateway}/widget.js")
        tag = f'<script src="{src}" data-title="{TITLE}" data-color="{COLOR}" async></script>'
        return HTMLResponse(f'<!doctype html><html lang="vi"><head>{head}</head><body>{tag}</body></html>')

    with serving(app) as url:
        yield url.replace("127.0.0.1", "localhost")


@pytest.fixture
def gateway(assistant, services, clean_gateway_redis) -> Iterator[str]:
    with serving(create_app(gateway_settings(assistant), services)) as url:
        yield url


@pytest.fixture
def context(browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    yield context
    context.close()


@pytest.fixture
def page(context) -> Iterator[Page]:
    """A tab whose script errors fail the test."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"script errors in the page: {errors}"


def visit(page: Page, host_site: str, gateway: str) -> None:
    page.goto(f"{host_site}/?gateway={gateway}")
    expect(page.get_by_role("button", name=OPEN)).to_be_visible()


def open_chat(page: Page) -> None:
    page.get_by_role("button", name=OPEN).click()
    expect(page.get_by_role("dialog", name=TITLE)).to_be_visible()


def ask(page: Page, text: str) -> None:
    box = page.get_by_role("textbox", name=INPUT)
    box.fill(text)
    box.press("Enter")


def bot_says(page: Page, text: str) -> None:
    expect(page.locator(".message.bot", has_text=re.compile(re.escape(text), re.IGNORECASE)).last).to_be_visible()


def citizen_lines(page: Page) -> list[str]:
    return page.locator(".message.citizen .text").all_text_contents()


def test_the_bubble_opens_a_chat_that_answers_a_question(page, host_site, gateway):
    visit(page, host_site, gateway)
    bubble = page.get_by_role("button", name=OPEN)
    assert bubble.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(11, 83, 148)"  # data-color
    expect(page.get_by_role("dialog")).to_be_hidden()
    open_chat(page)
    expect(page.get_by_role("textbox", name=INPUT)).to_be_focused()
    expect(page.get_by_role("textbox", name=INPUT)).to_have_attribute("placeholder", "Nhập câu hỏi của anh/chị…")
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(log).to_contain_text("Anh/chị cần hỏi thủ tục nào ạ?")  # the welcome line
    page.evaluate(
        """() => {
          const typing = document.getElementById("motcua-widget").shadowRoot.querySelector(".typing");
          new MutationObserver(() => { if (!typing.hidden) window.sawTyping = typing.textContent; })
            .observe(typing, {attributes: true});
        }"""
    )
    ask(page, QUESTION)
    bot_says(page, "Hồ sơ gồm")
    bot_says(page, "khai sinh")
    assert citizen_lines(page) == [QUESTION]
    assert page.evaluate("window.sawTyping") == "Trợ lý đang trả lời…"
    expect(page.locator(".typing")).to_be_hidden()
    link = page.locator('.message.bot a[href^="https://dichvucong.gov.vn/"]').first
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile(r"\bnoopener\b"))


def test_a_quick_reply_sends_its_payload_and_shows_its_title(page, host_site, gateway):
    visit(page, host_site, gateway)
    open_chat(page)
    ask(page, "giấy phép")
    choices = page.get_by_role("group", name="Gợi ý trả lời")
    choices.get_by_role("button", name="Cấp giấy phép lái xe").click()
    bot_says(page, "(mã 3.000346)")
    assert citizen_lines(page) == ["giấy phép", "Cấp giấy phép lái xe"]
    expect(choices).to_have_count(1)  # only the latest answer's choices remain
    expect(choices.get_by_role("button", name="Lệ phí")).to_be_visible()


def test_a_checklist_summary_can_be_copied_and_printed(context, page, host_site, gateway):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=host_site)
    visit(page, host_site, gateway)
    open_chat(page)
    ask(page, "kiểm tra giúp tôi đủ giấy tờ đăng ký kết hôn chưa")
    page.get_by_role("group", name="Gợi ý trả lời").get_by_role("button", name="✘ Chưa có").click()
    bot_says(page, "Kết quả kiểm tra hồ sơ")
    keep = page.get_by_role("group", name="Lưu câu trả lời").last  # the summary's; any long answer has them
    expect(keep.get_by_role("button", name="🖨 In")).to_be_visible()
    keep.get_by_role("button", name="📋 Sao chép").click()
    expect(keep.get_by_role("button", name="✔ Đã sao chép")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Còn thiếu (1):\n✘ Tờ khai đăng ký kết hôn" in copied and "Bước tiếp theo" in copied


def test_the_history_survives_a_reload_and_every_tab_of_the_session_stays_in_sync(
    browser, context, page, host_site, gateway
):
    visit(page, host_site, gateway)
    open_chat(page)
    ask(page, QUESTION)
    bot_says(page, "Hồ sơ gồm")
    session = page.evaluate("localStorage.getItem('motcua-widget-session')")
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", session)  # 192 random bits

    page.reload()
    expect(page.get_by_role("dialog", name=TITLE)).to_be_visible()  # still open in this tab
    bot_says(page, "Hồ sơ gồm")
    assert citizen_lines(page) == [QUESTION]
    expect(page.get_by_role("group", name="Gợi ý trả lời").get_by_role("button", name="Lệ phí")).to_be_visible()

    other_tab = context.new_page()
    visit(other_tab, host_site, gateway)
    open_chat(other_tab)
    bot_says(other_tab, "Hồ sơ gồm")
    ask(other_tab, "lệ phí bao nhiêu")
    bot_says(other_tab, "Phí, lệ phí")
    bot_says(page, "Phí, lệ phí")  # pushed to the first tab too
    assert citizen_lines(page) == citizen_lines(other_tab) == [QUESTION, "lệ phí bao nhiêu"]

    stranger = browser.new_context()
    try:
        elsewhere = stranger.new_page()
        visit(elsewhere, host_site, gateway)
        open_chat(elsewhere)
        expect(elsewhere.locator(".quick")).to_contain_text("Làm giấy khai sinh")  # a new chat's suggestions
        assert citizen_lines(elsewhere) == []
    finally:
        stranger.close()


def test_html_typed_by_the_citizen_is_shown_as_text_and_never_runs(page, host_site, gateway):
    visit(page, host_site, gateway)
    open_chat(page)
    ask(page, XSS)
    expect(page.locator(".message.citizen .text")).to_have_text(XSS)
    expect(page.locator(".message.bot").nth(1)).to_be_visible()  # an answer after the welcome
    page.reload()
    expect(page.locator(".message.citizen .text")).to_have_text(XSS)  # drawn again from the history
    assert page.locator(".log img, .log script").count() == 0
    assert page.evaluate("window.pwned") is None


def test_a_staff_reply_pushed_later_names_its_author_and_server_text_is_never_html(page, host_site, gateway):
    sockets: list[WebSocketRoute] = []

    def through(socket: WebSocketRoute) -> None:  # the real gateway, with a way to push frames to the page
        socket.connect_to_server()
        sockets.append(socket)

    page.route_web_socket(re.compile(r"/api/widget/ws"), through)
    visit(page, host_site, gateway)
    open_chat(page)
    expect(page.locator(".quick")).to_be_visible()  # the socket is open and the history is drawn
    text = 'Dạ, em là cán bộ phường <img src=x onerror="window.pwned=3"> ạ. Mẫu đơn: https://example.gov.vn/mau?a=1&b=2'
    staff = {"text": text, "buttons": [], "links": [{"title": "Hướng dẫn", "url": "javascript:window.pwned=4"}]}
    sockets[-1].send(json.dumps({"type": "reply", "messages": [{**staff, "author": "Nguyễn Thị Lan"}]}))
    message = page.locator(".message.staff")
    expect(message.locator(".sender")).to_have_text("Cán bộ Nguyễn Thị Lan")
    expect(message.locator(".text")).to_have_text(text)
    expect(message.locator("a")).to_have_attribute("href", "https://example.gov.vn/mau?a=1&b=2")
    assert message.locator("a").count() == 1  # a javascript: link is never drawn
    assert page.locator(".log img").count() == 0 and page.evaluate("window.pwned") is None


def test_the_keyboard_alone_opens_the_chat_sends_and_closes_it(page, host_site, gateway):
    visit(page, host_site, gateway)
    bubble = page.get_by_role("button", name=OPEN)
    page.keyboard.press("Tab")
    expect(bubble).to_be_focused()
    expect(bubble).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    box = page.get_by_role("textbox", name=INPUT)
    expect(box).to_be_focused()
    expect(bubble).to_have_attribute("aria-expanded", "true")
    page.keyboard.type("xin chào")
    page.keyboard.press("Enter")
    bot_says(page, "Em có thể giúp anh/chị")
    expect(box).to_have_value("")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Gửi")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(bubble).to_be_focused()


def test_on_a_phone_the_chat_fills_the_screen(browser, host_site, gateway):
    phone = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    try:
        page = phone.new_page()
        visit(page, host_site, gateway)
        bubble = page.get_by_role("button", name=OPEN).bounding_box()
        assert bubble and bubble["x"] + bubble["width"] <= 375 and bubble["y"] + bubble["height"] <= 667
        open_chat(page)
        assert page.get_by_role("dialog").bounding_box() == {"x": 0, "y": 0, "width": 375, "height": 667}
        for control in (page.get_by_role("textbox", name=INPUT), page.get_by_role("button", name="Gửi")):
            box = control.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["y"] + box["height"] <= 667
        expect(page.get_by_role("button", name=OPEN)).to_be_hidden()  # the panel covers the page
        ask(page, QUESTION)
        bot_says(page, "Hồ sơ gồm")
        page.get_by_role("button", name="Đóng").click()
        expect(page.get_by_role("button", name=OPEN)).to_be_visible()
    finally:
        phone.close()


def test_the_chat_reconnects_by_itself_after_the_gateway_goes_away(
    page, host_site, assistant, services, clean_gateway_redis
):
    port = free_port()
    settings = gateway_settings(assistant)
    with serving(create_app(settings, services), port) as gateway:
        visit(page, host_site, gateway)
        open_chat(page)
        ask(page, QUESTION)
        bot_says(page, "Hồ sơ gồm")
    status = page.get_by_role("status").filter(has_text="Đang kết nối lại…")
    expect(status).to_be_visible()
    ask(page, "lệ phí bao nhiêu")  # typed while the gateway is away
    expect(page.locator(".message.citizen.failed")).to_contain_text("em sẽ tự gửi lại")
    with serving(create_app(settings, services), port):
        expect(status).to_be_hidden()
        bot_says(page, "Phí, lệ phí")  # the waiting message went out on the new connection
        ask(page, "nộp ở đâu")
        bot_says(page, "Ủy ban nhân dân")
    assert citizen_lines(page) == [QUESTION, "lệ phí bao nhiêu", "nộp ở đâu"]


def test_where_websockets_are_blocked_the_chat_falls_back_to_http(page, host_site, gateway):
    page.add_init_script(
        """window.WebSocket = function () {  // a proxy that refuses every upgrade
             const socket = this;
             this.send = () => { throw new Error("not open"); };
             this.close = () => {};
             setTimeout(() => socket.onclose && socket.onclose({code: 1006}), 20);
           };"""
    )
    visit(page, host_site, gateway)
    open_chat(page)
    ask(page, QUESTION)
    bot_says(page, "Hồ sơ gồm")
    expect(page.get_by_role("status").filter(has_text="Đang kết nối lại…")).to_be_hidden()
    page.reload()
    bot_says(page, "Hồ sơ gồm")  # the history comes over HTTP too


def test_the_demo_page_embeds_the_widget_and_a_screenshot_is_kept_for_the_readme(page, gateway):
    page.goto(f"{gateway}/")
    page.get_by_role("button", name=OPEN).click()
    ask(page, QUESTION)
    bot_says(page, "Hồ sơ gồm")
    page.get_by_role("group", name="Gợi ý trả lời").get_by_role("button", name="Lệ phí").click()
    bot_says(page, "Phí, lệ phí")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 20_000

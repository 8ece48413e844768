"""The staff console in a real headless Chromium: an officer works a conversation live, an admin reads the
report and edits the settings, and the console fits a tablet. No Rasa: the test plays the gateway."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, expect

from bot.settings import PROJECT_ROOT
from tests.fakes.portal_records import write_portal_record
from tests.test_staff_console import (
    HANDING_OFF,
    LAN,
    MINH,
    PASSWORD,
    XSS,
    Console,
    Staff,
    offline,
    running,
    web_conversation,
)

SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
REPLY = "Dạ, anh/chị cho em xin mã hồ sơ ạ."
NOTE = "Công dân hỏi lần thứ hai, ưu tiên xử lý."

expect.set_options(timeout=10_000)


@pytest.fixture
def console(services, tmp_path) -> Iterator[Console]:
    with running(services, offline(f"sqlite:///{tmp_path / 'console.db'}")) as running_console:
        yield running_console


class Problems:
    """What must not happen in a page: script errors, console errors (a CSP violation is one), a page or file
    that fails to load. Refusals of the API are expected in some steps: the page shows their message."""

    def __init__(self, page: Page) -> None:
        self.seen: list[str] = []
        page.on("pageerror", lambda error: self.seen.append(f"page error: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.seen.append(f"console: {message.text}")

    def _response(self, response: Response) -> None:
        if response.status >= 400 and "/staff/api/" not in response.url:
            self.seen.append(f"{response.status} {response.url}")


def open_console(browser: Browser, console: Console, username: str, **viewport: int) -> tuple[Page, Problems]:
    """A new browser window, logged in through the login page, on the console with live updates on."""
    size = viewport or {"width": 1280, "height": 800}
    page = browser.new_context(viewport=size, locale="vi-VN").new_page()
    problems = Problems(page)
    page.goto(f"{console.url}/staff")
    expect(page).to_have_url(f"{console.url}/staff/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page).to_have_url(f"{console.url}/staff")
    expect(page.locator("#connection")).to_have_text("Đang cập nhật trực tiếp")
    return page, problems


def test_an_officer_takes_a_waiting_conversation_live_and_hands_it_back(browser: Browser, console: Console) -> None:
    page, problems = open_console(browser, console, "lan")
    expect(page.locator("#queue-empty")).to_be_visible()
    expect(page.get_by_role("link", name="Báo cáo")).to_have_count(0)  # officers see no admin pages
    cid = web_conversation()
    console.hand_off(cid, XSS[0], dossier_code="HS-2026-000123")  # while the page is open
    console.citizen(cid, XSS[1])

    item = page.locator("#queue .item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Yêu cầu gặp cán bộ")
    expect(item).to_contain_text("Hồ sơ HS-2026-000123")
    expect(item).to_contain_text(XSS[1])
    expect(item.locator(".waited")).to_have_text(re.compile(r"^Chờ \d+ giây$"))
    expect(page).to_have_title("(1) Có người chờ — Bàn hỗ trợ cán bộ")

    item.press("Enter")  # the keyboard works as well as the mouse
    transcript = page.locator("#transcript")
    expect(transcript.locator(".from-citizen")).to_have_text([re.compile(re.escape(text)) for text in XSS])
    expect(transcript.locator(".from-bot")).to_contain_text(HANDING_OFF)
    expect(transcript.locator(".from-bot .author")).to_have_text("Trợ lý ảo")
    expect(page.locator("#queue .item")).to_be_focused()  # still there after the lists refreshed
    page.get_by_role("button", name="Nhận hỗ trợ").click()
    expect(page.locator("#mine .item")).to_have_count(1)
    expect(page.locator("#queue .item")).to_have_count(0)
    expect(page).to_have_title("Bàn hỗ trợ cán bộ")
    expect(page.locator("#conversation-state")).to_have_text("Anh/chị đang hỗ trợ cuộc trò chuyện này")
    expect(transcript).to_contain_text("Cán bộ Nguyễn Thị Lan đã tham gia cuộc trò chuyện.")

    text = page.get_by_label("Nội dung trả lời hoặc ghi chú")
    expect(text).to_be_focused()
    text.fill(REPLY)
    text.press("Enter")
    staff_turn = transcript.locator(".from-staff")
    expect(staff_turn).to_contain_text(REPLY)
    expect(staff_turn.locator(".author")).to_have_text(f"Cán bộ {LAN[1]}")
    expect(text).to_have_value("")

    page.locator(".canned-reply").first.click()
    expect(text).to_have_value(re.compile(r"^Dạ, chào anh/chị"))
    text.fill(NOTE)
    text.press("Control+Enter")
    note = transcript.locator(".from-note")
    expect(note).to_contain_text(NOTE)
    expect(note.locator(".author")).to_have_text(f"Ghi chú nội bộ · {LAN[1]} (công dân không thấy)")
    assert note.evaluate("node => getComputedStyle(node).borderStyle") == "dashed"

    console.citizen(cid, "HS-2026-000123 ạ")  # the citizen answers: shown live
    expect(transcript.locator(".from-citizen").last).to_contain_text("HS-2026-000123 ạ")

    assert page.evaluate("window.pwned") is None
    assert transcript.locator("img, script").count() == 0 and page.locator("#queue img, #mine img").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "console.png"))

    page.get_by_role("button", name="Trả lại trợ lý ảo").click()
    expect(page.locator("#conversation-state")).to_have_text("Đã trả lại trợ lý ảo")
    expect(page.locator("#mine .item")).to_have_count(0)
    expect(page.locator("#composer")).to_be_hidden()
    assert problems.seen == []


def test_a_colleague_sees_the_claim_and_a_transfer_arrives_live(browser: Browser, console: Console) -> None:
    page, problems = open_console(browser, console, "minh")
    cid = web_conversation()
    console.hand_off(cid)
    page.locator("#queue .item").click()
    expect(page.get_by_role("button", name="Nhận hỗ trợ")).to_be_visible()

    lan = Staff(console.url, "lan")
    assert lan.act(cid, "claim").status_code == 200
    expect(page.locator("#conversation-state")).to_have_text(f"Cán bộ {LAN[1]} đang hỗ trợ")
    expect(page.get_by_role("button", name="Nhận hỗ trợ")).to_be_hidden()
    expect(page.locator("#composer")).to_be_hidden()

    minh = next(member for member in lan.get("/staff/api/staff").json()["staff"] if member["username"] == "minh")
    assert lan.act(cid, "transfer", {"to_officer_id": minh["id"]}).status_code == 200
    expect(page.locator("#toast")).to_contain_text("Anh/chị vừa được chuyển một cuộc trò chuyện")
    expect(page.locator("#mine .item")).to_have_count(1)
    expect(page.locator("#conversation-state")).to_have_text("Anh/chị đang hỗ trợ cuộc trò chuyện này")
    page.get_by_label("Chuyển cho cán bộ").select_option(label=LAN[1])
    page.get_by_role("button", name="Chuyển", exact=True).click()
    expect(page.locator("#toast")).to_have_text(f"Đã chuyển cuộc trò chuyện cho cán bộ {LAN[1]}.")
    expect(page.locator("#mine .item")).to_have_count(0)
    assert problems.seen == []


def test_an_admin_reads_the_report_and_edits_the_settings(browser: Browser, console: Console) -> None:
    lan = Staff(console.url, "lan")
    cid, other = web_conversation(), web_conversation()
    console.hand_off(cid)
    console.citizen(other, "Thủ tục nuôi chó mèo?")
    console.post("/test/bot", {"conversation_id": other, "text": "Dạ?", "unanswered": "Thủ tục nuôi chó mèo?"})
    lan.act(cid, "claim")
    lan.act(cid, "hand-back")
    console.citizen(cid, "#rate:4")

    page, problems = open_console(browser, console, "admin")
    page.get_by_role("link", name="Báo cáo").click()
    expect(page).to_have_url(f"{console.url}/staff/report")
    figures = page.locator("#summary")
    expect(figures.locator(".figure")).to_have_count(4)
    expect(figures.locator(".figure").nth(0)).to_have_text(re.compile(r"Cuộc trò chuyện\s*2"))
    expect(figures.locator(".figure").nth(1)).to_have_text(re.compile(r"Chuyển cho cán bộ\s*1"))
    expect(figures.locator(".figure").nth(2)).to_have_text(re.compile(r"Tỷ lệ chuyển cán bộ\s*50\s?%"))
    expect(figures.locator(".figure").nth(3)).to_have_text(re.compile(r"Thời gian chờ \(trung vị\)\s*\d+ giây"))
    expect(page.locator("#per-day tr")).to_have_count(7)
    expect(page.locator("#reasons")).to_contain_text("Yêu cầu gặp cán bộ")
    expect(page.locator("#ratings tr")).to_have_text([re.compile(rf"{LAN[1]}\s*1\s*4,0 ★")])
    expect(page.locator("#unanswered")).to_contain_text("thủ tục nuôi chó mèo — 1 lần")
    audit = page.locator("#audit")
    for action in ("Nhận hỗ trợ", "Trả lại trợ lý ảo", "Đăng nhập"):
        expect(audit).to_contain_text(action)
    page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=True)

    page.get_by_label("Từ ngày").fill("2026-01-01")
    page.get_by_label("Đến ngày").fill("2026-01-31")
    page.get_by_role("button", name="Xem báo cáo").click()
    expect(page.locator("#per-day tr")).to_have_count(31)
    expect(figures.locator(".figure").nth(0)).to_have_text(re.compile(r"Cuộc trò chuyện\s*0"))

    page.get_by_role("link", name="Quản trị").click()
    expect(page.locator("#accounts tr")).to_have_count(3)
    expect(page.locator("#catalogue-status")).to_contain_text("Chưa cấu hình nguồn danh mục")
    expect(page.get_by_role("button", name="Nhập lại danh mục")).to_be_disabled()
    page.screenshot(path=str(SCREENSHOTS / "admin.png"), full_page=True)
    page.get_by_label("Tên đăng nhập").fill("hoa")
    page.get_by_label("Tên hiển thị").fill("Lê Thị Hoa")
    page.get_by_label("Mật khẩu").fill("ngan")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.locator("#toast")).to_have_text("Mật khẩu phải có ít nhất 10 ký tự.")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.locator("#accounts")).to_contain_text("Lê Thị Hoa")
    page.get_by_role("button", name=f"Khóa tài khoản {MINH[1]}").click()
    expect(page.locator("#accounts tr.inactive")).to_contain_text(MINH[1])

    page.get_by_label("Làm việc sáng thứ Bảy").uncheck()
    expect(page.get_by_label("Thứ Bảy", exact=True)).to_have_value("")
    page.get_by_label("Làm việc sáng thứ Bảy").check()
    expect(page.get_by_label("Thứ Bảy", exact=True)).to_have_value("07:30-11:30")
    page.get_by_label("Chọn ngày nghỉ thêm").fill("2026-12-24")
    page.locator("#closed-days").get_by_role("button", name="Thêm ngày").click()
    page.get_by_role("button", name="Lưu giờ làm việc").click()
    expect(page.locator("#toast")).to_have_text("Đã lưu giờ làm việc.")
    schedule = Staff(console.url, "admin").get("/staff/api/office-hours").json()
    assert schedule["weekly"]["sat"] == [["07:30", "11:30"]] and "2026-12-24" in schedule["closed_days"]

    page.get_by_label("Mỗi dòng một câu trả lời mẫu").fill("Dạ, em chào anh/chị ạ.\nDạ, anh/chị chờ em một chút ạ.")
    page.get_by_role("button", name="Lưu câu trả lời mẫu").click()
    expect(page.locator("#toast")).to_have_text("Đã lưu câu trả lời mẫu.")
    assert lan.get("/staff/api/canned-replies").json()["replies"][1] == "Dạ, anh/chị chờ em một chút ạ."
    assert problems.seen == []


def test_an_admin_re_imports_the_catalogue_from_the_admin_page(browser: Browser, services, tmp_path) -> None:
    source = tmp_path / "national"
    write_portal_record(source, "1.777001", "Đăng ký việc nuôi chim bồ câu đưa thư")
    catalogue = {"MOTCUA_CATALOGUE_SOURCE": str(source), "MOTCUA_IMPORTED_CATALOGUE": str(tmp_path / "imported.json")}
    with running(services, offline(f"sqlite:///{tmp_path / 'console.db'}", **catalogue)) as console:
        page, problems = open_console(browser, console, "admin")
        page.get_by_role("link", name="Quản trị").click()
        status = page.locator("#catalogue-status")
        expect(status).to_contain_text("có thay đổi chưa nhập")
        page.get_by_role("button", name="Nhập lại danh mục").click()
        expect(page.locator("#toast")).to_contain_text("Đã nhập 1 thủ tục")
        expect(status).to_contain_text("đã nhập bản mới nhất")
        assert problems.seen == []


def test_the_console_works_on_a_tablet(browser: Browser, console: Console) -> None:
    page, problems = open_console(browser, console, "lan", width=768, height=1024)
    cid = web_conversation()
    console.hand_off(cid, "tôi cần hỏi về hồ sơ đất đai")
    page.locator("#queue .item").click()
    page.get_by_role("button", name="Nhận hỗ trợ").click()
    text = page.get_by_label("Nội dung trả lời hoặc ghi chú")
    expect(text).to_be_in_viewport()
    text.fill(REPLY)
    page.get_by_role("button", name="Gửi cho công dân").click()
    expect(page.locator("#transcript .from-staff")).to_contain_text(REPLY)
    for button in ("Trả lại trợ lý ảo", "Kết thúc"):
        expect(page.get_by_role("button", name=button)).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 768  # nothing sticks out sideways
    page.screenshot(path=str(SCREENSHOTS / "console-tablet.png"))
    assert problems.seen == []

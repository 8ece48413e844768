"""What the bot says for each lookup outcome: facts from the dossier, apologies when late, no personal data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from bot.dossiers.codes import EXAMPLE_CODE, Problem, parse_code
from bot.dossiers.lookup import LookupResult, Outcome
from bot.dossiers.model import Applicant, Dossier, LogEntry, ProcedureRef, Status
from bot.dossiers.replies import lookup_replies
from bot.messages import CHAT_MESSAGE_LIMIT, Button

TODAY = date(2026, 11, 26)  # a Thursday
STAFF = Button("Gặp cán bộ", "/request_human")
PHONE = "0903123456"
LOG = tuple(
    LogEntry(datetime(2026, 11, day, 9, 0), office, action, "Chuyên viên", note)
    for day, office, action, note in [
        (16, "Bộ phận Một cửa", "Tiếp nhận hồ sơ", None),
        (17, "Bộ phận Một cửa", "Chuyển hồ sơ đến cơ quan giải quyết", None),
        (18, "Phòng Văn hóa - Xã hội", "Thẩm định hồ sơ", "Đã kiểm tra đủ thành phần"),
        (19, "Phòng Văn hóa - Xã hội", "Trình lãnh đạo ký", None),
    ]
)
RUNNING = Dossier(
    code="000.21.31.H29-261116-0007",
    procedure=ProcedureRef("1.000894", "Đăng ký kết hôn"),
    applicant=Applicant("Trần Thị Bích Ngọc", PHONE),
    received=date(2026, 11, 16),
    appointment=date(2026, 11, 30),
    office="Ủy ban nhân dân phường Sài Gòn",
    status=Status.PROCESSING,
    log=LOG,
    pickup_place="Trung tâm Phục vụ hành chính công phường Sài Gòn",
)


def say(outcome: Outcome, dossier: Dossier | None = None, **fields) -> tuple[str, list[Button]]:
    code = parse_code(dossier.code if dossier else "000.21.31.H29-261116-0008")
    replies = lookup_replies(LookupResult(outcome, TODAY, code, dossier, **fields))
    assert replies and all(len(r.text) <= CHAT_MESSAGE_LIMIT for r in replies)
    assert all(not r.buttons for r in replies[:-1])
    return "\n\n".join(r.text for r in replies), replies[-1].buttons


def test_a_running_dossier_reports_status_dates_days_left_and_the_last_three_steps() -> None:
    text, buttons = say(Outcome.FOUND, RUNNING)
    assert "Tình trạng: Đang xử lý" in text
    assert "Đăng ký kết hôn" in text
    assert "Ngày tiếp nhận: 16/11/2026" in text
    assert "Ngày hẹn trả: 30/11/2026 — còn 2 ngày làm việc" in text  # Friday and Monday
    assert "Chuyển hồ sơ đến cơ quan giải quyết" in text and "Trình lãnh đạo ký" in text
    assert "Tiếp nhận hồ sơ" not in text  # the fourth step back
    assert "chờ đến ngày hẹn trả" in text
    assert "xin lỗi" not in text
    assert buttons == []


def test_the_applicant_is_masked_and_the_phone_never_shown() -> None:
    for dossier in (RUNNING, replace(RUNNING, status=Status.RESULT_READY, completed=TODAY)):
        text, _ = say(Outcome.FOUND, dossier)
        assert "Trần T** B** N**" in text
        assert "Bích" not in text and "Ngọc" not in text
        assert PHONE not in text and PHONE[-4:] not in text and "903" not in text


def test_a_late_dossier_apologises_and_offers_a_staff_member() -> None:
    text, buttons = say(Outcome.FOUND, replace(RUNNING, appointment=date(2026, 11, 20)))
    assert "đã quá hẹn 4 ngày làm việc" in text  # Mon 23 to Thu 26
    assert "xin lỗi" in text
    assert "văn bản xin lỗi" in text and "hẹn lại ngày trả kết quả" in text
    assert "chờ đến ngày hẹn trả" not in text
    assert buttons == [STAFF]


def test_a_dossier_finished_late_apologises_after_the_next_step() -> None:
    late = replace(RUNNING, status=Status.RESULT_READY, appointment=date(2026, 11, 20), completed=date(2026, 11, 24))
    text, buttons = say(Outcome.FOUND, late)
    assert "hoàn thành trễ hẹn 2 ngày làm việc" in text
    assert "Mời anh/chị đến nhận kết quả tại Trung tâm Phục vụ hành chính công phường Sài Gòn" in text
    assert "văn bản xin lỗi" in text
    assert buttons == [STAFF]


def test_a_dossier_awaiting_supplements_lists_them() -> None:
    papers = ("Giấy xác nhận tình trạng hôn nhân", "Bản sao Giấy khai sinh")
    text, _ = say(Outcome.FOUND, replace(RUNNING, status=Status.AWAITING_SUPPLEMENT, supplements=papers))
    assert "Tình trạng: Chờ bổ sung" in text
    assert "• Giấy xác nhận tình trạng hôn nhân\n• Bản sao Giấy khai sinh" in text
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in text
    assert "tạm ngưng tính hạn" in text


def test_a_rejection_quotes_the_latest_reason_and_offers_help() -> None:
    reason = LogEntry(datetime(2026, 11, 20, 15), "Phòng Văn hóa - Xã hội", "Từ chối", "Lãnh đạo", "Không đủ điều kiện")
    rejected = replace(RUNNING, status=Status.REJECTED, completed=date(2026, 11, 20), log=(*LOG, reason))
    text, buttons = say(Outcome.FOUND, rejected)
    assert "Hồ sơ không được giải quyết: Không đủ điều kiện" in text
    assert buttons == [STAFF]


def test_full_details_show_the_name_and_every_step_with_notes() -> None:
    text, _ = say(Outcome.FOUND, RUNNING, full_details=True, phone_check_offered=True)
    assert "Trần Thị Bích Ngọc" in text
    assert "Tiếp nhận hồ sơ" in text and "Đã kiểm tra đủ thành phần" in text
    assert PHONE not in text
    hint, _ = say(Outcome.FOUND, RUNNING, phone_check_offered=True)
    assert "4 số cuối" in hint


def test_not_found_suggests_checking_the_receipt() -> None:
    text, buttons = say(Outcome.NOT_FOUND)
    assert "chưa tìm thấy hồ sơ nào có mã 000.21.31.H29-261116-0008" in text
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in text
    assert buttons == [STAFF]


def test_a_malformed_code_explains_the_shape_and_where_it_is_printed() -> None:
    text, _ = say(Outcome.MALFORMED, problem=Problem.DATE, fragment="000.21.31.H29-261316-0008")
    assert "“000.21.31.H29-261316-0008” chưa đúng dạng" in text
    assert "ngày có thật" in text
    assert EXAMPLE_CODE in text and "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in text
    missing, _ = say(Outcome.MALFORMED, problem=Problem.MISSING)
    assert "vui lòng gửi mã hồ sơ" in missing and EXAMPLE_CODE in missing


def test_rate_limited_and_unavailable_are_short_and_clear() -> None:
    limited, buttons = say(Outcome.RATE_LIMITED, retry_after=1500)
    assert "thử lại sau khoảng 25 phút" in limited
    assert buttons == [STAFF]
    down, _ = say(Outcome.UNAVAILABLE)
    assert "xin lỗi" in down and "thử lại" in down
    assert len(down) < 200

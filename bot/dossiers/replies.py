"""Chat replies for a dossier lookup: short, polite (anh/chị, ạ), every fact taken from the dossier."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date

from bot.dossiers.codes import EXAMPLE_CODE, Problem
from bot.dossiers.lookup import LookupResult, Outcome
from bot.dossiers.model import Dossier, LogEntry, Status
from bot.dossiers.privacy import mask_name
from bot.messages import Button, Reply, replies_for

STAFF = Button("Gặp cán bộ", "/request_human")
RECEIPT = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
CODE_SHAPE = (
    f"Mã hồ sơ có dạng {EXAMPLE_CODE}: mã cơ quan tiếp nhận, ngày nhận hồ sơ (năm, tháng, ngày: 6 chữ số) "
    f"và số thứ tự (4 chữ số), cách nhau bởi dấu gạch ngang. Mã được in trên {RECEIPT} ạ."
)
PROBLEMS = {
    Problem.SHAPE: "mã cần có ba phần cách nhau bởi dấu gạch ngang",
    Problem.OFFICE: "phần mã cơ quan ở đầu chưa đúng",
    Problem.DATE: "sáu chữ số ở giữa phải là một ngày có thật (năm, tháng, ngày)",
    Problem.SEQUENCE: "số thứ tự ở cuối phải có từ 1 đến 4 chữ số",
}
COMPLETED_LABELS = {Status.WITHDRAWN: "Ngày rút hồ sơ"}
PHONE_CHECK_HINT = (
    "Để xem họ tên đầy đủ và toàn bộ quá trình xử lý, anh/chị gửi kèm 4 số cuối của số điện thoại "
    "đã đăng ký khi nộp hồ sơ ạ."
)
Rendered = tuple[str, list[Button]]


def lookup_replies(result: LookupResult) -> list[Reply]:
    """The chat replies for a lookup result; buttons go with the last reply."""
    render: Callable[[LookupResult], Rendered] = {
        Outcome.FOUND: _found,
        Outcome.NOT_FOUND: _not_found,
        Outcome.MALFORMED: _malformed,
        Outcome.RATE_LIMITED: _rate_limited,
        Outcome.UNAVAILABLE: _unavailable,
    }[result.outcome]
    text, buttons = render(result)
    return replies_for(text, buttons)


def _found(result: LookupResult) -> Rendered:
    dossier, today = result.dossier, result.today
    if dossier is None:
        raise ValueError("a found result carries its dossier")
    name = dossier.applicant.full_name if result.full_details else mask_name(dossier.applicant.full_name)
    facts = [
        f"Dạ, em đã tìm thấy hồ sơ {dossier.code} ạ.",
        f"• Tình trạng: {dossier.status.label.capitalize()}",
        f"• Thủ tục: {dossier.procedure.name}",
        f"• Người nộp: {name}",
        f"• Cơ quan giải quyết: {dossier.office}",
        f"• Ngày tiếp nhận: {day(dossier.received)}",
        f"• Ngày hẹn trả: {day(dossier.appointment)}{deadline(dossier, today)}",
    ]
    if dossier.completed:
        label = COMPLETED_LABELS.get(dossier.status, "Ngày hoàn thành")
        facts.append(f"• {label}: {day(dossier.completed)}")
    if result.full_details:
        facts += ["Quá trình xử lý:", *(_entry(entry, with_note=True) for entry in dossier.latest_log(None))]
    elif dossier.log:
        facts += ["Xử lý gần đây:", *(_entry(entry, with_note=False) for entry in dossier.latest_log(3))]
    step, buttons = next_step(dossier, today)
    paragraphs = ["\n".join(facts), step]
    if result.phone_check_offered and not result.full_details:
        paragraphs.append(PHONE_CHECK_HINT)
    return "\n\n".join(paragraphs), buttons


def deadline(dossier: Dossier, today: date) -> str:
    if dossier.status is Status.AWAITING_SUPPLEMENT:
        return " (tạm ngưng tính hạn trong thời gian chờ bổ sung)"
    if dossier.status is Status.SUSPENDED:
        return " (tạm ngưng tính hạn trong thời gian tạm dừng)"
    if dossier.status is Status.WITHDRAWN:
        return ""
    late = dossier.days_late(today)
    if dossier.is_finished:
        return f" (hoàn thành trễ hẹn {late} ngày làm việc)" if late else ""
    if dossier.is_late(today):
        return f" — đã quá hẹn {late} ngày làm việc" if late else " — đã quá ngày hẹn"
    left = dossier.days_left(today)
    return f" — còn {left} ngày làm việc" if left else " — hôm nay là ngày hẹn trả"


def next_step(dossier: Dossier, today: date) -> Rendered:
    """What the citizen should do now; a late dossier adds the apology (and replaces the advice to wait)."""
    step, buttons = _status_step(dossier)
    if not dossier.is_late(today):
        return step, buttons
    apology = _apology(dossier, today)
    return (f"{step}\n\n{apology}" if dossier.is_finished else apology), [STAFF]


def _status_step(dossier: Dossier) -> Rendered:
    reason = _latest_note(dossier)
    match dossier.status:
        case Status.AWAITING_SUPPLEMENT if dossier.supplements:
            papers = "\n".join(f"• {paper}" for paper in dossier.supplements)
            return (
                f"Anh/chị vui lòng bổ sung các giấy tờ sau ạ:\n{papers}\n"
                f"Khi nộp bổ sung tại nơi đã nộp hồ sơ, anh/chị mang theo {RECEIPT}.",
                [],
            )
        case Status.AWAITING_SUPPLEMENT:
            return "Anh/chị vui lòng liên hệ nơi đã nộp hồ sơ để biết giấy tờ cần bổ sung ạ.", [STAFF]
        case Status.SUSPENDED:
            return f"Hồ sơ đang tạm dừng xử lý{reason}. {dossier.office} sẽ thông báo khi tiếp tục ạ.", [STAFF]
        case Status.RESULT_READY:
            place = dossier.pickup_place or dossier.office
            return f"Mời anh/chị đến nhận kết quả tại {place}, nhớ mang theo {RECEIPT} ạ.", []
        case Status.RESULT_RETURNED:
            return "Kết quả đã được trả, anh/chị không cần làm gì thêm ạ.", []
        case Status.REJECTED:
            return f"Hồ sơ không được giải quyết{reason}. Anh/chị có thể gặp cán bộ để được hướng dẫn ạ.", [STAFF]
        case Status.WITHDRAWN:
            return "Hồ sơ đã được rút, anh/chị không cần làm gì thêm ạ.", []
    return "Anh/chị chưa cần làm gì thêm, vui lòng chờ đến ngày hẹn trả ạ.", []


def _apology(dossier: Dossier, today: date) -> str:
    late = dossier.days_late(today)
    by = f" {late} ngày làm việc" if late else ""
    if dossier.is_finished:
        return (
            f"Em thành thật xin lỗi anh/chị vì hồ sơ đã được giải quyết trễ hẹn{by}. Theo quy định, cơ quan "
            "giải quyết phải gửi anh/chị văn bản xin lỗi; nếu anh/chị chưa nhận được, em có thể kết nối "
            "với cán bộ ạ."
        )
    return (
        f"Em thành thật xin lỗi anh/chị vì hồ sơ đã quá ngày hẹn trả{by}. Theo quy định, cơ quan giải quyết "
        "phải gửi anh/chị văn bản xin lỗi và hẹn lại ngày trả kết quả. Anh/chị có muốn em kết nối với cán bộ "
        "để được hỗ trợ không ạ?"
    )


def _latest_note(dossier: Dossier) -> str:
    notes = [entry.note for entry in dossier.latest_log(None) if entry.note]
    return f": {notes[-1]}" if notes else ""


def _entry(entry: LogEntry, with_note: bool) -> str:
    """A log line; officers' notes only in full details (the status step quotes the latest one)."""
    note = f" — {entry.note}" if with_note and entry.note else ""
    return f"• {entry.time:%d/%m/%Y %H:%M} {entry.action} ({entry.office}){note}"


def day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _not_found(result: LookupResult) -> Rendered:
    return (
        f"Dạ, em chưa tìm thấy hồ sơ nào có mã {result.code} ạ. Anh/chị vui lòng kiểm tra lại mã in trên "
        f"{RECEIPT}. Nếu mã đúng mà vẫn không tra được, em có thể kết nối anh/chị với cán bộ ạ.",
        [STAFF],
    )


def _malformed(result: LookupResult) -> Rendered:
    if result.problem is None or result.problem is Problem.MISSING:
        return f"Dạ, anh/chị vui lòng gửi mã hồ sơ cần tra cứu ạ. {CODE_SHAPE}", []
    return f"Dạ, “{result.fragment[:60]}” chưa đúng dạng mã hồ sơ: {PROBLEMS[result.problem]}. {CODE_SHAPE}", []


def _rate_limited(result: LookupResult) -> Rendered:
    minutes = max(1, math.ceil(result.retry_after / 60))
    return (
        "Dạ, anh/chị đã tra cứu nhiều lần trong một giờ qua. Để bảo vệ thông tin hồ sơ của người dân, em tạm "
        f"ngừng tra cứu trong cuộc trò chuyện này; anh/chị vui lòng thử lại sau khoảng {minutes} phút ạ. "
        "Nếu cần gấp, anh/chị có thể gặp cán bộ.",
        [STAFF],
    )


def _unavailable(result: LookupResult) -> Rendered:
    return "Dạ, em xin lỗi, hệ thống tra cứu hồ sơ đang tạm gián đoạn. Anh/chị vui lòng thử lại sau ít phút ạ.", []

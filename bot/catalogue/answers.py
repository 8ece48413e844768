"""Chat answers about one procedure, one aspect at a time, written from catalogue fields only."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import Enum

from bot.catalogue.cautions import cautions
from bot.catalogue.model import (
    AMOUNT_MENTION,
    NATIONAL_PORTAL,
    Channel,
    ChannelOption,
    Duration,
    Fee,
    OnlineLevel,
    Paper,
    Procedure,
)
from bot.messages import Button, Reply, replies_for


class Aspect(str, Enum):
    OVERVIEW = "overview"
    DOCUMENTS = "documents"
    FEE = "fee"
    TIME = "time"
    AGENCY = "agency"
    STEPS = "steps"
    ONLINE = "online"
    FORMS = "forms"


# The intent that asks for each aspect, and the button that offers it.
ASPECT_INTENTS = {
    Aspect.OVERVIEW: "ask_procedure",
    Aspect.DOCUMENTS: "ask_documents",
    Aspect.FEE: "ask_fee",
    Aspect.TIME: "ask_processing_time",
    Aspect.AGENCY: "ask_agency",
    Aspect.STEPS: "ask_steps",
    Aspect.ONLINE: "ask_online",
    Aspect.FORMS: "ask_forms",
}
INTENT_ASPECTS = {intent: aspect for aspect, intent in ASPECT_INTENTS.items()}
ASPECT_TITLES = {
    Aspect.DOCUMENTS: "Hồ sơ cần gì",
    Aspect.FEE: "Lệ phí",
    Aspect.TIME: "Thời gian",
    Aspect.AGENCY: "Nộp ở đâu",
    Aspect.ONLINE: "Nộp trực tuyến",
    Aspect.STEPS: "Các bước",
    Aspect.FORMS: "Mẫu đơn",
}
CHANNEL_LABELS = {Channel.IN_PERSON: "Nộp trực tiếp", Channel.ONLINE: "Nộp trực tuyến", Channel.POSTAL: "Qua bưu chính"}
UNIT_LABELS = {"ngay_lam_viec": "ngày làm việc", "ngay": "ngày", "gio": "giờ", "thang": "tháng"}
# The catalogue facts each answer shows: the cautions it carries are about these.
ASPECT_SHOWS = {
    Aspect.OVERVIEW: {"agencies", "time", "steps", "conditions"},
    Aspect.DOCUMENTS: {"documents"},
    Aspect.FEE: {"fee"},
    Aspect.TIME: {"time"},
    Aspect.AGENCY: {"agencies"},
    Aspect.STEPS: {"steps"},
    Aspect.ONLINE: set(),
    Aspect.FORMS: {"documents"},
}


def aspect_payload(aspect: Aspect, code: str) -> str:
    return f"/{ASPECT_INTENTS[aspect]}{json.dumps({'procedure_code': code})}"


MAX_FOLLOW_UPS = 6
CHECK_PAPERS = "Kiểm tra giấy tờ của tôi"
# What an answer covers besides its own aspect: "how do I …" is answered by the overview, steps included.
COVERED = {Aspect.OVERVIEW: {Aspect.STEPS}}


def follow_up_buttons(procedure: Procedure, current: Aspect) -> list[Button]:
    """Buttons for the aspects the answer to `current` did not cover; after the papers, checking one's own."""
    covered = {current, *COVERED.get(current, ())}
    buttons = [
        Button(title, aspect_payload(aspect, procedure.code))
        for aspect, title in ASPECT_TITLES.items()
        if aspect not in covered
    ]
    if current == Aspect.DOCUMENTS and procedure.documents:
        buttons.insert(
            0, Button(CHECK_PAPERS, "/start_document_checklist" + json.dumps({"procedure_code": procedure.code}))
        )
    return buttons[:MAX_FOLLOW_UPS]


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def header(procedure: Procedure) -> str:
    return f"📄 {procedure.name} (mã {procedure.code})"


def render_duration(time: Duration) -> str:
    if time.value is None:
        return time.text or ""
    number = f"{time.value:g}"
    base = f"{number} {UNIT_LABELS[time.unit.value]}" if time.unit else number
    return f"{base} ({time.text})" if time.text else base


def render_fee(fee: Fee) -> str:
    if fee.amount is None:
        text = fee.text or ""
    elif fee.amount == 0:
        text = fee.text or "Miễn phí"
    else:
        text = f"{vnd(fee.amount)}" + (f" ({fee.text})" if fee.text else "")
    return text + (f". Miễn, giảm: {fee.exemptions}" if fee.exemptions else "")


def _per_channel(procedure: Procedure, describe: Callable[[ChannelOption], str | None], missing: str) -> str:
    lines = [f"• {CHANNEL_LABELS[row.channel]}: {text}" for row in procedure.channels if (text := describe(row))]
    return "\n".join(lines) if lines else missing


def _quantity(paper: Paper) -> str:
    parts = [f"{n} {label}" for n, label in ((paper.originals, "bản chính"), (paper.copies, "bản sao")) if n]
    return " + ".join(parts)


def paper_line(number: int, paper: Paper) -> str:
    line = f"{number}. {paper.name}"
    if quantity := _quantity(paper):
        line += f" — {quantity}"
    if paper.form:
        line += f" (mẫu: {paper.form})"
    notes = [n for n in (paper.note, paper.not_needed_reason) if n]
    return line + "".join(f"\n   ↳ {note}" for note in notes)


def _group_text(title: str, papers: list[Paper]) -> str:
    return title + "\n" + "\n".join(paper_line(i, p) for i, p in enumerate(papers, 1))


def _documents(procedure: Procedure) -> str:
    if not procedure.documents:
        if procedure.documents_text:
            return "Thành phần hồ sơ theo danh mục:\n" + procedure.documents_text
        return "Danh mục chưa có thông tin thành phần hồ sơ của thủ tục này."
    sections: list[str] = []
    for group in procedure.documents:
        submit = [p for p in group.papers if not p.present_only]
        show = [p for p in group.papers if p.present_only]
        if submit:
            sections.append(_group_text(f"{group.case}, nộp thêm:" if group.case else "Hồ sơ gồm:", submit))
        if show:
            sections.append(_group_text(f"{group.case}, xuất trình:" if group.case else "Giấy tờ xuất trình:", show))
    return "\n\n".join(sections)


def _agency(procedure: Procedure) -> str:
    agencies = procedure.agencies
    lines = []
    if agencies.executing:
        lines.append("Cơ quan giải quyết: " + "; ".join(agencies.executing))
    if agencies.receiving:
        lines.append("Nơi tiếp nhận hồ sơ: " + agencies.receiving)
    if agencies.competent:
        lines.append("Cơ quan có thẩm quyền: " + "; ".join(agencies.competent))
    if notes := _per_channel(procedure, lambda row: row.note, ""):
        lines.append("Lưu ý theo hình thức nộp:\n" + notes)
    return "\n".join(lines) or "Danh mục chưa có thông tin cơ quan tiếp nhận của thủ tục này."


def _online(procedure: Procedure) -> str:
    row = procedure.channel(Channel.ONLINE)
    text = _online_level(procedure)
    return f"{text}\nLưu ý: {row.note}" if row and row.note else text


def _online_level(procedure: Procedure) -> str:
    link = procedure.submission_link
    if procedure.online_level == OnlineLevel.FULL:
        return (
            f"✅ Thủ tục này có dịch vụ công trực tuyến toàn trình: anh/chị nộp và nhận kết quả trực tuyến tại {link}"
        )
    if procedure.online_level == OnlineLevel.PARTIAL:
        return (
            "Thủ tục này có dịch vụ công trực tuyến một phần: anh/chị nộp hồ sơ trực tuyến tại "
            f"{link}, một số bước vẫn phải thực hiện trực tiếp."
        )
    if procedure.online_level == OnlineLevel.NONE:
        return "Thủ tục này chưa nhận hồ sơ trực tuyến; anh/chị nộp trực tiếp hoặc qua bưu chính (nếu có)."
    if procedure.channel(Channel.ONLINE):
        return f"Thủ tục này có hình thức nộp trực tuyến tại {link}."
    return "Danh mục chưa ghi nhận hình thức nộp trực tuyến cho thủ tục này."


def _steps(procedure: Procedure) -> str:
    if not procedure.steps:
        return "Danh mục chưa có thông tin các bước thực hiện của thủ tục này."
    return "Các bước thực hiện:\n" + "\n".join(f"{i}. {step}" for i, step in enumerate(procedure.steps, 1))


def _forms(procedure: Procedure) -> str:
    papers = [p for group in procedure.documents for p in group.papers if p.form or p.form_url]
    if not papers:
        return "Thủ tục này không có mẫu đơn, tờ khai riêng trong danh mục."
    lines = [f"• {p.name}: {p.form or ''}" + (f" — tải tại {p.form_url}" if p.form_url else "") for p in papers]
    return "Mẫu đơn, tờ khai:\n" + "\n".join(lines)


def _fee_line(row: ChannelOption) -> str | None:
    """A channel's fee, with the channel's note when the note states an amount (a fee elsewhere, a rate)."""
    text = render_fee(row.fee) if row.fee else None
    if row.note and AMOUNT_MENTION.search(row.note):
        text = f"{text} — {row.note}" if text else row.note
    return text


def _fees(procedure: Procedure) -> str:
    return "Phí, lệ phí:\n" + _per_channel(procedure, _fee_line, "Danh mục chưa có thông tin lệ phí.")


def _overview(procedure: Procedure) -> str:
    levels = {"bo": "cấp bộ", "tinh": "cấp tỉnh", "xa": "cấp xã", "khac": "cơ quan khác"}
    lines = [f"Lĩnh vực: {procedure.field}", "Cấp thực hiện: " + ", ".join(levels[lv.value] for lv in procedure.levels)]
    if procedure.agencies.executing:
        lines.append("Cơ quan giải quyết: " + "; ".join(procedure.agencies.executing))
    times = _per_channel(procedure, lambda row: render_duration(row.time) if row.time else None, "")
    if times:
        lines.append("Thời hạn giải quyết:\n" + times)
    if procedure.conditions:
        lines.append("Điều kiện, lưu ý: " + procedure.conditions)
    if procedure.steps:
        lines.append(_steps(procedure))
    lines.append("Anh/chị muốn biết thêm thông tin nào ạ?")
    return "\n".join(lines)


_BODIES: dict[Aspect, Callable[[Procedure], str]] = {
    Aspect.OVERVIEW: _overview,
    Aspect.DOCUMENTS: _documents,
    Aspect.FEE: _fees,
    Aspect.TIME: lambda p: (
        "Thời hạn giải quyết:\n"
        + _per_channel(
            p, lambda row: render_duration(row.time) if row.time else None, "Danh mục chưa có thông tin thời hạn."
        )
    ),
    Aspect.AGENCY: _agency,
    Aspect.STEPS: _steps,
    Aspect.ONLINE: _online,
    Aspect.FORMS: _forms,
}


def details(procedure: Procedure) -> str:
    """The one official link of an answer: the record's page, else where its code and decision find it."""
    if procedure.source.url:
        return f"🔗 Chi tiết: {procedure.source.url}"
    decision = f" (công bố tại Quyết định {procedure.decision})" if procedure.decision else ""
    return f"🔗 Tra cứu mã {procedure.code}{decision} tại {NATIONAL_PORTAL}"


def answer(procedure: Procedure, aspect: Aspect) -> list[Reply]:
    """The chat replies answering `aspect` of `procedure`, with follow-up buttons on the last one."""
    parts = [
        header(procedure),
        _BODIES[aspect](procedure),
        *cautions(procedure, ASPECT_SHOWS[aspect]),
        details(procedure),
    ]
    return replies_for("\n\n".join(parts), follow_up_buttons(procedure, aspect))

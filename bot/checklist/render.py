"""The checklist's messages: papers asked together, one question on the cases, then the summary."""

from __future__ import annotations

import json

from bot.catalogue.answers import (
    CHANNEL_LABELS,
    Aspect,
    aspect_payload,
    header,
    paper_line,
    render_duration,
    render_fee,
)
from bot.catalogue.cautions import cautions
from bot.catalogue.model import Channel, OnlineLevel, Paper, Procedure
from bot.checklist.flow import Answer, Kind, Question, bring_anyway, has_hidden_cases, not_needed, papers_by_answer
from bot.messages import Button, Reply, replies_for
from bot.text.titles import distinct_titles, short

ANSWER_BUTTONS = [
    ("✔ Có rồi", Answer.YES),
    ("✘ Chưa có", Answer.NO),
    ("Chưa rõ", Answer.UNSURE),
    ("↩ Quay lại", Answer.BACK),
    ("Bỏ qua", Answer.SKIP),
    ("Dừng", Answer.STOP),
]
GROUP_BUTTONS = [
    ("✔ Đủ cả", Answer.YES),
    ("✘ Thiếu một số", Answer.NO),
    ("↩ Quay lại", Answer.BACK),
    ("Dừng", Answer.STOP),
]
NO_CASE = "Không thuộc trường hợp nào"
OTHER_CASES = "Trường hợp khác"
CASE_TITLE = 36  # characters of a case on its button; the whole case is in the message
NOTE_SHOWN = 140  # characters of a paper's note shown where the catalogue says nothing of where to get it
SUMMARY_SHOWS = {"documents", "agencies", "fee", "time"}  # the catalogue facts the summary shows
RESUME = Button("Tiếp tục kiểm tra giấy tờ", "/start_document_checklist")
HUMAN = Button("Gặp cán bộ", "/request_human")


def answer_payload(answer: str) -> str:
    return "/inform" + json.dumps({"checklist_answer": str(getattr(answer, "value", answer))})


def _buttons(choices: list[tuple[str, str]]) -> list[Button]:
    return [Button(title, answer_payload(answer)) for title, answer in choices]


def case_text(case: str) -> str:
    """A case as said to a citizen: "Trường hợp ủy quyền…" → "Ủy quyền…"."""
    text = case.strip()
    for prefix in ("Trường hợp ", "trường hợp "):
        text = text.removeprefix(prefix)
    return text[:1].upper() + text[1:]


def _looked_up_lines(procedure: Procedure, reasons: bool) -> list[str]:
    """Papers the office looks up itself: not needed at all, or worth bringing in case it cannot."""
    lines: list[str] = []
    if skipped := not_needed(procedure):
        lines += ["Không cần chuẩn bị (cơ quan tự khai thác dữ liệu):"]
        lines += [
            f"➖ {p.name}" + (f": {short(p.not_needed_reason or '', NOTE_SHOWN)}" if reasons else "") for p in skipped
        ]
    if bring := bring_anyway(procedure):
        lines += ["Nên mang theo phòng khi cơ quan không tự tra cứu được:"]
        lines += [
            f"👜 {p.name}" + (f": {short(p.not_needed_reason or '', NOTE_SHOWN)}" if reasons else "") for p in bring
        ]
    return lines


def introduction(procedure: Procedure) -> str:
    return "\n".join(
        [header(procedure), "Em kiểm tra nhanh giấy tờ với anh/chị nhé.", *_looked_up_lines(procedure, reasons=False)]
    )


def _paper_question(question: Question) -> Reply:
    number, total = question.position
    paper = question.papers[0]
    text = f"Giấy tờ {number}/{total}:\n{paper_line(number, paper)}"
    if question.case:
        text += f"\n   (áp dụng: {case_text(question.case)})"
    if paper.where_to_get:
        text += f"\n   📍 Nơi cấp/lấy: {paper.where_to_get}"
    return Reply(text + "\nAnh/chị đã có giấy này chưa ạ?", _buttons(ANSWER_BUTTONS))


def _group_question(question: Question) -> Reply:
    lead = f"Với trường hợp {case_text(question.case).lower()}, cần thêm:" if question.case else "Giấy tờ ai cũng cần:"
    lines = [lead, *(paper_line(i, p).split("\n", 1)[0] for i, p in enumerate(question.papers, 1))]  # notes: one by one
    lines.append("Anh/chị đã có đủ các giấy tờ trên chưa ạ?")
    return Reply("\n".join(lines), _buttons(GROUP_BUTTONS))


def _cases_question(procedure: Procedure, state: dict, question: Question) -> Reply:
    if not question.first:
        lead = "Anh/chị còn thuộc trường hợp nào dưới đây không ạ?"
    elif any(not g.case for g in procedure.documents):
        lead = "Anh/chị có thuộc trường hợp nào dưới đây không ạ? (mỗi trường hợp cần thêm giấy tờ)"
    else:
        lead = "Giấy tờ tùy trường hợp. Anh/chị thuộc trường hợp nào dưới đây ạ?"
    cases = [case_text(procedure.documents[i].case or "") for i in question.options]
    lines = [lead, *(f"{n}. {case}" for n, case in enumerate(cases, 1))]
    titles = distinct_titles(cases, CASE_TITLE)
    choices = [
        (f"{n}. {title}", f"case:{i}") for n, (i, title) in enumerate(zip(question.options, titles, strict=True), 1)
    ]
    if has_hidden_cases(procedure, state, question):
        choices.append((OTHER_CASES, Answer.MORE.value))
    choices += [(NO_CASE, Answer.NONE.value), ("↩ Quay lại", Answer.BACK.value), ("Dừng", Answer.STOP.value)]
    return Reply("\n".join(lines), _buttons(choices))


def question_reply(procedure: Procedure, state: dict, question: Question) -> Reply:
    if question.kind == Kind.CASES:
        return _cases_question(procedure, state, question)
    if question.kind == Kind.GROUP:
        return _group_question(question)
    return _paper_question(question)


def stopped_reply() -> Reply:
    return Reply(
        "Dạ, em đã tạm dừng kiểm tra giấy tờ. Khi nào cần, anh/chị bấm “Tiếp tục” để làm tiếp từ chỗ đang dừng ạ.",
        [RESUME],
    )


def not_understood_reply(procedure: Procedure, state: dict, question: Question) -> Reply:
    again = question_reply(procedure, state, question)
    return Reply("Dạ, anh/chị chọn giúp em một trong các nút dưới đây nhé.", again.buttons)


def _where_to_get(paper: Paper) -> str:
    if paper.where_to_get:
        return f" — lấy tại: {paper.where_to_get}"
    if paper.form:
        link = f", tải tại {paper.form_url}" if paper.form_url else ""
        return f" — theo mẫu {paper.form}{link} (có sẵn tại nơi nộp hồ sơ)"
    if paper.note:
        return f" — {short(paper.note, NOTE_SHOWN)}"
    return ""


def _submit_at(procedure: Procedure) -> str:
    return procedure.agencies.receiving or "; ".join(procedure.agencies.executing)


def _next_step(procedure: Procedure) -> list[str]:
    lines = ["Bước tiếp theo:"]
    if where := _submit_at(procedure):
        lines.append(f"• Nộp tại: {where}")
    if procedure.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL):
        lines.append(f"• Nộp trực tuyến: {procedure.submission_link}")
    row = procedure.channel(Channel.IN_PERSON) or (procedure.channels[0] if procedure.channels else None)
    if row and row.fee:
        lines.append(f"• Lệ phí ({CHANNEL_LABELS[row.channel].lower()}): {render_fee(row.fee)}")
    if row and row.time:
        lines.append(f"• Thời hạn giải quyết: {render_duration(row.time)}")
    return lines


def summary_buttons(procedure: Procedure) -> list[Button]:
    again = "/start_document_checklist" + json.dumps({"procedure_code": procedure.code})
    return [
        Button("Nộp ở đâu", aspect_payload(Aspect.AGENCY, procedure.code)),
        Button("Các bước", aspect_payload(Aspect.STEPS, procedure.code)),
        Button("Kiểm tra lại từ đầu", again),
        HUMAN,
    ]


def summary(procedure: Procedure, state: dict) -> list[Reply]:
    """What is ready, what is missing (and where to get it), what to bring anyway, and where to go next."""
    grouped = papers_by_answer(procedure, state)
    lines = [f"📋 Kết quả kiểm tra hồ sơ — {procedure.name} (mã {procedure.code})"]
    if grouped[Answer.YES]:
        lines += ["", f"Đã có ({len(grouped[Answer.YES])}):"] + [f"✔ {p.name}" for p in grouped[Answer.YES]]
    if grouped[Answer.NO]:
        lines += ["", f"Còn thiếu ({len(grouped[Answer.NO])}):"]
        lines += [f"✘ {p.name}{_where_to_get(p)}" for p in grouped[Answer.NO]]
        if any(not _where_to_get(p) for p in grouped[Answer.NO]) and (where := _submit_at(procedure)):
            lines.append(f"ℹ️ Giấy tờ chưa ghi nơi cấp: anh/chị hỏi thêm tại {where} hoặc bấm “Gặp cán bộ” ạ.")
    unsure = grouped[Answer.UNSURE] + grouped[Answer.SKIP]
    if unsure:
        lines += ["", "Cần xem lại:"] + [f"❔ {p.name}{_where_to_get(p)}" for p in unsure]
    if looked_up := _looked_up_lines(procedure, reasons=True):
        lines += ["", *looked_up]
    if not grouped[Answer.NO] and not unsure:
        lines += ["", "🎉 Anh/chị đã có đủ giấy tờ cần nộp."]
    lines += ["", *_next_step(procedure)]
    lines += [line for caution in cautions(procedure, SUMMARY_SHOWS, link=True) for line in ("", caution)]
    return replies_for("\n".join(lines), summary_buttons(procedure))

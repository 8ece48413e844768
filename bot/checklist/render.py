"""The checklist's messages: one question at a time, then the summary with the next step."""

from __future__ import annotations

import json

from bot.catalogue.answers import CHANNEL_LABELS, header, paper_line, render_duration, render_fee
from bot.catalogue.model import Channel, OnlineLevel, Paper, Procedure
from bot.checklist.flow import Answer, Question, not_needed, papers_by_answer, questions
from bot.messages import Button, Reply, replies_for

ANSWER_BUTTONS = [
    ("✔ Có rồi", Answer.YES),
    ("✘ Chưa có", Answer.NO),
    ("Chưa rõ", Answer.UNSURE),
    ("↩ Quay lại", Answer.BACK),
    ("Bỏ qua", Answer.SKIP),
    ("Dừng", Answer.STOP),
]
CASE_BUTTONS = [("Đúng", Answer.YES), ("Không", Answer.NO), ("↩ Quay lại", Answer.BACK), ("Dừng", Answer.STOP)]
RESUME = Button("Tiếp tục kiểm tra giấy tờ", "/start_document_checklist")


def answer_payload(answer: Answer) -> str:
    return "/inform" + json.dumps({"checklist_answer": answer.value})


def _buttons(choices: list[tuple[str, Answer]]) -> list[Button]:
    return [Button(title, answer_payload(answer)) for title, answer in choices]


def introduction(procedure: Procedure) -> str:
    lines = [header(procedure), "Em sẽ hỏi lần lượt từng giấy tờ, anh/chị trả lời có / chưa có / chưa rõ nhé."]
    if skipped := not_needed(procedure):
        lines.append("Không cần chuẩn bị (cơ quan tự khai thác dữ liệu):")
        lines += [f"➖ {p.name}: {p.not_needed_reason}" for p in skipped]
    return "\n".join(lines)


def question_reply(procedure: Procedure, state: dict, question: Question) -> Reply:
    if question.paper is None:
        return Reply(f"Anh/chị có thuộc trường hợp sau không ạ?\n👉 {question.case}", _buttons(CASE_BUTTONS))
    papers = [q for q in questions(procedure, state) if q.paper is not None]
    number = next(i for i, q in enumerate(papers, 1) if q.key == question.key)
    text = f"Giấy tờ {number}/{len(papers)}:\n{paper_line(number, question.paper)}"
    if question.case:
        text += f"\n   (áp dụng: {question.case})"
    if question.paper.where_to_get:
        text += f"\n   📍 Nơi cấp/lấy: {question.paper.where_to_get}"
    return Reply(text + "\nAnh/chị đã có giấy này chưa ạ?", _buttons(ANSWER_BUTTONS))


def stopped_reply() -> Reply:
    return Reply(
        "Dạ, em đã tạm dừng kiểm tra giấy tờ. Khi nào cần, anh/chị bấm “Tiếp tục” để làm tiếp từ chỗ đang dừng ạ.",
        [RESUME],
    )


def not_understood_reply(question: Question) -> Reply:
    choices = CASE_BUTTONS if question.paper is None else ANSWER_BUTTONS
    return Reply("Dạ, anh/chị chọn giúp em một trong các nút dưới đây nhé.", _buttons(choices))


def _missing_line(paper: Paper) -> str:
    return f"✘ {paper.name}" + (f" — lấy tại: {paper.where_to_get}" if paper.where_to_get else "")


def _next_step(procedure: Procedure) -> list[str]:
    lines = ["Bước tiếp theo:"]
    where = procedure.agencies.receiving or "; ".join(procedure.agencies.executing)
    if where:
        lines.append(f"• Nộp tại: {where}")
    if procedure.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL):
        link = procedure.online_url or procedure.source.url
        lines.append(f"• Nộp trực tuyến: {link}")
    row = procedure.channel(Channel.IN_PERSON) or (procedure.channels[0] if procedure.channels else None)
    if row and row.fee:
        lines.append(f"• Lệ phí ({CHANNEL_LABELS[row.channel].lower()}): {render_fee(row.fee)}")
    if row and row.time:
        lines.append(f"• Thời hạn giải quyết: {render_duration(row.time)}")
    return lines


def summary(procedure: Procedure, state: dict) -> list[Reply]:
    """What is ready, what is missing (and where to get it), and where to go next."""
    grouped = papers_by_answer(procedure, state)
    lines = [f"📋 Kết quả kiểm tra hồ sơ — {procedure.name} (mã {procedure.code})"]
    if grouped[Answer.YES]:
        lines += ["", f"Đã có ({len(grouped[Answer.YES])}):"] + [f"✔ {p.name}" for p in grouped[Answer.YES]]
    if grouped[Answer.NO]:
        lines += ["", f"Còn thiếu ({len(grouped[Answer.NO])}):"] + [_missing_line(p) for p in grouped[Answer.NO]]
    unsure = grouped[Answer.UNSURE] + grouped[Answer.SKIP]
    if unsure:
        lines += ["", "Cần xem lại:"] + [f"❔ {p.name}" for p in unsure]
    if skipped := not_needed(procedure):
        lines += ["", "Không cần chuẩn bị:"] + [f"➖ {p.name}: {p.not_needed_reason}" for p in skipped]
    if not grouped[Answer.NO] and not unsure:
        lines += ["", "🎉 Anh/chị đã có đủ giấy tờ cần nộp."]
    lines += ["", *_next_step(procedure)]
    return replies_for("\n".join(lines))

"""Turns of the guided document checklist: start or resume it, take an answer, sum up."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from bot.catalogue.model import Procedure
from bot.catalogue.search import MAX_CHOICES, MatchStatus, choices
from bot.checklist import render
from bot.checklist.flow import Answer, apply, current, new_state
from bot.checklist.understand import understand
from bot.dialogue.procedure_turn import EXAMPLES, resolve
from bot.messages import Button, Reply
from bot.services import Services

AWAITING_PROCEDURE = {"code": None}
# "Kiểm tra hồ sơ giúp tôi" asks to check papers to prepare or a dossier already submitted: with no procedure
# named or remembered, both ways are offered.
WHICH_PROCEDURE_OR_DOSSIER = Reply(
    f"Dạ, anh/chị muốn chuẩn bị hồ sơ cho thủ tục nào ạ? Ví dụ {EXAMPLES}.\n"
    "Nếu anh/chị muốn tra cứu hồ sơ đã nộp, anh/chị gửi mã hồ sơ giúp em ạ.",
    [Button("Tra cứu hồ sơ đã nộp", "/check_dossier_status")],
)


@dataclass(frozen=True)
class ChecklistTurn:
    """The citizen's message as the NLU read it, and the checklist state kept in the conversation."""

    text: str
    intent: str = ""
    button_answer: str | None = None
    procedure_mentions: list[str] = field(default_factory=list)
    button_code: str | None = None
    current_code: str | None = None
    state: dict | None = None


@dataclass(frozen=True)
class ChecklistOutcome:
    replies: list[Reply]
    state: dict | None
    active: bool
    procedure_code: str | None


def _resolve(services: Services, turn: ChecklistTurn) -> tuple[Procedure | None, list[Reply]]:
    """The procedure to check, or the replies asking which one."""
    if turn.button_code and (procedure := services.catalogue.get(turn.button_code)):
        return procedure, []
    result = resolve(services, turn.text, turn.procedure_mentions)
    remembered = services.catalogue.get(turn.current_code) if turn.current_code else None
    if result and result.status == MatchStatus.CLEAR:
        return result.hits[0].procedure, []
    offered = [hit.procedure for hit in choices(result.hits)] if result else []
    if remembered and (not result or remembered.code in {p.code for p in offered}):
        return remembered, []  # no other procedure named, or the weak evidence agrees with the conversation
    if offered:
        buttons = [
            Button(p.name, "/start_document_checklist" + json.dumps({"procedure_code": p.code}))
            for p in [*([remembered] if remembered else []), *offered][:MAX_CHOICES]
        ]
        return None, [Reply("Dạ, anh/chị muốn chuẩn bị hồ sơ cho thủ tục nào ạ?", buttons)]
    return None, [WHICH_PROCEDURE_OR_DOSSIER]


def _ask_next(procedure: Procedure, state: dict, lead: list[Reply]) -> ChecklistOutcome:
    question = current(procedure, state)
    if question is None:
        return ChecklistOutcome(lead + render.summary(procedure, state), None, False, procedure.code)
    return ChecklistOutcome([*lead, render.question_reply(procedure, state, question)], state, True, procedure.code)


def start(services: Services, turn: ChecklistTurn) -> ChecklistOutcome:
    """Start a checklist, or resume the one in progress for the same procedure."""
    explicit = turn.button_code or turn.procedure_mentions
    saved = services.catalogue.get(turn.state["code"]) if turn.state and turn.state.get("code") else None
    if saved and not explicit and services.index.search(turn.text).status == MatchStatus.NONE:
        return _ask_next(saved, {**turn.state, "stopped": False}, [Reply("Dạ, mình tiếp tục kiểm tra giấy tờ nhé.")])
    procedure, asking = _resolve(services, turn)
    if procedure is None:
        return ChecklistOutcome(asking, dict(AWAITING_PROCEDURE), True, turn.current_code)
    if saved and saved.code == procedure.code:
        return _ask_next(
            procedure, {**turn.state, "stopped": False}, [Reply("Dạ, mình tiếp tục từ chỗ đang dừng nhé.")]
        )
    if not procedure.documents:
        reply = Reply(
            f"Dạ, danh mục chưa có danh sách giấy tờ chi tiết để kiểm tra từng bước cho thủ tục {procedure.name}. "
            "Anh/chị xem thành phần hồ sơ nhé.",
            [Button("Xem hồ sơ cần gì", "/ask_documents" + json.dumps({"procedure_code": procedure.code}))],
        )
        return ChecklistOutcome([reply], None, False, procedure.code)
    return _ask_next(procedure, new_state(procedure), [Reply(render.introduction(procedure))])


def _answer_of(turn: ChecklistTurn) -> Answer | None:
    if turn.button_answer in {a.value for a in Answer}:
        return Answer(turn.button_answer)
    if (understood := understand(turn.text)) is not None:
        return understood
    return {"affirm": Answer.YES, "deny": Answer.NO}.get(turn.intent)


def step(services: Services, turn: ChecklistTurn) -> ChecklistOutcome:
    """Take the citizen's reply to the current question and ask the next one (or sum up)."""
    state = turn.state or dict(AWAITING_PROCEDURE)
    if not state.get("code"):
        return start(services, ChecklistTurn(**{**turn.__dict__, "state": None}))
    procedure = services.catalogue.get(state["code"])
    if procedure is None:
        return ChecklistOutcome([Reply("Dạ, em không tìm lại được thủ tục đang kiểm tra ạ.")], None, False, None)
    answer = _answer_of(turn)
    question = current(procedure, state)
    if answer is None and question is not None:
        return ChecklistOutcome([render.not_understood_reply(question)], state, True, procedure.code)
    state = apply(procedure, state, answer or Answer.SKIP)
    if state["stopped"]:
        return ChecklistOutcome([render.stopped_reply()], state, False, procedure.code)
    return _ask_next(procedure, state, [])

"""Turns of the guided document checklist: start or resume it, take an answer, sum up."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from bot.catalogue.model import Procedure
from bot.catalogue.search import MAX_CHOICES, MatchStatus, choices
from bot.checklist import render
from bot.checklist.flow import Answer, Kind, Question, apply, current, new_state
from bot.checklist.understand import understand
from bot.dialogue.procedure_turn import EXAMPLES, resolve, which_procedure
from bot.messages import Button, Reply, replies_for
from bot.services import Services
from bot.text.choice import chosen

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


def _resolve(services: Services, turn: ChecklistTurn) -> tuple[Procedure | None, list[Reply], list[str]]:
    """The procedure to check, or the replies asking which one with the codes offered."""
    if turn.button_code and (procedure := services.catalogue.get(turn.button_code)):
        return procedure, [], []
    result = resolve(services, turn.text, turn.procedure_mentions)
    remembered = services.catalogue.get(turn.current_code) if turn.current_code else None
    if result and result.status == MatchStatus.CLEAR:
        return result.hits[0].procedure, [], []
    offered = [hit.procedure for hit in choices(result.hits)] if result else []
    if remembered and (not result or remembered.code in {p.code for p in offered}):
        return remembered, [], []  # no other procedure named, or the weak evidence agrees with the conversation
    if offered:
        offered = [*([remembered] if remembered else []), *offered][:MAX_CHOICES]
        reply = which_procedure(
            "Dạ, anh/chị muốn chuẩn bị hồ sơ cho thủ tục nào ạ?",
            offered,
            lambda p: "/start_document_checklist" + json.dumps({"procedure_code": p.code}),
        )
        return None, [reply], [p.code for p in offered]
    return None, [WHICH_PROCEDURE_OR_DOSSIER], []


def _picked(services: Services, turn: ChecklistTurn, state: dict) -> str | None:
    """The offered procedure a typed reply picks by number or by the words that set it apart."""
    offered = [p for code in state.get("offered") or [] if (p := services.catalogue.get(code))]
    return chosen(turn.text, {p.code: p.name for p in offered}) if offered else None


def _ask_next(procedure: Procedure, state: dict, lead: list[Reply], opening: str = "") -> ChecklistOutcome:
    """The next question (after `opening` in the same message), or the summary when none is left."""
    question = current(procedure, state)
    if question is None:
        return ChecklistOutcome(lead + render.summary(procedure, state), None, False, procedure.code)
    asked = render.question_reply(procedure, state, question)
    if opening:
        return ChecklistOutcome(
            [*lead, *replies_for(f"{opening}\n\n{asked.text}", asked.buttons)], state, True, procedure.code
        )
    return ChecklistOutcome([*lead, asked], state, True, procedure.code)


def start(services: Services, turn: ChecklistTurn) -> ChecklistOutcome:
    """Start a checklist, or resume the one in progress for the same procedure."""
    explicit = turn.button_code or turn.procedure_mentions
    saved = services.catalogue.get(turn.state["code"]) if turn.state and turn.state.get("code") else None
    if saved and not explicit and services.index.search(turn.text).status == MatchStatus.NONE:
        return _ask_next(saved, {**turn.state, "stopped": False}, [Reply("Dạ, mình tiếp tục kiểm tra giấy tờ nhé.")])
    procedure, asking, offered = _resolve(services, turn)
    if procedure is None:
        return ChecklistOutcome(asking, {**AWAITING_PROCEDURE, "offered": offered}, True, turn.current_code)
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
    return _ask_next(procedure, new_state(procedure), [], render.introduction(procedure))


def _answer_of(turn: ChecklistTurn, procedure: Procedure, question: Question | None) -> str | None:
    """The answer a reply gives: a button's, a case named by its number or words, or free text."""
    if turn.button_answer:
        return turn.button_answer
    understood = understand(turn.text)
    if question is not None and question.kind == Kind.CASES and understood in (None, Answer.YES):
        options = {f"case:{i}": procedure.documents[i].case or "" for i in question.options}
        if (case := chosen(turn.text, options)) is not None:
            return case
    if understood is not None:
        return understood.value
    return {"affirm": Answer.YES.value, "deny": Answer.NO.value}.get(turn.intent)


def step(services: Services, turn: ChecklistTurn) -> ChecklistOutcome:
    """Take the citizen's reply to the current question and ask the next one (or sum up)."""
    state = turn.state or dict(AWAITING_PROCEDURE)
    if not state.get("code"):
        return start(
            services, replace(turn, state=None, button_code=turn.button_code or _picked(services, turn, state))
        )
    procedure = services.catalogue.get(state["code"])
    if procedure is None:
        return ChecklistOutcome([Reply("Dạ, em không tìm lại được thủ tục đang kiểm tra ạ.")], None, False, None)
    question = current(procedure, state)
    answer = _answer_of(turn, procedure, question)
    if answer == Answer.CONTINUE:
        return _ask_next(procedure, state, [])
    after = apply(procedure, state, answer or Answer.SKIP.value)
    if after is None or (answer is None and question is not None):
        reply = render.not_understood_reply(procedure, state, question) if question else render.stopped_reply()
        return ChecklistOutcome([reply], state, True, procedure.code)
    if after["stopped"]:
        return ChecklistOutcome([render.stopped_reply()], after, False, procedure.code)
    return _ask_next(procedure, after, [])

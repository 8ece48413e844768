"""A turn about a procedure: find which procedure and which aspect, then answer, ask or apologise."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.catalogue.answers import INTENT_ASPECTS, Aspect, answer, aspect_payload
from bot.catalogue.model import Procedure
from bot.catalogue.search import Hit, MatchStatus, SearchResult
from bot.checklist.render import RESUME
from bot.messages import Button, Reply
from bot.services import Services
from bot.text import search_tokens

# A message that only mentions a procedure in passing must score this high to switch away from the current one.
SWITCH_SCORE = 60.0
CHOICE_WINDOW = 12.0
MAX_CHOICES = 4
EXAMPLES = "“làm giấy khai sinh”, “đổi căn cước”, “đăng ký tạm trú”"


@dataclass(frozen=True)
class ProcedureTurn:
    """What the NLU understood of the citizen's message, and what the conversation remembers."""

    intent: str
    text: str
    procedure_mentions: list[str] = field(default_factory=list)
    button_code: str | None = None
    current_code: str | None = None
    last_aspect: str | None = None
    pending_aspect: str | None = None


@dataclass(frozen=True)
class TurnOutcome:
    replies: list[Reply]
    procedure_code: str | None
    last_aspect: str | None
    pending_aspect: str | None


def _continues(text: str) -> bool:
    """ "Thế còn X thì sao?", "còn X?": the same question about another procedure."""
    words = search_tokens(text)
    return bool(words) and (
        words[0] == "con" or words[:2] in (["the", "con"], ["vay", "con"]) or words[-2:] == ["thi", "sao"]
    )


def _aspect(turn: ProcedureTurn) -> Aspect:
    if turn.pending_aspect and turn.intent in ("inform", "ask_procedure"):
        return Aspect(turn.pending_aspect)
    if turn.last_aspect and turn.intent in ("inform", "ask_procedure") and _continues(turn.text):
        return Aspect(turn.last_aspect)
    if turn.intent in INTENT_ASPECTS:
        return INTENT_ASPECTS[turn.intent]
    return Aspect(turn.last_aspect) if turn.last_aspect else Aspect.OVERVIEW


def _search_mentions(services: Services, turn: ProcedureTurn) -> SearchResult | None:
    """The first clear result among the NLU's procedure mentions and the whole message, else the
    first ambiguous one. The NLU may cut a mention short ("thường trú"); the message then decides."""
    results = [services.index.search(mention) for mention in turn.procedure_mentions]
    whole = services.index.search(turn.text)
    switching = turn.current_code and turn.intent != "inform"
    if whole.status != MatchStatus.NONE and not (switching and whole.hits[0].score < SWITCH_SCORE):
        results.append(whole)
    for wanted in (MatchStatus.CLEAR, MatchStatus.AMBIGUOUS):
        if found := next((r for r in results if r.status == wanted), None):
            return found
    return None


def choices(hits: list[Hit]) -> list[Hit]:
    """The candidates worth offering as buttons: those close to the best."""
    top = hits[0].score
    return [h for h in hits if top - h.score <= CHOICE_WINDOW][:MAX_CHOICES]


def _ask_which(hits: list[Hit], aspect: Aspect, turn: ProcedureTurn) -> TurnOutcome:
    buttons = [Button(h.procedure.name, aspect_payload(aspect, h.procedure.code)) for h in choices(hits)]
    reply = Reply("Dạ, anh/chị muốn hỏi thủ tục nào ạ?", buttons)
    return TurnOutcome([reply], turn.current_code, turn.last_aspect, aspect.value)


def _ask_procedure(aspect: Aspect, turn: ProcedureTurn) -> TurnOutcome:
    reply = Reply(f"Dạ, anh/chị hỏi về thủ tục nào ạ? Anh/chị gõ tên thủ tục, ví dụ {EXAMPLES}.")
    return TurnOutcome([reply], None, turn.last_aspect, aspect.value)


def _not_found(turn: ProcedureTurn, aspect: Aspect) -> TurnOutcome:
    asked = turn.procedure_mentions[0] if turn.procedure_mentions else turn.text
    reply = Reply(
        f"Dạ, em chưa tìm thấy thủ tục “{asked[:80]}” trong danh mục ạ. Anh/chị thử gọi tên khác hoặc "
        f"gõ ngắn gọn tên thủ tục, ví dụ {EXAMPLES}.",
        [Button("Gặp cán bộ", "/request_human")],
    )
    return TurnOutcome([reply], turn.current_code, turn.last_aspect, aspect.value)


def _answer(procedure: Procedure, aspect: Aspect) -> TurnOutcome:
    return TurnOutcome(answer(procedure, aspect), procedure.code, aspect.value, None)


def answer_turn(services: Services, turn: ProcedureTurn, checklist_open: bool = False) -> TurnOutcome:
    """Answer an aspect question or a procedure name, remembering the procedure for later turns.

    A side question during an open checklist is answered with a button back to the checklist.
    """
    outcome = _answer_turn(services, turn)
    if checklist_open and outcome.replies:
        last = outcome.replies[-1]
        buttons = [RESUME, *last.buttons][:6]
        outcome = replace(outcome, replies=[*outcome.replies[:-1], Reply(last.text, buttons)])
    return outcome


def _answer_turn(services: Services, turn: ProcedureTurn) -> TurnOutcome:
    aspect = _aspect(turn)
    if turn.button_code and (procedure := services.catalogue.get(turn.button_code)):
        return _answer(procedure, aspect)
    result = _search_mentions(services, turn)
    if result and result.status == MatchStatus.CLEAR:
        return _answer(result.hits[0].procedure, aspect)
    if result and result.status == MatchStatus.AMBIGUOUS:
        return _ask_which(result.hits, aspect, turn)
    if turn.current_code and (procedure := services.catalogue.get(turn.current_code)):
        return _answer(procedure, aspect)
    if turn.procedure_mentions or turn.intent == "inform":
        return _not_found(turn, aspect)
    return _ask_procedure(aspect, replace(turn, current_code=None))

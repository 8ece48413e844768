"""A turn about a procedure: find which procedure and which aspect, then answer, ask or apologise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bot.catalogue.answers import INTENT_ASPECTS, Aspect, answer, aspect_payload
from bot.catalogue.aspect_words import project_aspect_words
from bot.catalogue.model import NATIONAL_PORTAL, Procedure
from bot.catalogue.search import MAX_CHOICES, Hit, MatchStatus, SearchResult, choices
from bot.checklist.render import RESUME
from bot.messages import Button, Reply, payload_entities
from bot.services import Services
from bot.text import search_tokens
from bot.text.titles import ELLIPSIS, distinct_titles, shared_beginning

TOPIC_PROCEDURE = "procedure"  # the `topic` slot after a procedure answer: follow-ups are about it
PROCEDURE_TITLE = 60  # characters of a procedure on a button
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
    offered_codes: list[str] = field(default_factory=list)  # procedures our last message offered as buttons


@dataclass(frozen=True)
class TurnOutcome:
    replies: list[Reply]
    procedure_code: str | None
    last_aspect: str | None
    pending_aspect: str | None


# Said before or after a question without changing it: address, politeness, particles ("ad ơi", "ạ", "z").
_EDGE_WORDS = frozenset(
    search_tokens("ạ ơi ad dạ vâng nhé nha nhỉ hả vậy z với vs alo cho em e hỏi mình tôi tui anh chị")
)


def _trimmed(words: list[str]) -> list[str]:
    """The words without address, politeness and particles at either end."""
    start, end = 0, len(words)
    while start < end and words[start] in _EDGE_WORDS:
        start += 1
    while end > start and words[end - 1] in _EDGE_WORDS:
        end -= 1
    return words[start:end]


def _continues(text: str) -> bool:
    """ "Thế còn X thì sao?", "còn X?", "ad ơi vậy X thì sao ạ": the same question about another procedure."""
    words = _trimmed(search_tokens(text))
    return bool(words) and (
        words[0] == "con" or words[:2] in (["the", "con"], ["vay", "con"]) or words[-2:] == ["thi", "sao"]
    )


def _aspect(turn: ProcedureTurn, names_procedure: bool) -> Aspect:
    """The aspect asked: an answer to our question, else the message's own, else the remembered one when the
    message goes on with it ("còn … thì sao", or no procedure named); naming a procedure alone asks an overview."""
    if turn.pending_aspect and turn.intent in ("inform", "ask_procedure"):
        return Aspect(turn.pending_aspect)
    asked = INTENT_ASPECTS.get(turn.intent)
    goes_on = bool(turn.last_aspect) and _continues(turn.text)
    if asked not in (None, Aspect.OVERVIEW) and not (goes_on and not project_aspect_words().asks_aspect(turn.text)):
        return asked  # the message's own aspect, unless it only goes on ("còn X thì sao") without saying one
    if turn.last_aspect and (goes_on or not names_procedure):
        return Aspect(turn.last_aspect)
    return Aspect.OVERVIEW


def resolve(services: Services, text: str, mentions: list[str]) -> SearchResult | None:
    """What a message names, on the resolver's evidence: the whole message clear, else an NLU mention the
    resolver finds clear, else the whole message ambiguous. A mention never makes a match on its own (the NLU
    tags common words in long messages); the resolver's evidence check decides."""
    whole = services.index.search(text)
    if whole.status == MatchStatus.CLEAR:
        return whole
    for mention in mentions:
        if (found := services.index.search(mention)).status == MatchStatus.CLEAR:
            return found
    return whole if whole.status == MatchStatus.AMBIGUOUS else None


def _resolve(services: Services, turn: ProcedureTurn) -> SearchResult | None:
    return resolve(services, turn.text, turn.procedure_mentions)


def names_procedure(services: Services, turn: ProcedureTurn) -> bool:
    """Whether the message names a procedure on clear evidence (or a button carries one)."""
    if turn.button_code:
        return True
    result = _resolve(services, turn)
    return result is not None and result.status == MatchStatus.CLEAR


def asked_aspect(turn: ProcedureTurn) -> Aspect:
    """The aspect the message asks about by its intent (overview when none)."""
    return INTENT_ASPECTS.get(turn.intent, Aspect.OVERVIEW)


def which_procedure(question: str, procedures: list[Procedure], payload: Callable[[Procedure], str]) -> Reply:
    """A question offering procedures as buttons: the beginning their names share said once in the
    question, each button titled by what tells it apart."""
    names = [p.name for p in procedures]
    titles = distinct_titles(names, PROCEDURE_TITLE)
    if (shared := shared_beginning(names)) and any(t.startswith(ELLIPSIS) for t in titles):
        question += f"\n({shared} …)"
    return Reply(question, [Button(title, payload(p)) for title, p in zip(titles, procedures, strict=True)])


def _ask_which(hits: list[Hit], aspect: Aspect, turn: ProcedureTurn, remembered: Procedure | None) -> TurnOutcome:
    """Which procedure, with the likely ones as buttons; the one the conversation is about comes first."""
    offered = [h.procedure for h in choices(hits) if remembered is None or h.procedure.code != remembered.code]
    if remembered is not None:
        offered = [remembered, *offered][:MAX_CHOICES]
    reply = which_procedure("Dạ, anh/chị muốn hỏi thủ tục nào ạ?", offered, lambda p: aspect_payload(aspect, p.code))
    return TurnOutcome([reply], turn.current_code, turn.last_aspect, aspect.value)


def _ask_again(offered: list[Procedure], aspect: Aspect, turn: ProcedureTurn) -> TurnOutcome:
    """A follow-up that names no procedure while our question is open: the same options, for the new aspect."""
    question = "Dạ, anh/chị chọn giúp em thủ tục để em trả lời ạ:"
    reply = which_procedure(question, offered, lambda p: aspect_payload(aspect, p.code))
    return TurnOutcome([reply], None, turn.last_aspect, aspect.value)


def _ask_procedure(aspect: Aspect, turn: ProcedureTurn) -> TurnOutcome:
    reply = Reply(f"Dạ, anh/chị hỏi về thủ tục nào ạ? Anh/chị gõ tên thủ tục, ví dụ {EXAMPLES}.")
    return TurnOutcome([reply], None, turn.last_aspect, aspect.value)


def _not_found(turn: ProcedureTurn, aspect: Aspect) -> TurnOutcome:
    asked = turn.procedure_mentions[0] if turn.procedure_mentions else turn.text
    reply = Reply(
        f"Dạ, em chưa tìm thấy thủ tục “{asked[:80]}” — thủ tục này có thể chưa có trong danh mục em phục vụ ạ. "
        f"Anh/chị thử gõ tên ngắn gọn hơn (ví dụ {EXAMPLES}) hoặc bấm “Gặp cán bộ” ạ.\n"
        f"🔎 Tra cứu trên Cổng Dịch vụ công quốc gia: {NATIONAL_PORTAL}",
        [Button("Gặp cán bộ", "/request_human")],
    )
    return TurnOutcome([reply], turn.current_code, turn.last_aspect, aspect.value)


def offered_codes(payloads: list[str]) -> list[str]:
    """The procedures a message's buttons offer as a choice (two or more payloads carrying `procedure_code`), in
    order, once each; a single procedure button (the greeting's example) is no open question."""
    codes = list(dict.fromkeys(str(code) for p in payloads if (code := payload_entities(p).get("procedure_code"))))
    return codes if len(codes) >= 2 else []


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
    """A clear match answers (switching if it names another procedure); weak evidence asks, offering the
    remembered procedure first; a message naming none is about the remembered procedure."""
    if turn.button_code and (procedure := services.catalogue.get(turn.button_code)):
        return _answer(procedure, _aspect(turn, names_procedure=True))
    result = _resolve(services, turn)
    aspect = _aspect(turn, names_procedure=result is not None and result.status == MatchStatus.CLEAR)
    remembered = services.catalogue.get(turn.current_code) if turn.current_code else None
    if result and result.status == MatchStatus.CLEAR:
        return _answer(result.hits[0].procedure, aspect)
    if result and remembered and any(hit.procedure.code == remembered.code for hit in choices(result.hits)):
        return _answer(remembered, aspect)  # the weak evidence agrees with what the conversation is about
    if result:
        return _ask_which(result.hits, aspect, turn, remembered)
    if remembered and turn.intent != "inform":
        return _answer(remembered, aspect)
    if turn.procedure_mentions or turn.intent == "inform":
        return _not_found(turn, aspect)
    if offered := [p for code in turn.offered_codes if (p := services.catalogue.get(code))]:
        return _ask_again(offered, aspect, turn)
    return _ask_procedure(aspect, replace(turn, current_code=None))

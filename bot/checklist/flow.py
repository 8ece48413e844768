"""The checklist's state and its steps: the papers everyone needs first, then one question on the cases.

The order of questions:
1. the general papers, asked together ("Đủ cả" / "Thiếu một số"), then one by one only when some are missing;
2. one question listing the cases that add papers (commonest first, rare ones behind "Trường hợp khác"),
   with "Không thuộc trường hợp nào"; a chosen case's papers are asked the same way, then the remaining
   cases are offered again.

The state is a plain dict (JSON-safe) so a conversation slot can hold it between turns. Nothing here
knows any procedure: questions come only from the catalogue's `documents` groups.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

from bot.catalogue.model import Paper, Procedure
from bot.text.normalize import fold

GENERAL = "general"  # the key of the papers that apply to everyone
VISIBLE_CASES = 3  # cases offered before "Trường hợp khác" when the catalogue marks none as common
# Words that make a "the office looks it up" note conditional: the citizen should still bring the paper.
CONDITION_WORDS = frozenset({"neu", "khi", "truong hop"})


class Answer(str, Enum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"
    SKIP = "skip"
    BACK = "back"
    STOP = "stop"
    CONTINUE = "continue"  # ask the current question again
    NONE = "none"  # no case applies
    MORE = "more"  # show the rare cases too


class Kind(str, Enum):
    GROUP = "group"  # several papers at once
    PAPER = "paper"  # one paper
    CASES = "cases"  # which case applies


@dataclass(frozen=True)
class Question:
    """One question: a group of papers, one paper, or the choice of a case (`options` are case indices)."""

    key: str
    kind: Kind
    papers: tuple[Paper, ...] = ()
    case: str | None = None
    options: tuple[int, ...] = ()
    first: bool = True  # for cases: the first time cases are offered
    position: tuple[int, int] = (1, 1)  # for one paper: its number among the papers asked one by one


@dataclass
class _Walk:
    """Questions in order with the answers so far; `pending` is the first one not answered."""

    asked: list[Question] = field(default_factory=list)
    pending: Question | None = None


def new_state(procedure: Procedure) -> dict:
    return {"code": procedure.code, "answers": {}, "order": [], "stopped": False, "expanded": False}


def _looked_up(paper: Paper) -> bool:
    return bool(paper.present_only and paper.not_needed_reason)


def conditional(paper: Paper) -> bool:
    """The office looks the paper up only under a condition ("nếu khai thác được…"): bring it anyway."""
    words = f" {fold(paper.not_needed_reason or '')} "
    return any(f" {word} " in words for word in CONDITION_WORDS)


def not_needed(procedure: Procedure) -> list[Paper]:
    """Papers only shown, never submitted, that the authority always looks up itself: nothing to prepare."""
    return [p for g in procedure.documents for p in g.papers if _looked_up(p) and not conditional(p)]


def bring_anyway(procedure: Procedure) -> list[Paper]:
    """Papers the authority may look up itself under a condition: not asked, but advised to bring."""
    return [p for g in procedure.documents for p in g.papers if _looked_up(p) and conditional(p)]


def _asked_papers(papers: list[Paper]) -> list[Paper]:
    return [p for p in papers if not _looked_up(p)]


def case_order(procedure: Procedure) -> tuple[list[int], list[int]]:
    """Case indices as (offered first, behind "Trường hợp khác"): those the catalogue marks common, else the
    most general ones (shortest description) — commonest first. A case adding nothing to prepare is not asked."""
    cases = [i for i, g in enumerate(procedure.documents) if g.case and _asked_papers(g.papers)]
    common = [i for i in cases if procedure.documents[i].common]
    ranked = common + sorted((i for i in cases if i not in common), key=lambda i: len(procedure.documents[i].case))
    shown = len(common) if common else VISIBLE_CASES
    if len(ranked) - shown <= 1:
        return ranked, []  # a "more" button hiding a single case saves nothing
    return ranked[:shown], ranked[shown:]


def _papers_questions(group_key: str, papers: list[Paper], case: str | None, answers: dict) -> Iterator[Question]:
    """The group question (for two papers or more), then each paper when the group was not all ready."""
    if len(papers) > 1:
        group = Question(f"group:{group_key}", Kind.GROUP, tuple(papers), case)
        yield group
        if answers.get(group.key) != Answer.NO:
            return
    for j, paper in enumerate(papers):
        yield Question(f"paper:{group_key}:{j}", Kind.PAPER, (paper,), case, position=(j + 1, len(papers)))


def _walk(procedure: Procedure, state: dict) -> _Walk:
    answers = state["answers"]
    walk = _Walk()

    def visit(questions: Iterator[Question]) -> bool:
        """Record questions up to the first unanswered one; False once it is found."""
        for question in questions:
            if question.key not in answers:
                walk.pending = question
                return False
            walk.asked.append(question)
        return True

    general = _asked_papers([p for g in procedure.documents if not g.case for p in g.papers])
    if not visit(_papers_questions(GENERAL, general, None, answers)):
        return walk
    shown, hidden = case_order(procedure)
    chosen: list[int] = []
    while remaining := [i for i in shown + hidden if i not in chosen]:
        offered = remaining if state.get("expanded") or not hidden else [i for i in remaining if i in shown]
        if not offered:
            offered = remaining
        question = Question(f"cases:{len(chosen)}", Kind.CASES, options=tuple(offered), first=not chosen)
        if not visit(iter([question])):
            return walk
        choice = answers[question.key]
        if not choice.startswith("case:"):
            break
        index = int(choice.removeprefix("case:"))
        chosen.append(index)
        group = procedure.documents[index]
        if not visit(_papers_questions(str(index), _asked_papers(group.papers), group.case, answers)):
            return walk
    return walk


def has_hidden_cases(procedure: Procedure, state: dict, question: Question) -> bool:
    _, hidden = case_order(procedure)
    return question.kind == Kind.CASES and not state.get("expanded") and any(i not in question.options for i in hidden)


def questions(procedure: Procedure, state: dict) -> list[Question]:
    """The questions asked so far and the one pending, in order."""
    walk = _walk(procedure, state)
    return walk.asked + ([walk.pending] if walk.pending else [])


def current(procedure: Procedure, state: dict) -> Question | None:
    """The first question not yet answered, or None when the checklist is complete."""
    return _walk(procedure, state).pending


def _valid(question: Question, answer: str) -> str | None:
    """The answer as stored for this question, or None when it does not answer it."""
    if question.kind != Kind.CASES:
        if answer in (Answer.NONE, Answer.MORE) or answer.startswith("case:"):
            return None
        if question.kind == Kind.GROUP and answer == Answer.UNSURE:
            return Answer.NO.value  # not sure about some: go through them one by one
        return answer
    if answer == Answer.NO or answer == Answer.NONE or answer == Answer.SKIP:
        return Answer.NONE.value
    if answer == Answer.YES and len(question.options) == 1:
        return f"case:{question.options[0]}"
    if answer.startswith("case:") and int(answer.removeprefix("case:")) in question.options:
        return answer
    return None


def apply(procedure: Procedure, state: dict, answer: str) -> dict | None:
    """The state after the citizen's answer to the current question; None when it does not answer it."""
    answer = str(getattr(answer, "value", answer))
    state = {**state, "answers": dict(state["answers"]), "order": list(state["order"]), "stopped": False}
    if answer == Answer.STOP:
        return {**state, "stopped": True}
    if answer == Answer.BACK:
        if state["order"]:
            state["answers"].pop(state["order"].pop(), None)
        return state
    question = current(procedure, state)
    if question is None:
        return state
    if answer == Answer.MORE:
        return {**state, "expanded": True} if has_hidden_cases(procedure, state, question) else None
    stored = _valid(question, answer)
    if stored is None:
        return None
    state["answers"][question.key] = stored
    state["order"].append(question.key)
    return state


def _paper_answer(answers: dict, question: Question) -> Answer:
    return Answer(answers.get(question.key, Answer.SKIP))


def papers_by_answer(procedure: Procedure, state: dict) -> dict[Answer, list[Paper]]:
    """The applicable papers grouped by the citizen's answer (unanswered ones count as skipped)."""
    grouped: dict[Answer, list[Paper]] = {a: [] for a in (Answer.YES, Answer.NO, Answer.UNSURE, Answer.SKIP)}
    answers = state["answers"]
    for question in questions(procedure, state):
        if question.kind == Kind.CASES:
            continue
        answer = _paper_answer(answers, question)
        if question.kind == Kind.PAPER:
            grouped[answer].append(question.papers[0])
        elif question.kind == Kind.GROUP and answer != Answer.NO:  # after "thiếu một số" each paper was asked
            grouped[Answer.YES if answer == Answer.YES else Answer.SKIP] += question.papers
    return grouped

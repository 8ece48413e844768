"""The checklist's state and its steps: case questions first, then each applicable paper.

The state is a plain dict (JSON-safe) so a conversation slot can hold it between turns. Nothing here
knows any procedure: questions come only from the catalogue's `documents` groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.catalogue.model import Paper, Procedure


class Answer(str, Enum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"
    SKIP = "skip"
    BACK = "back"
    STOP = "stop"


@dataclass(frozen=True)
class Question:
    """One question: whether a case applies (`paper` is None), or whether a paper is ready."""

    key: str
    case: str | None
    paper: Paper | None


def new_state(procedure: Procedure) -> dict:
    return {"code": procedure.code, "answers": {}, "order": [], "stopped": False}


def not_needed(procedure: Procedure) -> list[Paper]:
    """Papers only shown, never submitted, that the authority looks up itself: nothing to prepare."""
    return [p for g in procedure.documents for p in g.papers if p.present_only and p.not_needed_reason]


def questions(procedure: Procedure, state: dict) -> list[Question]:
    """The questions that apply given the answers so far: every case, then the papers of general
    groups and of cases answered yes."""
    answers = state["answers"]
    cases = [Question(f"case:{i}", g.case, None) for i, g in enumerate(procedure.documents) if g.case]
    skip = {id(p) for p in not_needed(procedure)}
    papers = [
        Question(f"paper:{i}:{j}", group.case, paper)
        for i, group in enumerate(procedure.documents)
        if group.case is None or answers.get(f"case:{i}") == Answer.YES
        for j, paper in enumerate(group.papers)
        if id(paper) not in skip
    ]
    return cases + papers


def current(procedure: Procedure, state: dict) -> Question | None:
    """The first question not yet answered, or None when the checklist is complete."""
    return next((q for q in questions(procedure, state) if q.key not in state["answers"]), None)


def apply(procedure: Procedure, state: dict, answer: Answer) -> dict:
    """The state after the citizen's answer to the current question."""
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
    if question.paper is None and answer not in (Answer.YES, Answer.NO):
        answer = Answer.NO  # an unsure or skipped case: ask no papers for it
    state["answers"][question.key] = answer.value
    state["order"].append(question.key)
    return state


def papers_by_answer(procedure: Procedure, state: dict) -> dict[Answer, list[Paper]]:
    """The applicable papers grouped by the citizen's answer (unanswered ones count as skipped)."""
    grouped: dict[Answer, list[Paper]] = {a: [] for a in (Answer.YES, Answer.NO, Answer.UNSURE, Answer.SKIP)}
    for question in questions(procedure, state):
        if question.paper is not None:
            grouped[Answer(state["answers"].get(question.key, Answer.SKIP))].append(question.paper)
    return grouped

"""The conversation benchmark's core: conversations (hand-written in benchmarks/conversations/*.yml and
generated from the catalogue), the held-out third, dossier placeholders, running them through a REST channel
and the figures. benchmarks/conversations.py reports them; tests/test_conversation_benchmark.py keeps a floor.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import yaml

from benchmarks.conversation_generator import generate
from benchmarks.conversation_judge import Context, Reading, Verdict, check_keys, dossier_codes, judge, read
from bot.catalogue.store import Catalogue
from bot.dossiers.model import Dossier, Status
from bot.dossiers.workdays import today_in_vietnam
from bot.handoff.office_hours import SETTING_KEY, Schedule
from bot.handoff.records import HandoffRecords

CONVERSATIONS_DIR = Path(__file__).resolve().parent / "conversations"
REST_WEBHOOK = "/webhooks/rest/webhook"
TOPICS = ("questions", "dossiers", "checklists", "handoff")
STYLES = ("diacritics", "plain", "teencode", "long")
HOLDOUT_EVERY = 3  # one conversation in three, by a hash of its id, is held out: reported, never tuned on
MAX_REPEATS = 20  # `until: summary`: the same answer at most this many times
CASE_LIST_ANSWER = "không"  # `until: summary`: a citizen in the common case, asked which case applies
CLIENT_TIMEOUT = 120.0
PLACEHOLDER = re.compile(r"\{dossier(_lower|_spaced)?:(\w+)\}")
DOSSIER_KINDS: dict[str, Callable[[Dossier, date], bool]] = {
    "late": lambda d, today: d.status is Status.PROCESSING and d.is_late(today),
    "in_progress": lambda d, today: d.status is Status.PROCESSING and not d.is_late(today),
    "result_ready": lambda d, today: d.status is Status.RESULT_READY,
    "rejected": lambda d, today: d.status is Status.REJECTED,
    "supplement": lambda d, today: d.status is Status.AWAITING_SUPPLEMENT and bool(d.supplements),
    "any": lambda d, today: True,
}


@dataclass(frozen=True)
class Conversation:
    id: str
    topic: str
    style: str
    turns: list[dict[str, Any]]
    source: str  # "hand" or "generated"

    @property
    def holdout(self) -> bool:
        return int(hashlib.sha256(self.id.encode()).hexdigest(), 16) % HOLDOUT_EVERY == 0


def _conversation(raw: dict[str, Any], source: str, where: str) -> Conversation:
    """A conversation as written, checked: known topic, style and expectation keys, every turn a message."""
    where = f"{where}: {raw.get('id')}"
    if raw.get("topic") not in TOPICS or raw.get("style") not in STYLES:
        raise ValueError(f"{where}: topic must be one of {TOPICS} and style one of {STYLES}")
    turns = raw.get("turns") or []
    for turn in turns:
        if not isinstance(turn.get("user"), str):
            raise ValueError(f"{where}: every turn needs a `user` message")
        check_keys(turn.get("expect") or {}, where)
    return Conversation(str(raw["id"]), raw["topic"], raw["style"], turns, source)


def load_conversations(catalogue: Catalogue, folder: Path = CONVERSATIONS_DIR) -> list[Conversation]:
    """The hand-written conversations of `folder` and those generated from `catalogue`; ids must be unique."""
    conversations = [
        _conversation(raw, "hand", path.name)
        for path in sorted(folder.glob("*.yml"))
        for raw in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("conversations") or []
    ]
    conversations += [_conversation(raw, "generated", "generator") for raw in generate(catalogue)]
    seen: set[str] = set()
    if duplicates := {c.id for c in conversations if c.id in seen or seen.add(c.id)}:
        raise ValueError(f"conversation ids used twice: {sorted(duplicates)}")
    return conversations


class DossierCodes:
    """Fills `{dossier:<kind>}` (also `{dossier_lower:…}`, `{dossier_spaced:…}` in messages) with the code of a
    seeded sample dossier of that kind — late, in_progress, result_ready, rejected, supplement, any — or, for
    `unknown`, a well-formed code that does not exist. One conversation gets the same code for the same kind."""

    def __init__(self, dossiers: Iterable[Dossier], today: date | None = None) -> None:
        self.today = today or today_in_vietnam()
        self.dossiers = list(dossiers)
        self.codes = {d.code for d in self.dossiers}

    def code(self, kind: str, conversation_id: str) -> str:
        number = int(hashlib.sha256(f"{conversation_id}:{kind}".encode()).hexdigest(), 16)
        if kind == "unknown":
            unknown = (f"000.00.31.H29-{self.today:%y%m%d}-{9000 + (number + i) % 1000:04d}" for i in range(1000))
            return next(code for code in unknown if code not in self.codes)
        if kind not in DOSSIER_KINDS:
            raise ValueError(f"{conversation_id}: unknown dossier kind {kind!r}; known: {[*DOSSIER_KINDS, 'unknown']}")
        matching = sorted(d.code for d in self.dossiers if DOSSIER_KINDS[kind](d, self.today))
        if not matching:
            raise ValueError(f"the sample dossiers have none of kind {kind!r}")
        return matching[number % len(matching)]

    def fill(self, text: str, conversation_id: str) -> str:
        def typed(match: re.Match[str]) -> str:
            code = self.code(match.group(2), conversation_id)
            return {"_lower": code.lower(), "_spaced": code.replace("-", " - ")}.get(match.group(1) or "", code)

        return PLACEHOLDER.sub(typed, text)

    def expectation(self, expect: dict[str, Any], conversation_id: str) -> dict[str, Any]:
        return {k: self.fill(v, conversation_id) if isinstance(v, str) else v for k, v in expect.items()}


def open_office(database_url: str, open_: bool = True) -> None:
    """Staff answer around the clock (or never) from today on, so that handoffs read the same at any hour."""
    today = today_in_vietnam()
    weekly = (((time.min, time.max),),) * 7 if open_ else ((),) * 7
    open_days = frozenset({today, today + timedelta(days=1)}) if open_ else frozenset()
    records = HandoffRecords(database_url)
    try:
        records.put_setting(SETTING_KEY, Schedule(weekly=weekly, open_days=open_days).as_json())
    finally:
        records.close()


@dataclass
class TurnResult:
    index: int
    user: str
    expect: dict[str, Any]
    reading: Reading
    verdict: Verdict


@dataclass
class ConversationResult:
    conversation: Conversation
    turns: list[TurnResult] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return all(turn.verdict.passed for turn in self.turns)


class Citizen:
    """One conversation's sender on a REST channel."""

    def __init__(self, client: httpx.Client, url: str, sender: str) -> None:
        self.client = client
        self.url = url
        self.sender = sender

    def say(self, text: str) -> Reading:
        """The bot's replies to `text`, read; an HTTP failure reads as the gateway's apology."""
        try:
            response = self.client.post(self.url, json={"sender": self.sender, "message": text})
            response.raise_for_status()
            return read(response.json())
        except (httpx.HTTPError, ValueError) as error:
            return read([{"text": f"hệ thống đang bận ({type(error).__name__}: {error})"}])


def _checklist_answer_only(expect: dict[str, Any]) -> bool:
    return set(expect) == {"checklist"}


def run_conversation(citizen: Citizen, conversation: Conversation, codes: DossierCodes) -> ConversationResult:
    """Every turn in order; a turn with `until: summary` repeats its message until the checklist summary
    (answering a list of cases as a citizen in none of them would).

    A checklist may sum up sooner than the script foresaw (fewer questions): an answer expecting a further
    question passes on the summary, and the citizen sends no more bare checklist answers after it."""
    result, context = ConversationResult(conversation), Context()
    summed_up = False
    for index, turn in enumerate(conversation.turns):
        text = codes.fill(turn["user"], conversation.id)
        expect = codes.expectation(turn.get("expect") or {}, conversation.id)
        if _checklist_answer_only(expect):
            if summed_up:
                continue
        else:
            summed_up = False
        reading = citizen.say(text)
        for _ in range(MAX_REPEATS - 1):
            if turn.get("until") != "summary" or reading.checklist_summary or reading.gateway_error:
                break
            reading = citizen.say(CASE_LIST_ANSWER if reading.case_list else text)
        if _checklist_answer_only(expect) and reading.checklist_summary:
            expect, summed_up = {"checklist": "summary"}, True
        verdict = judge(expect, reading, context, dossier_codes(text))
        result.turns.append(TurnResult(index, text, expect, reading, verdict))
    return result


def run_all(
    base_url: str, conversations: list[Conversation], codes: DossierCodes, workers: int = 8
) -> list[ConversationResult]:
    """All conversations through the REST channel at `base_url`, `workers` at a time, each with a new sender."""
    run = uuid.uuid4().hex[:8]
    with httpx.Client(timeout=CLIENT_TIMEOUT, limits=httpx.Limits(max_connections=workers)) as client:

        def one(conversation: Conversation) -> ConversationResult:
            citizen = Citizen(client, base_url.rstrip("/") + REST_WEBHOOK, f"bench-{run}-{conversation.id}")
            return run_conversation(citizen, conversation, codes)

        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, conversations))


@dataclass
class Figures:
    """Counts over a group of conversations; rates are of conversations (success) or of turns (the rest)."""

    conversations: int = 0
    successes: int = 0
    turns: int = 0
    wrong: int = 0
    asks: int = 0
    not_understood: int = 0
    gateway_errors: int = 0

    def add(self, result: ConversationResult) -> None:
        self.conversations += 1
        self.successes += result.success
        for turn in result.turns:
            self.turns += 1
            self.wrong += turn.verdict.wrong
            self.asks += turn.reading.asks
            self.not_understood += turn.reading.not_understood
            self.gateway_errors += turn.reading.gateway_error

    def rate(self, name: str) -> float:
        """`success` of conversations; `wrong`, `asks`, `not_understood` of turns."""
        if name == "success":
            return self.successes / self.conversations if self.conversations else float("nan")
        return getattr(self, name) / self.turns if self.turns else float("nan")


def figures_by_group(results: Iterable[ConversationResult]) -> dict[str, Figures]:
    """Figures for all conversations, then per topic and per style (groups in a fixed order)."""
    groups = {key: Figures() for key in ["all", *(f"topic {t}" for t in TOPICS), *(f"style {s}" for s in STYLES)]}
    for result in results:
        conversation = result.conversation
        for key in ("all", f"topic {conversation.topic}", f"style {conversation.style}"):
            groups[key].add(result)
    return groups

"""`catalogue diff`: compare curated records with the National Public Service Portal's own records.

Facts compared per record: time and fee of each channel, paper names, executing agencies and
legal-basis numbers. A difference is marked when the curated record explains it (`differences`);
a portal cell the parser could not structure is not comparable rather than different.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from rapidfuzz import fuzz

from bot.catalogue.importer import Rejected, build_procedure, load_record, portal_files
from bot.catalogue.model import Channel, Duration, Fee, Procedure
from bot.catalogue.portal import describe_duration
from bot.text import search_tokens

SAME_PAPER = 85  # %: token_sort_ratio of two whole paper names, or share of the shorter one's words close together
STRETCH = 3  # those words lie within a stretch of the longer name at most this many times the shorter name's length
ALIAS = re.compile(r"\(sau đây gọi(?: tắt)? là ([^()]+)\)", re.I)  # '(sau đây gọi tắt là giấy tờ tùy thân)'
NONE = "-"
NOT_STRUCTURED = "(not structured)"


class Outcome(str, Enum):
    AGREE = "agree"
    MARKED = "marked"
    UNMARKED = "unmarked"
    NOT_COMPARABLE = "not comparable"


@dataclass(frozen=True)
class Fact:
    """One compared fact: its path, both values as text, and how they compare."""

    path: str
    curated: str
    portal: str
    outcome: Outcome
    reason: str | None = None


@dataclass
class RecordDiff:
    """The compared facts of one curated record, or why it could not be compared."""

    code: str
    name: str
    facts: list[Fact] = field(default_factory=list)
    problem: str | None = None  # why it was not compared: no portal record, or an unusable one
    stale: list[str] = field(default_factory=list)  # marked paths that no longer differ


@dataclass
class DiffReport:
    source: str
    records: list[RecordDiff]

    def count(self, outcome: Outcome) -> int:
        return sum(fact.outcome is outcome for record in self.records for fact in record.facts)


def _norm(text: str) -> str:
    """Folded words ('Uỷ' = 'Ủy'), abbreviations spelt out ('UBND'), without bracketed asides and punctuation."""
    return " ".join(search_tokens(re.sub(r"\([^()]*\)", " ", text)))


def _time(time: Duration | None) -> str | None:
    return describe_duration(time) if time and time.value is not None else None


def _fee(fee: Fee | None) -> str | None:
    if fee is None or fee.amount is None:
        return None
    return "miễn phí" if fee.amount == 0 else f"{fee.amount:,}".replace(",", ".") + " đồng"


def _unmatched(names: list[str], others: list[str], same: Callable[[str, str], bool]) -> list[str]:
    """Names with no counterpart among `others`, in order and without repeats."""
    return list(dict.fromkeys(name for name in names if not any(same(name, other) for other in others)))


def _same_paper(one: str, other: str) -> bool:
    """Whether two paper names name the same paper, by their normalised names or the short name a portal name
    gives itself ('… (sau đây gọi tắt là giấy tờ tùy thân)')."""
    return any(_similar(a, b) for a in _paper_names(one) for b in _paper_names(other))


def _paper_names(name: str) -> list[str]:
    return [_norm(name), *(_norm(alias) for alias in ALIAS.findall(name))]


def _similar(one: str, other: str) -> bool:
    """Two normalised paper names alike: nearly the same words (a slight rewording), or the shorter name's words
    (SAME_PAPER per cent of them) within one stretch of the longer at most STRETCH times as long ('giay khai sinh' in
    'ban sao giay khai sinh doi voi nguoi chua du 14 tuoi'). Words of a short name scattered over a long one that
    names another paper do not count ('giay to tuy than' is not in 'ho chieu … cac giay to khac co dan anh …')."""
    if fuzz.token_sort_ratio(one, other) >= SAME_PAPER:
        return True
    short, long = sorted((one.split(), other.split()), key=len)
    if len(short) < 2:
        return False
    wanted, width = Counter(short), STRETCH * len(short)
    found = (sum((Counter(long[start : start + width]) & wanted).values()) for start in range(len(long) - width + 1))
    return max(found, default=sum((Counter(long) & wanted).values())) * 100 >= SAME_PAPER * len(short)


def _agency(name: str) -> str:
    """An agency's normalised name without the word 'cấp' ('Công an cấp tỉnh' = 'Công an tỉnh')."""
    return " ".join(word for word in _norm(name).split() if word != "cap")


def _same_agency(one: str, other: str) -> bool:
    """One agency name's words all in the other's ('Ủy ban nhân dân cấp xã' = 'Ủy ban Nhân dân xã, phường')."""
    return fuzz.token_set_ratio(_agency(one), _agency(other)) >= 100


def _same(one: str, other: str) -> bool:
    return _norm(one) == _norm(other)


def _facts(curated: Procedure, official: Procedure) -> Iterable[tuple[str, str, str | None, bool]]:
    """(path, curated value, portal value or None when not comparable, whether they differ)."""
    for channel in Channel:
        mine, theirs = curated.channel(channel), official.channel(channel)
        path = f"channels.{channel.value}"
        if mine is None and (theirs is None or not curated.channels):
            continue
        if mine is None or theirs is None:
            offered = ("offered" if mine else "not offered", "offered" if theirs else "not offered")
            yield path, offered[0], offered[1] if official.channels else None, True
            continue
        for aspect, show in (("time", _time), ("fee", _fee)):
            value, other = getattr(mine, aspect), getattr(theirs, aspect)
            shown = show(value) or (f"text: {value.text}" if value and value.text else NONE)
            yield f"{path}.{aspect}", shown, show(other), show(value) != show(other)
    for path, mine_names, their_names, same in (
        ("documents", _papers(curated), _papers(official), _same_paper),
        ("agencies.executing", curated.agencies.executing, official.agencies.executing, _same_agency),
        ("legal_basis", [b.number for b in curated.legal_basis], [b.number for b in official.legal_basis], _same),
    ):
        if not their_names:
            yield path, "; ".join(mine_names) or NONE, None, False
            continue
        only_mine, only_theirs = _unmatched(mine_names, their_names, same), _unmatched(their_names, mine_names, same)
        if only_mine or only_theirs:
            yield path, _only(only_mine), _only(only_theirs), True
        else:
            yield path, f"{len(mine_names)} same", f"{len(their_names)} same", False


def _papers(procedure: Procedure) -> list[str]:
    return [paper.name for group in procedure.documents for paper in group.papers]


def _only(names: list[str]) -> str:
    return "only: " + " | ".join(names) if names else "(nothing else)"


def compare(curated: Procedure, official: Procedure) -> RecordDiff:
    """Every fact of `curated` against the portal's parsed record `official`, judged with its marks."""
    marks = {mark.path: mark.reason for mark in curated.differences}
    record = RecordDiff(curated.code, curated.name)
    for path, mine, theirs, differ in _facts(curated, official):
        if theirs is None:
            record.facts.append(Fact(path, mine, NOT_STRUCTURED, Outcome.NOT_COMPARABLE))
        elif not differ:
            record.facts.append(Fact(path, mine, theirs, Outcome.AGREE))
        else:
            outcome = Outcome.MARKED if path in marks else Outcome.UNMARKED
            record.facts.append(Fact(path, mine, theirs, outcome, marks.get(path)))
    seen = {fact.path for fact in record.facts if fact.outcome is not Outcome.AGREE}
    record.stale = [path for path in marks if path not in seen]
    return record


def diff_catalogue(curated: list[Procedure], path: Path) -> DiffReport:
    """Compare each curated record with its portal record under `path` (a file or folder)."""
    wanted = {procedure.code for procedure in curated}
    files: dict[str, Path] = {}
    for file in portal_files(path):
        try:
            code = (load_record(file).get("ma_thu_tuc") or "").strip()
        except Rejected:
            continue
        if code in wanted:
            files.setdefault(code, file)
    records = []
    for procedure in curated:
        if procedure.code not in files:
            records.append(RecordDiff(procedure.code, procedure.name, problem=f"no portal record in {path}"))
            continue
        try:
            official, _ = build_procedure(load_record(files[procedure.code]))
        except Exception as error:  # a rejected or unparsable portal record is reported, not fatal
            records.append(RecordDiff(procedure.code, procedure.name, problem=f"portal record unusable: {error}"))
            continue
        records.append(compare(procedure, official))
    return DiffReport(str(path), records)


def render(report: DiffReport) -> str:
    """The report as plain text: differences and problems per record, then the totals."""
    lines = [f"Curated catalogue against portal records in {report.source}", ""]
    for record in report.records:
        shown = [fact for fact in record.facts if fact.outcome is not Outcome.AGREE]
        lines.append(f"{record.code} {record.name}")
        if record.problem:
            lines.append(f"  {record.problem}")
        for fact in shown:
            lines.append(f"  [{fact.outcome.value}] {fact.path}")
            lines.append(f"      curated: {fact.curated}")
            lines.append(f"      portal:  {fact.portal}")
            if fact.reason:
                lines.append(f"      reason:  {fact.reason}")
        lines += [f"  [stale mark] {path}: no such difference any more" for path in record.stale]
        if not record.problem and not shown and not record.stale:
            lines.append(f"  all {len(record.facts)} facts agree")
        lines.append("")
    compared = [record for record in report.records if not record.problem]
    counts = {outcome: report.count(outcome) for outcome in Outcome}
    lines.append(
        f"Records compared: {len(compared)}   no portal record: {len(report.records) - len(compared)}   "
        f"facts compared: {counts[Outcome.AGREE] + counts[Outcome.MARKED] + counts[Outcome.UNMARKED]}   "
        f"agree: {counts[Outcome.AGREE]}   marked: {counts[Outcome.MARKED]}   unmarked: {counts[Outcome.UNMARKED]}   "
        f"not comparable: {counts[Outcome.NOT_COMPARABLE]}   stale marks: {sum(len(r.stale) for r in report.records)}"
    )
    return "\n".join(lines)

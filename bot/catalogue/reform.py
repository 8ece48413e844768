"""The 2025 reform of local government, by rule: a text naming a body that no longer exists gets a note.

Since 1 July 2025 local government has two levels (province and commune): districts, their people's
committees and offices are gone, and communes are xã, phường or đặc khu (no more thị trấn). The police
(from 1 March 2025) and social insurance reorganised the same way. Many published records still name
the old bodies; each rule below recognises one of them by its wording and says what replaced it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.text.normalize import fold


@dataclass(frozen=True)
class ReformRule:
    """A body abolished by the reform, recognised by a pattern over folded (no diacritics, lowercase) text."""

    pattern: re.Pattern[str]
    note: str


def _rule(pattern: str, note: str) -> ReformRule:
    return ReformRule(re.compile(pattern), note)


_DISTRICT = r"(?:huyen|quan|thi xa|cap huyen)"
RULES = (
    _rule(
        rf"\bcong an {_DISTRICT}\b",
        "Công an cấp huyện không còn (công an ba cấp từ 01/3/2025): việc này nay do Công an cấp xã "
        "hoặc Công an cấp tỉnh thực hiện.",
    ),
    _rule(
        rf"\b(?:bao hiem xa hoi|bhxh) {_DISTRICT}\b",
        "Bảo hiểm xã hội cấp huyện nay là Bảo hiểm xã hội cơ sở (thuộc Bảo hiểm xã hội khu vực).",
    ),
    _rule(
        rf"\b(?:uy ban nhan dan|ubnd) {_DISTRICT}\b|\bphong tu phap\b|\bphong [a-z ,-]{{3,60}} cap huyen\b",
        "Từ 01/7/2025 không còn cấp huyện: việc của Ủy ban nhân dân cấp huyện và các phòng của huyện "
        "nay do Ủy ban nhân dân cấp xã hoặc cơ quan cấp tỉnh thực hiện.",
    ),
    _rule(
        r"\bthi tran\b",
        "Từ 01/7/2025 đơn vị cấp xã gồm xã, phường, đặc khu (không còn thị trấn).",
    ),
)
REFORM_HEADING = "ℹ️ Sau sắp xếp đơn vị hành chính:"


def reform_notes(texts: Iterable[str | None]) -> list[str]:
    """The notes for every abolished body the texts name, each once, in the order of RULES."""
    folded = " \n ".join(fold(text) for text in texts if text)
    return [rule.note for rule in RULES if rule.pattern.search(folded)]


def reform_block(texts: Iterable[str | None]) -> str | None:
    """The notes as one block for an answer, or None when the texts name no abolished body."""
    notes = reform_notes(texts)
    return "\n".join([REFORM_HEADING, *(f"• {note}" for note in notes)]) if notes else None

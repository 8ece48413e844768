"""Dossier codes (mã hồ sơ), Thông tư 01/2018/TT-VPCP Điều 19: `V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX`.

The office code comes first (QCVN 102:2016; `H29` is HCMC, `G..` a ministry), then the date received
and the day's sequence number. Receipts also print shortened office codes (`38.98.H29-210519-0003`).

Canonical form: upper-case letter, every part zero-padded to its width, the office code keeping its
own shape. Numeric office parts are counted from the right, next to the letter part: `Y1Y2` (2
digits), `Z1Z2` (2), `V1V2V3` (3); so `0.0.31.h29` becomes `000.00.31.H29` and `38.98.h29` stays a
shortened `38.98.H29`. The letter part pads to two digits (`H29`), the sequence to four.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

# Tolerant form found in free text: lower case, spaces around separators, missing leading zeros.
CODE_IN_TEXT_PATTERN = r"\b(?:\d{1,3}\s*\.\s*){1,3}[A-Za-z]\d{1,2}\s*-\s*\d{6}\s*-\s*\d{1,4}\b"
EXAMPLE_CODE = "000.00.31.H29-241105-0012"

_CODE_IN_TEXT = re.compile(CODE_IN_TEXT_PATTERN)
_DASHES = re.compile("[\u2010-\u2015\u2212]")  # dashes that phones and word processors substitute for "-"
_SPACED_SEPARATOR = re.compile(r"\s*([.\-])\s*")
_OFFICE = re.compile(r"((?:\d{1,3}\.){1,3})([A-Z])(\d{1,2})")
_OFFICE_WIDTHS = (2, 2, 3)  # numeric office parts from the right: Y1Y2, Z1Z2, V1V2V3
_EXTRA_OFFICE_PART = re.compile(r"\d\s*\.\s*$")
# Something typed as a code: separated alphanumeric groups, or one long run; judged by its digits.
_CANDIDATE = re.compile(r"[A-Za-z0-9]+(?:\s*[.\-]\s*[A-Za-z0-9]+)+|[A-Za-z0-9]{8,}")
_MIN_CANDIDATE_DIGITS = 6


class Problem(str, Enum):
    """Why a text is not a dossier code."""

    MISSING = "missing"  # nothing in the text looks like a code
    SHAPE = "shape"  # not three parts separated by dashes
    OFFICE = "office"  # the office part is not `[ddd.]dd.dd.Xdd`
    DATE = "date"  # the middle part is not a real YYMMDD date
    SEQUENCE = "sequence"  # the last part is not 1–4 digits (0001–9999)


class MalformedCode(ValueError):
    """A text that is not a valid dossier code; `fragment` is the part that looked like one."""

    def __init__(self, problem: Problem, fragment: str = "") -> None:
        super().__init__(f"{problem.value}: {fragment!r}")
        self.problem = problem
        self.fragment = fragment


@dataclass(frozen=True)
class DossierCode:
    """A parsed code: `code` is canonical, `office` its office part, `received` the date it encodes."""

    code: str
    office: str
    received: date
    sequence: int

    @property
    def date_part(self) -> str:
        return self.received.strftime("%y%m%d")

    def __str__(self) -> str:
        return self.code


def parse_code(text: str) -> DossierCode:
    """Parse one code, tolerating case, spaces around separators and missing leading zeros."""
    fragment = text.strip()
    compact = _SPACED_SEPARATOR.sub(r"\1", _DASHES.sub("-", fragment)).upper()
    parts = compact.split("-")
    if len(parts) != 3:
        raise MalformedCode(Problem.SHAPE, fragment)
    office = _office(parts[0], fragment)
    received = _received(parts[1], fragment)
    sequence = _sequence(parts[2], fragment)
    return DossierCode(f"{office}-{parts[1]}-{sequence:04d}", office, received, sequence)


def _office(text: str, fragment: str) -> str:
    match = _OFFICE.fullmatch(text)
    if not match:
        raise MalformedCode(Problem.OFFICE, fragment)
    numbers = match.group(1).rstrip(".").split(".")
    padded = []
    for number, width in zip(reversed(numbers), _OFFICE_WIDTHS, strict=False):
        if len(number) > width:
            raise MalformedCode(Problem.OFFICE, fragment)
        padded.append(number.zfill(width))
    return ".".join([*reversed(padded), f"{match.group(2)}{match.group(3).zfill(2)}"])


def _received(text: str, fragment: str) -> date:
    received = _calendar_date(text) if re.fullmatch(r"\d{6}", text) else None
    if received is None:
        raise MalformedCode(Problem.DATE, fragment)
    return received


def _calendar_date(yymmdd: str) -> date | None:
    try:
        return date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        return None


def _sequence(text: str, fragment: str) -> int:
    if not re.fullmatch(r"\d{1,4}", text) or int(text) == 0:
        raise MalformedCode(Problem.SEQUENCE, fragment)
    return int(text)


def find_codes(text: str) -> list[DossierCode]:
    """Valid codes in free text, in order, without repeats."""
    text = _DASHES.sub("-", text)
    found: dict[str, DossierCode] = {}
    for match in _CODE_IN_TEXT.finditer(text):
        if _EXTRA_OFFICE_PART.search(text, 0, match.start()):
            continue  # the tail of a longer, malformed office code such as 0000.00.31.H29
        try:
            code = parse_code(match.group())
        except MalformedCode:
            continue
        found.setdefault(code.code, code)
    return list(found.values())


def read_code(text: str) -> DossierCode:
    """The first code in free text; else raise MalformedCode for the fragment that looks most like one."""
    codes = find_codes(text)
    if codes:
        return codes[0]
    candidates = [m.group() for m in _CANDIDATE.finditer(_DASHES.sub("-", text))]
    candidates = [c for c in candidates if _digits(c) >= _MIN_CANDIDATE_DIGITS]
    if not candidates:
        raise MalformedCode(Problem.MISSING)
    return parse_code(max(candidates, key=_digits))


def _digits(text: str) -> int:
    return sum(char.isdigit() for char in text)

"""Dossier codes: finding them in messy text, the canonical form, the date check, and why a code is malformed."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.dossiers.codes import (
    CODE_IN_TEXT_PATTERN,
    MalformedCode,
    Problem,
    find_codes,
    parse_code,
    read_code,
)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("000.00.31.H29-241105-0012", "000.00.31.H29-241105-0012"),
        ("000.00.31.h29-241105-0012", "000.00.31.H29-241105-0012"),
        ("0.0.31.h29 - 241105 - 12", "000.00.31.H29-241105-0012"),
        ("000 . 00 . 31 . H29-241105-12", "000.00.31.H29-241105-0012"),
        ("000.00.31.H29–241105–0012", "000.00.31.H29-241105-0012"),  # en dashes from a phone keyboard
        ("1.2.3.h9-240229-1", "001.02.03.H09-240229-0001"),
        ("38.98.h29-210519-3", "38.98.H29-210519-0003"),  # a shortened office code keeps its shape
        ("98.H29-210519-0003", "98.H29-210519-0003"),
        ("000.00.01.G10-250102-0456", "000.00.01.G10-250102-0456"),  # a ministry
    ],
)
def test_codes_are_normalised_to_their_canonical_form(text: str, canonical: str) -> None:
    assert parse_code(text).code == canonical
    assert read_code(f"Dạ mã hồ sơ của em là {text} ạ").code == canonical


def test_a_parsed_code_exposes_its_parts() -> None:
    code = parse_code("38.98.h29-210519-3")
    assert (code.office, code.received, code.sequence, code.date_part) == ("38.98.H29", date(2021, 5, 19), 3, "210519")
    assert str(code) == "38.98.H29-210519-0003"


def test_every_code_in_a_message_is_found_once_in_order() -> None:
    text = "hồ sơ 000.00.31.H29-241105-0012, 38.98.h29-210519-3 và lại 0.0.31.h29-241105-12"
    assert [c.code for c in find_codes(text)] == ["000.00.31.H29-241105-0012", "38.98.H29-210519-0003"]


@pytest.mark.parametrize(
    "text",
    [
        "000.00.31.H29-241105-0012",
        "tra cứu 000.00.31.h29 - 241105 - 12 giúp em",
        "38.98.H29-210519-3",
        "mã: 1.2.3.h9-240229-1.",
    ],
)
def test_the_shared_pattern_still_matches_the_texts_it_did(text: str) -> None:
    assert re.search(CODE_IN_TEXT_PATTERN, text)


@pytest.mark.parametrize(
    "text",
    [
        "000.00.31.H29-241305-0012",  # month 13
        "000.00.31.H29-230229-0012",  # 2023 was not a leap year
        "000.00.31.H29-241100-0012",  # day 0
        "000.00.31.H29-240431-0012",  # 31 April
    ],
)
def test_the_date_part_must_be_a_calendar_date(text: str) -> None:
    with pytest.raises(MalformedCode) as raised:
        read_code(f"mã {text}")
    assert raised.value.problem is Problem.DATE
    assert raised.value.fragment == text


def test_a_leap_day_is_a_date() -> None:
    assert parse_code("000.00.31.H29-240229-0012").received == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("cho em hỏi tình trạng hồ sơ", Problem.MISSING),
        ("000.00.31.H29-2411050012", Problem.SHAPE),
        ("0903 123 456 là số của em: 0903123456", Problem.SHAPE),
        ("H29-241105-0012", Problem.OFFICE),
        ("0000.00.31.H29-241105-0012", Problem.OFFICE),  # four digits: not a shortened code
        ("123.45.H29-241105-0012", Problem.OFFICE),  # three digits where two belong
        ("000.00.31.29-241105-0012", Problem.OFFICE),
        ("000.00.31.H29-24115-0012", Problem.DATE),
        ("000.00.31.H29-241105-00123", Problem.SEQUENCE),
        ("000.00.31.H29-241105-0000", Problem.SEQUENCE),
    ],
)
def test_a_malformed_code_is_classified(text: str, problem: Problem) -> None:
    with pytest.raises(MalformedCode) as raised:
        read_code(text)
    assert raised.value.problem is problem

"""Normalisation steps: NFC, tone placement, diacritic folding, abbreviation expansion."""

from __future__ import annotations

import re
import unicodedata

from bot.text.abbreviations import ABBREVIATIONS
from bot.text.tones import normalize_tones

_WORD = re.compile(r"[0-9a-z]+(?:\.[0-9a-z]+)*")
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Unicode NFC with whitespace collapsed; Vietnamese typed on phones often arrives decomposed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lower-case and strip diacritics: "Đăng ký khai sinh" → "dang ky khai sinh"."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped)


def expand_abbreviations(tokens: list[str]) -> list[str]:
    """Replace folded abbreviation tokens by their folded expansion tokens."""
    expanded: list[str] = []
    for token in tokens:
        expanded.extend(ABBREVIATIONS.get(token, token).split())
    return expanded


def search_tokens(text: str) -> list[str]:
    """Folded, expanded word tokens of a text, as search and lookup compare them."""
    return expand_abbreviations(_WORD.findall(fold(normalize_tones(nfc(text)))))

"""Normalisation steps: NFC, tone placement, diacritic folding, abbreviation expansion."""

from __future__ import annotations

import re
import unicodedata

from bot.text.abbreviations import ABBREVIATIONS
from bot.text.tones import normalize_tones

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Unicode NFC with whitespace collapsed; Vietnamese typed on phones often arrives decomposed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lower-case and strip diacritics: "Đăng ký khai sinh" → "dang ky khai sinh"."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped)


FOLDED_ABBREVIATIONS = {key: fold(value) for key, value in ABBREVIATIONS.items()}


def expand_abbreviations(tokens: list[str]) -> list[str]:
    """Replace folded abbreviation tokens by their folded expansion tokens."""
    expanded: list[str] = []
    for token in tokens:
        expanded.extend(FOLDED_ABBREVIATIONS.get(token, token).split())
    return expanded


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_ANY_WORD = re.compile(r"[^\W_]+(?:\.[^\W_]+)*", re.UNICODE)


def tone_mark(word: str) -> str | None:
    """The tone of a syllable typed with diacritics ("" for the level tone); None when typed without any."""
    if word.isascii():
        return None
    return next((ch for ch in unicodedata.normalize("NFD", word) if ch in _TONE_MARKS), "")


def toned_tokens(text: str, plain_is_level: bool = False) -> list[tuple[str, str | None]]:
    """Folded, expanded tokens with the tone each was typed with (None: unknown — typed without
    diacritics); an abbreviation's words carry the tones of what it stands for ("z" → "vậy").

    The tone tells apart words that fold alike: "lái xe" and "cấp lại", "sổ hồng" and "hông".
    With `plain_is_level` (text known to be written with diacritics, such as catalogue names), a word
    without diacritics has the level tone.
    """
    tokens: list[tuple[str, str | None]] = []
    for word in _ANY_WORD.findall(normalize_tones(nfc(text)).lower()):
        folded = fold(word)
        if expansion := ABBREVIATIONS.get(folded):  # what the shorthand stands for, with its tones
            tokens.extend((fold(part), tone_mark(part) or "") for part in expansion.split())  # written with tones
            continue
        tone = None
        if word.isalpha():
            tone = "" if plain_is_level and word.isascii() else tone_mark(word)
        tokens.append((folded, tone))
    return tokens


def search_tokens(text: str) -> list[str]:
    """Folded, expanded word tokens of a text, as search and lookup compare them."""
    return [token for token, _ in toned_tokens(text)]

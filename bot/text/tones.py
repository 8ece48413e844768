"""Tone-mark placement: rewrite each syllable with its tone on the vowel the traditional rules pick.

"hoà" and "hòa", "thuỷ" and "thủy" are the same word typed with two conventions;
after this step they are the same string.
"""

from __future__ import annotations

import re
import unicodedata

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_VOWELS = set("aăâeêioôơuưy")
_MODIFIED = set("ăâêôơư")
_SYLLABLE = re.compile(r"[^\W\d_]+", re.UNICODE)


def _split_tone(syllable: str) -> tuple[str, str | None]:
    """Return the syllable without its tone mark, and the mark (or None)."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = next((ch for ch in decomposed if ch in _TONES), None)
    bare = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", bare), tone


def _tone_position(bare: str) -> int | None:
    """Index of the vowel that carries the tone in a toneless syllable, or None if it has no vowel."""
    lower = bare.lower()
    start = 0
    if lower.startswith("qu") or (lower.startswith("gi") and len(lower) > 2 and lower[2] in _VOWELS):
        start = 2
    vowels = [i for i in range(start, len(lower)) if lower[i] in _VOWELS]
    if not vowels:
        return start - 1 if start else None  # "gì": the i of gi carries the tone
    first, last = vowels[0], vowels[-1]
    cluster = [i for i in range(first, last + 1)]
    modified = [i for i in cluster if lower[i] in _MODIFIED]
    if modified:
        return modified[-1]  # "ươ" → ơ, "uyê" → ê
    if len(cluster) == 1:
        return cluster[0]
    has_final = last + 1 < len(lower)
    if len(cluster) == 3 or has_final:
        return cluster[1]
    return cluster[0]


def _place(syllable: str) -> str:
    bare, tone = _split_tone(syllable)
    if tone is None:
        return syllable
    position = _tone_position(bare)
    if position is None:
        return syllable
    marked = unicodedata.normalize("NFD", bare[position]) + tone
    return bare[:position] + unicodedata.normalize("NFC", marked) + bare[position + 1 :]


def normalize_tones(text: str) -> str:
    """Place every syllable's tone mark by the traditional rules ("hoà" → "hòa", "thuỷ" → "thủy")."""
    return _SYLLABLE.sub(lambda match: _place(match.group(0)), unicodedata.normalize("NFC", text))

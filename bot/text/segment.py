"""Word segmentation that gives the same words for a message typed with or without diacritics.

Text with diacritics is segmented by underthesea's CRF model. Text typed without diacritics
confuses that model ("lam giay" becomes one word), so it is segmented by longest match against
underthesea's own dictionary, folded. Every word comes out folded, abbreviation-expanded and
joined by "_" ("Khai sinh" → "khai_sinh", "cccd" → "can_cuoc" + "cong_dan"), with the offsets
of the original text so entity annotations stay aligned.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from bot.dossiers.codes import CODE_IN_TEXT_PATTERN
from bot.text.normalize import FOLDED_ABBREVIATIONS, fold
from bot.text.tones import normalize_tones

_DOSSIER_CODE = re.compile(CODE_IN_TEXT_PATTERN)
_TOKEN = re.compile(r"\w+(?:[.\-/]\w+)*", re.UNICODE)
_MAX_WORD = 4


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def folded_lexicon() -> frozenset[tuple[str, ...]]:
    """Multi-syllable words of underthesea's Viet74K dictionary, folded."""
    path = resources.files("underthesea") / "corpus" / "data" / "Viet74K.txt"
    words = (fold(line).split() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(tuple(w) for w in words if 1 < len(w) <= _MAX_WORD)


def _longest_match(syllables: list[str]) -> list[tuple[int, int]]:
    """Group folded syllables into dictionary words: (first, last+1) index pairs."""
    lexicon = folded_lexicon()
    groups, i = [], 0
    while i < len(syllables):
        size = next(
            (n for n in range(min(_MAX_WORD, len(syllables) - i), 1, -1) if tuple(syllables[i : i + n]) in lexicon),
            1,
        )
        groups.append((i, i + size))
        i += size
    return groups


def _spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _TOKEN.finditer(text)]


def _crf_spans(text: str) -> list[tuple[int, int]]:
    """Spans of underthesea's words, located in the original text.

    A word the dictionary does not know (the model glued "CCCD ko") is regrouped by longest match.
    """
    from underthesea import word_tokenize

    spans, cursor = [], 0
    for word in word_tokenize(text):
        start = text.find(word, cursor)
        if start < 0:  # the segmenter changed the text: fall back to plain tokens
            return _spans(text)
        cursor = start + len(word)
        syllables = tuple(fold(word).split())
        if len(syllables) == 1 or syllables in folded_lexicon():
            spans.append((start, cursor))
        else:
            spans.extend(_dictionary_spans(text[:cursor], start))
    return [span for span in spans if _TOKEN.search(text[span[0] : span[1]])]


def _dictionary_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    spans = [(s, e) for s, e in _spans(text) if s >= offset]
    folded = [fold(text[s:e]) for s, e in spans]
    return [(spans[first][0], spans[last - 1][1]) for first, last in _longest_match(folded)]


def _words_of(text: str, start: int, end: int) -> list[Word]:
    syllables = [fold(normalize_tones(s)) for s in text[start:end].split()]
    if len(syllables) == 1 and syllables[0] in FOLDED_ABBREVIATIONS:
        expansion = FOLDED_ABBREVIATIONS[syllables[0]].split()
        return [Word("_".join(expansion[a:b]), start, end) for a, b in _longest_match(expansion)]
    return [Word("_".join(syllables), start, end)]


def _segment_plain(text: str, offset: int) -> list[Word]:
    has_diacritics = fold(text) != text.lower()
    spans = _crf_spans(text) if has_diacritics else _dictionary_spans(text)
    return [
        Word(word.text, word.start + offset, word.end + offset)
        for start, end in spans
        for word in _words_of(text, start, end)
    ]


def _segment_between(text: str, start: int, end: int, boundaries: list[int]) -> list[Word]:
    cuts = [start, *(b for b in boundaries if start < b < end), end]
    return [word for a, b in itertools.pairwise(cuts) for word in _segment_plain(text[a:b], a)]


def segment(text: str, boundaries: Iterable[int] = ()) -> list[Word]:
    """Folded words of `text` with their character offsets; a dossier code stays one word.

    No word crosses an offset in `boundaries` (the edges of annotated entities in training data).
    """
    cuts = sorted(set(boundaries))
    words: list[Word] = []
    cursor = 0
    for match in _DOSSIER_CODE.finditer(text):
        words += _segment_between(text, cursor, match.start(), cuts)
        words.append(Word(re.sub(r"\s+", "", match.group(0)).lower(), match.start(), match.end()))
        cursor = match.end()
    return words + _segment_between(text, cursor, len(text), cuts)

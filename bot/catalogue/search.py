"""Finding the procedure a citizen means, from everyday words.

Every name and alias is reduced to folded, abbreviation-expanded content tokens once, at load.
A query is reduced the same way; each of its tokens is snapped to the catalogue's vocabulary
(exact, or the closest word within a typo's distance, via rapidfuzz), and candidates sharing a
token are scored by IDF-weighted coverage in both directions plus word-order (bigram) agreement.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from bot.catalogue.model import Procedure
from bot.catalogue.store import Catalogue
from bot.text.normalize import toned_tokens

# Words that never tell procedures apart: politeness, question words, aspect words.
STOPWORDS = frozenset(
    """
    cho em hoi toi minh tui anh chi a oi admin ad la lam thi the nao nhu can gi nhung bao lau
    dau vay nhi nhe ha khong duoc co phai muon de va voi cua ve roi hien nay xin giup gium
    cac thu tuc mau don online truc tuyen qua mang nop o tai biet huong dan
    kiem tra tien phi le ngay ai nguoi moi uh um da vang day kia
    """.split()
)
# Stop phrases are removed before single stopwords, so "to khai" goes but "khai sinh" stays.
STOP_PHRASES = frozenset(
    {
        "bao nhieu",
        "ho so",
        "giay to",
        "to khai",
        "bao lau",
        "the nao",
        "o dau",
        "can cu",
        "ban oi",
        "sao vay",
        "thi sao",
        "chuan bi",
    }
)
CODE_IN_TEXT = re.compile(r"\b\d\.\d{6}\b")
CURATED_BONUS = 3.0
W_DOC, W_QUERY, W_ORDER = 0.35, 0.5, 0.15
TONE_MISMATCH = 0.35
TYPO_SIMILARITY = 0.75
CLEAR_MARGIN = 5.0
MIN_SCORE = 45.0
COMMON_TOKEN_SHARE = 0.15


class MatchStatus(str, Enum):
    CLEAR = "clear"
    AMBIGUOUS = "ambiguous"
    NONE = "none"


@dataclass(frozen=True)
class Hit:
    procedure: Procedure
    score: float


@dataclass(frozen=True)
class SearchResult:
    status: MatchStatus
    hits: list[Hit]

    @property
    def best(self) -> Procedure | None:
        return self.hits[0].procedure if self.hits and self.status == MatchStatus.CLEAR else None


Toned = tuple[str, "str | None"]


def content_toned(text: str) -> list[Toned]:
    """Folded tokens with their typed tone, without stop phrases and stopwords."""
    tokens = toned_tokens(text)
    kept: list[Toned] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens) and f"{tokens[i][0]} {tokens[i + 1][0]}" in STOP_PHRASES:
            i += 2
            continue
        if tokens[i][0] not in STOPWORDS:
            kept.append(tokens[i])
        i += 1
    return kept


def content_tokens(text: str) -> list[str]:
    """Folded tokens of a text without stop phrases and stopwords."""
    return [token for token, _ in content_toned(text)]


def _tones(tokens: list[Toned]) -> dict[str, set[str]]:
    tones: dict[str, set[str]] = defaultdict(set)
    for token, tone in tokens:
        if tone is not None:
            tones[token].add(tone)
    return tones


def _agreement(known: set[str] | None, typed: str | None) -> float:
    """1 unless the query and the name typed the same folded word with different tones ("lái" vs "lại")."""
    return TONE_MISMATCH if typed is not None and known and typed not in known else 1.0


@dataclass(frozen=True)
class _Doc:
    code: str
    tokens: frozenset[str]
    tones: dict[str, set[str]]
    bigrams: frozenset[tuple[str, str]]
    weight: float


# A query word: a vocabulary token and the tone it was typed with; the same token typed with
# two tones ("lái xe", "cấp lại") is two words, each to be explained by a procedure's names.
QueryWords = dict[Toned, float]


class ProcedureIndex:
    """Search index over a catalogue; build once, query many times."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        texts = [(p.code, content_toned(text)) for p in catalogue for text in [p.name, *p.aliases]]
        self._idf = self._compute_idf(texts, len(catalogue))
        self._docs = [self._make_doc(code, tokens) for code, tokens in texts if tokens]
        self._words: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for code, tokens in texts:
            for token, tones in _tones(tokens).items():
                self._words[code][token] |= tones
            for token, _ in tokens:
                self._words[code].setdefault(token, set())
        self._postings: dict[str, list[int]] = defaultdict(list)
        for doc_id, doc in enumerate(self._docs):
            for token in doc.tokens:
                self._postings[token].append(doc_id)
        self._vocabulary = sorted(self._postings)
        self._common = {t for t, ids in self._postings.items() if len(ids) > COMMON_TOKEN_SHARE * len(self._docs)}
        self._snap = lru_cache(maxsize=20000)(self._snap_uncached)

    @staticmethod
    def _compute_idf(texts: list[tuple[str, list[Toned]]], total: int) -> dict[str, float]:
        procedures_with: dict[str, set[str]] = defaultdict(set)
        for code, tokens in texts:
            for token, _ in tokens:
                procedures_with[token].add(code)
        return {token: math.log(1 + total / len(codes)) for token, codes in procedures_with.items()}

    def _make_doc(self, code: str, toned: list[Toned]) -> _Doc:
        tokens = [token for token, _ in toned]
        unique = frozenset(tokens)
        weight = sum(self._idf[t] for t in unique)
        return _Doc(code, unique, _tones(toned), frozenset(itertools.pairwise(tokens)), weight)

    def _snap_uncached(self, token: str) -> tuple[str, float] | None:
        """The vocabulary word a query token stands for, with a similarity in (0, 1]."""
        if token in self._postings:
            return token, 1.0
        if len(token) < 4 or token.isdigit():
            return None
        scorer = DamerauLevenshtein.normalized_similarity
        found = process.extractOne(token, self._vocabulary, scorer=scorer, score_cutoff=TYPO_SIMILARITY)
        return (found[0], found[1]) if found else None

    def _query_words(self, query: str) -> tuple[QueryWords, set[tuple[str, str]]]:
        """Query tokens snapped to the vocabulary with their similarity (a typo loses its tone), and bigrams."""
        words: QueryWords = {}
        order: list[str] = []
        for token, tone in content_toned(query):
            snapped = self._snap(token)
            if snapped is None:
                continue
            word, similarity = snapped
            order.append(word)
            key = (word, tone if word == token else None)
            words[key] = max(similarity, words.get(key, 0.0))
        return words, set(itertools.pairwise(order))

    def search(self, query: str, limit: int = 5) -> SearchResult:
        """Rank procedures for a citizen's message; the status says whether to answer or ask."""
        direct = [self.catalogue.get(code) for code in CODE_IN_TEXT.findall(query)]
        direct_hits = [Hit(p, 100.0) for p in direct if p is not None]
        if direct_hits:
            status = MatchStatus.CLEAR if len(direct_hits) == 1 else MatchStatus.AMBIGUOUS
            return SearchResult(status, direct_hits[:limit])
        hits = self._rank(*self._query_words(query))[:limit]
        return SearchResult(_status(hits), hits)

    def _rank(self, words: QueryWords, bigrams: set[tuple[str, str]]) -> list[Hit]:
        if not words:
            return []
        best: dict[str, float] = {}
        for doc_id in self._candidates(words):
            doc = self._docs[doc_id]
            best[doc.code] = max(best.get(doc.code, 0.0), self._name_match(doc, words, bigrams))
        query_weight = sum(self._idf[token] * similarity for (token, _), similarity in words.items())
        scored = [(code, self._score(code, match, words, query_weight)) for code, match in best.items()]
        hits = [Hit(self.catalogue.get(code), score) for code, score in scored]  # type: ignore[arg-type]
        hits.sort(key=lambda h: (-h.score, not self.catalogue.is_curated(h.procedure.code), len(h.procedure.name)))
        return hits

    def _candidates(self, words: QueryWords) -> set[int]:
        tokens = {token for token, _ in words}
        rare = [t for t in tokens if t not in self._common] or list(tokens)
        return {doc_id for token in rare for doc_id in self._postings[token]}

    def _explained(self, words: QueryWords, tokens: Iterable[str], tones: dict[str, set[str]]) -> dict[str, float]:
        """Per token of a name (or a procedure's words), the best IDF weight a query word gives it."""
        present = set(tokens)
        weights: dict[str, float] = {}
        for (token, tone), similarity in words.items():
            if token in present:
                weight = self._idf[token] * similarity * _agreement(tones.get(token), tone)
                weights[token] = max(weight, weights.get(token, 0.0))
        return weights

    def _name_match(self, doc: _Doc, words: QueryWords, bigrams: set[tuple[str, str]]) -> float:
        """How fully one name or alias is said in the query, words and word order."""
        coverage = sum(self._explained(words, doc.tokens, doc.tones).values()) / doc.weight
        order = len(doc.bigrams & bigrams) / len(doc.bigrams) if doc.bigrams else coverage
        return W_DOC * coverage + W_ORDER * order

    def _score(self, code: str, name_match: float, words: QueryWords, query_weight: float) -> float:
        """Best name match plus how much of the query the procedure's names and aliases explain together."""
        known = self._words[code]
        explained = sum(
            self._idf[token] * similarity * _agreement(known.get(token), tone)
            for (token, tone), similarity in words.items()
            if token in known
        )
        score = 100 * (name_match + W_QUERY * explained / query_weight)
        if self.catalogue.is_curated(code):
            score += CURATED_BONUS
        return round(min(score, 100.0), 2)


def _status(hits: list[Hit]) -> MatchStatus:
    if not hits or hits[0].score < MIN_SCORE:
        return MatchStatus.NONE
    if len(hits) > 1 and hits[0].score - hits[1].score < CLEAR_MARGIN:
        return MatchStatus.AMBIGUOUS
    return MatchStatus.CLEAR

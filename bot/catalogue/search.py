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
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.catalogue.model import Procedure
from bot.catalogue.store import Catalogue
from bot.text import search_tokens

# Words that never tell procedures apart: politeness, question words, aspect words.
STOPWORDS = frozenset(
    """
    cho em hoi toi minh tui anh chi a oi admin ad la lam thi sao the nao nhu can gi nhung bao nhieu lau
    dau vay nhi nha nhe ha khong duoc co phai muon di de va voi cua ve roi hien nay xin giup gium
    mot cac thu tuc mau don khai online truc tuyen qua mang nop o tai dang ban biet huong dan chuan bi
    kiem tra thong tin tien phi le mat ngay bi gia nhieu ai nguoi moi uh um da vang day kia
    """.split()
)
# Stop phrases are removed before single stopwords, so "to khai" goes but "khai sinh" stays.
STOP_PHRASES = ("ho so", "giay to", "to khai", "bao lau", "the nao", "o dau", "can cu")
CODE_IN_TEXT = re.compile(r"\b\d\.\d{6}\b")
CURATED_BONUS = 3.0
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


def content_tokens(text: str) -> list[str]:
    """Folded tokens of a text without stop phrases and stopwords."""
    joined = " " + " ".join(search_tokens(text)) + " "
    for phrase in STOP_PHRASES:
        joined = joined.replace(f" {phrase} ", " ")
    return [token for token in joined.split() if token not in STOPWORDS]


@dataclass(frozen=True)
class _Doc:
    code: str
    tokens: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    weight: float


class ProcedureIndex:
    """Search index over a catalogue; build once, query many times."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        texts = [(p.code, text) for p in catalogue for text in [p.name, *p.aliases]]
        tokenised = [(code, content_tokens(text)) for code, text in texts]
        self._idf = self._compute_idf(tokenised, len(catalogue))
        self._docs = [self._make_doc(code, tokens) for code, tokens in tokenised if tokens]
        self._postings: dict[str, list[int]] = defaultdict(list)
        for doc_id, doc in enumerate(self._docs):
            for token in doc.tokens:
                self._postings[token].append(doc_id)
        self._vocabulary = sorted(self._postings)
        self._common = {
            token for token, ids in self._postings.items() if len(ids) > COMMON_TOKEN_SHARE * len(self._docs)
        }
        self._snap = lru_cache(maxsize=20000)(self._snap_uncached)

    @staticmethod
    def _compute_idf(tokenised: list[tuple[str, list[str]]], total: int) -> dict[str, float]:
        procedures_with: dict[str, set[str]] = defaultdict(set)
        for code, tokens in tokenised:
            for token in tokens:
                procedures_with[token].add(code)
        return {token: math.log(1 + total / len(codes)) for token, codes in procedures_with.items()}

    def _make_doc(self, code: str, tokens: list[str]) -> _Doc:
        unique = frozenset(tokens)
        return _Doc(code, unique, frozenset(itertools.pairwise(tokens)), sum(self._idf[t] for t in unique))

    def _snap_uncached(self, token: str) -> tuple[str, float] | None:
        """The vocabulary word a query token stands for, with a similarity in (0, 1]."""
        if token in self._postings:
            return token, 1.0
        if len(token) < 4 or token.isdigit():
            return None
        found = process.extractOne(token, self._vocabulary, scorer=fuzz.ratio, score_cutoff=80)
        return (found[0], found[1] / 100) if found else None

    def search(self, query: str, limit: int = 5) -> SearchResult:
        """Rank procedures for a citizen's message; the status says whether to answer or ask."""
        direct = [self.catalogue.get(code) for code in CODE_IN_TEXT.findall(query)]
        direct_hits = [Hit(p, 100.0) for p in direct if p is not None]
        if direct_hits:
            status = MatchStatus.CLEAR if len(direct_hits) == 1 else MatchStatus.AMBIGUOUS
            return SearchResult(status, direct_hits[:limit])
        snapped = [s for s in map(self._snap, content_tokens(query)) if s]
        hits = self._rank(snapped)[:limit]
        return SearchResult(_status(hits), hits)

    def _rank(self, snapped: list[tuple[str, float]]) -> list[Hit]:
        similarity: dict[str, float] = {}
        for token, sim in snapped:
            similarity[token] = max(sim, similarity.get(token, 0.0))
        if not similarity:
            return []
        bigrams = set(zip([t for t, _ in snapped], [t for t, _ in snapped][1:], strict=False))
        query_weight = sum(self._idf[t] * s for t, s in similarity.items())
        best: dict[str, float] = {}
        for doc_id in self._candidates(similarity):
            doc = self._docs[doc_id]
            score = self._score(doc, similarity, bigrams, query_weight)
            if score > best.get(doc.code, -1.0):
                best[doc.code] = score
        hits = [Hit(self.catalogue.get(code), score) for code, score in best.items()]  # type: ignore[arg-type]
        hits.sort(key=lambda h: (-h.score, not self.catalogue.is_curated(h.procedure.code), len(h.procedure.name)))
        return hits

    def _candidates(self, similarity: dict[str, float]) -> set[int]:
        rare = [t for t in similarity if t not in self._common] or list(similarity)
        return {doc_id for token in rare for doc_id in self._postings[token]}

    def _score(
        self, doc: _Doc, similarity: dict[str, float], bigrams: set[tuple[str, str]], query_weight: float
    ) -> float:
        matched = sum(self._idf[t] * similarity[t] for t in doc.tokens if t in similarity)
        doc_coverage = matched / doc.weight
        query_coverage = matched / query_weight if query_weight else 0.0
        order = len(doc.bigrams & bigrams) / len(doc.bigrams) if doc.bigrams else doc_coverage
        score = 100 * (0.5 * doc_coverage + 0.35 * query_coverage + 0.15 * order)
        if self.catalogue.is_curated(doc.code):
            score += CURATED_BONUS
        return round(min(score, 100.0), 2)


def _status(hits: list[Hit]) -> MatchStatus:
    if not hits or hits[0].score < MIN_SCORE:
        return MatchStatus.NONE
    if len(hits) > 1 and hits[0].score - hits[1].score < CLEAR_MARGIN:
        return MatchStatus.AMBIGUOUS
    return MatchStatus.CLEAR

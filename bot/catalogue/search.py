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
from collections.abc import Container
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from bot.catalogue.context_words import ContextWords, project_context_words
from bot.catalogue.model import Procedure
from bot.catalogue.store import Catalogue
from bot.text.normalize import fold, tone_mark, toned_tokens
from bot.text.sentences import question_sentence

# Words that never tell procedures apart: politeness, question words, aspect words. Written with
# their tones, so "thì" goes but "thi bằng lái" stays, "vâng" goes but "tạm vắng" stays.
STOPWORDS = """
    cho em hỏi tôi mình tui anh chị ạ ơi admin ad là làm thì thế nào như cần gì những nhiêu lâu đâu vậy
    nhỉ nhé nha hả không được có phải muốn để và với của về rồi hiện nay xin giúp giùm các thủ tục mẫu đơn
    online trực tuyến qua mạng nộp ở tại biết hướng dẫn kiểm tra tiền phí lệ ngày ai người mới ừ ừm dạ vâng
    đây kia còn
""".split()
_STOP_TONED = frozenset((fold(word), tone_mark(word) or "") for word in STOPWORDS)
_STOP_FOLDED = frozenset(fold(word) for word in STOPWORDS)
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
        "mat bao",
    }
)
CODE_IN_TEXT = re.compile(r"\b\d\.\d{6}\b")
_WORD = re.compile(r"\w+")
# Curated procedures are the ones citizens ask about most: on a near tie, they win. Scores stay within 0-100.
CURATED_BONUS = 3.0
# Score = how fully the best name is said (words, word order), how much of the query that name
# explains, and how much of it the procedure's names and aliases explain together.
W_DOC, W_ORDER, W_QUERY_NAME, W_QUERY = 0.3, 0.1, 0.2, 0.4
TONE_MISMATCH = 0.35
TYPO_SIMILARITY = 0.75
CLEAR_MARGIN = 5.0
CHOICE_WINDOW = 12.0  # an ambiguous match offers the candidates within this of the best score…
MAX_CHOICES = 4  # …at most this many
MIN_SCORE = 45.0
COMMON_TOKEN_SHARE = 0.15
# A score says how well a procedure explains what is left of a message; it is "clear" only when the message
# also says that procedure's words reliably: typed as such (tone agreeing), or snapped from a typo of at
# least SNAP_EVIDENCE_LEN letters ("chào" snapped to "cha" is no evidence). Reliable words must cover
# MIN_COVERAGE of one of its names' weight and weigh MIN_EVIDENCE_SHARE of a word unique to one procedure.
# Calibrated on benchmarks/search_queries.yml and half of benchmarks/no_procedure.yml (see benchmarks/search.py).
SNAP_EVIDENCE_LEN = 5
MIN_COVERAGE = 0.5
MIN_EVIDENCE_SHARE = 0.8
# An ambiguous match needs one candidate's reliably said words to weigh this share of that: a family of names
# ("giấy phép", "chứng thực") is worth a question back; aspect words and particles are not.
AMBIGUOUS_EVIDENCE = 0.75


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


def _is_stopword(token: str, tone: str | None, vocabulary: Container[str] | None) -> bool:
    """A stopword as typed. In a query, a word typed without diacritics stays if the catalogue uses it
    ("thi", "vang"); in a name (no vocabulary), an expanded abbreviation always stays."""
    if tone is not None:
        return (token, tone) in _STOP_TONED
    return vocabulary is not None and token in _STOP_FOLDED and token not in vocabulary


def content_toned(text: str, vocabulary: Container[str] | None = None) -> list[Toned]:
    """Folded tokens with their tone, without stop phrases and stopwords.

    Without `vocabulary` the text is a catalogue name (written with diacritics); with it, a citizen's query.
    """
    tokens = toned_tokens(text, plain_is_level=vocabulary is None)
    kept: list[Toned] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens) and f"{tokens[i][0]} {tokens[i + 1][0]}" in STOP_PHRASES:
            i += 2
            continue
        if not _is_stopword(*tokens[i], vocabulary):
            kept.append(tokens[i])
        i += 1
    return kept


def content_tokens(text: str) -> list[str]:
    """Folded tokens of a text without stop phrases and stopwords."""
    return [token for token, _ in content_toned(text)]


# The tones a syllable can be typed with (level tone ""), as bits of a mask.
TONE_BITS = {tone: 1 << i for i, tone in enumerate(["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"])}


def _tone_mask(tokens: list[Toned], token: str) -> int:
    """Bits of the tones `token` is written with in a name; 0 when only typed without diacritics."""
    mask = 0
    for word, tone in tokens:
        if word == token and tone is not None:
            mask |= TONE_BITS[tone]
    return mask


@dataclass
class _Postings:
    """For one token: the rows (names or procedures) holding it, and the tones it is written with there."""

    rows: list[int] = field(default_factory=list)
    masks: list[int] = field(default_factory=list)

    def freeze(self) -> tuple[np.ndarray, np.ndarray]:
        return np.array(self.rows, dtype=np.int64), np.array(self.masks, dtype=np.int64)


@dataclass(frozen=True)
class _Said:
    """A query word in order: the vocabulary word, whether it was said surely (typed as such or a long typo),
    and whether citizens mostly use it around names rather than in them (`ContextWords`)."""

    word: str
    sure: bool
    context: bool


# A query word: a vocabulary token and the tone it was typed with; the same token typed with
# two tones ("lái xe", "cấp lại") is two words, each to be explained by a procedure's names.
QueryWords = dict[Toned, float]


Forms = dict[str, list[tuple[str | None, float]]]


def _forms(words: QueryWords) -> Forms:
    """Per vocabulary token, the (tone, similarity) forms the query typed it with."""
    forms: Forms = defaultdict(list)
    for (token, tone), similarity in words.items():
        forms[token].append((tone, similarity))
    return forms


def _factors(masks: np.ndarray, forms: list[tuple[str | None, float]]) -> np.ndarray:
    """Per row, the best similarity a query's forms of a token get; a tone the row never uses costs TONE_MISMATCH."""
    best = np.zeros(len(masks))
    for tone, similarity in forms:
        agree = (masks == 0) | ((masks & TONE_BITS[tone]) != 0) if tone is not None else np.ones(len(masks), bool)
        best = np.maximum(best, similarity * np.where(agree, 1.0, TONE_MISMATCH))
    return best


class ProcedureIndex:
    """Search index over a catalogue; build once, query many times.

    Rows are names/aliases ("names") and procedures. Inverted postings (token → rows holding it, with
    the tones it is written with; bigram → names) are numpy arrays, so a query costs a few vector
    operations per query word, whatever the catalogue's size.
    """

    def __init__(self, catalogue: Catalogue, context: ContextWords | None = None) -> None:
        self.catalogue = catalogue
        self._context = context or project_context_words()
        procedures = list(catalogue)
        self._codes = [p.code for p in procedures]
        row_of = {code: row for row, code in enumerate(self._codes)}
        names = [
            (row_of[p.code], toned)
            for p in procedures
            for text in [p.name, *p.aliases]
            if (toned := content_toned(text))
        ]
        self._idf = self._compute_idf(names, len(procedures))

        name_postings: dict[str, _Postings] = defaultdict(_Postings)
        procedure_postings: dict[str, dict[int, int]] = defaultdict(dict)
        bigram_rows: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._trigrams: set[tuple[str, str, str]] = set()
        self._name_procedure = np.array([row for row, _ in names], dtype=np.int64)
        self._name_weight = np.zeros(len(names))
        self._name_bigrams = np.zeros(len(names))
        for name_row, (procedure_row, toned) in enumerate(names):
            tokens = [token for token, _ in toned]
            for token in set(tokens):
                mask = _tone_mask(toned, token)
                name_postings[token].rows.append(name_row)
                name_postings[token].masks.append(mask)
                procedure_postings[token][procedure_row] = procedure_postings[token].get(procedure_row, 0) | mask
                self._name_weight[name_row] += self._idf[token]
            bigrams = set(itertools.pairwise(tokens))
            self._trigrams.update(zip(tokens, tokens[1:], tokens[2:], strict=False))
            self._name_bigrams[name_row] = len(bigrams)
            for bigram in bigrams:
                bigram_rows[bigram].append(name_row)

        self._names = {token: postings.freeze() for token, postings in name_postings.items()}
        self._procedures = {
            token: (np.array(list(rows), dtype=np.int64), np.array(list(rows.values()), dtype=np.int64))
            for token, rows in procedure_postings.items()
        }
        self._bigrams = {bigram: np.array(rows, dtype=np.int64) for bigram, rows in bigram_rows.items()}
        self._curated = np.array([catalogue.is_curated(code) for code in self._codes])
        self._name_length = np.array([len(p.name) for p in procedures])
        self._vocabulary = sorted(self._names)
        common_size = COMMON_TOKEN_SHARE * len(names)
        self._common = {token for token, (rows, _) in self._names.items() if len(rows) > common_size}
        self._snap = lru_cache(maxsize=20000)(self._snap_uncached)
        self._min_evidence = MIN_EVIDENCE_SHARE * math.log(1 + len(procedures))

    @staticmethod
    def _compute_idf(names: list[tuple[int, list[Toned]]], total: int) -> dict[str, float]:
        procedures_with: dict[str, set[int]] = defaultdict(set)
        for row, tokens in names:
            for token, _ in tokens:
                procedures_with[token].add(row)
        return {token: math.log(1 + total / len(rows)) for token, rows in procedures_with.items()}

    def _snap_uncached(self, token: str) -> tuple[str, float] | None:
        """The vocabulary word a query token stands for, with a similarity in (0, 1]."""
        if token in self._names:
            return token, 1.0
        if len(token) < 4 or token.isdigit():
            return None
        scorer = DamerauLevenshtein.normalized_similarity
        found = process.extractOne(token, self._vocabulary, scorer=scorer, score_cutoff=TYPO_SIMILARITY)
        return (found[0], found[1]) if found else None

    def _query_words(self, query: str) -> tuple[QueryWords, set[tuple[str, str]], set[str]]:
        """Query tokens snapped to the vocabulary with their similarity (a typo loses its tone), bigrams, and
        the vocabulary words the query says reliably (see `_reliable`)."""
        words: QueryWords = {}
        said: list[_Said] = []
        typed = set(_WORD.findall(fold(query).lower()))  # the rest was expanded from an abbreviation
        for token, tone in content_toned(query, self._names):
            snapped = self._snap(token)
            if snapped is None:
                continue
            word, similarity = snapped
            key = (word, tone if word == token else None)
            words[key] = max(similarity, words.get(key, 0.0))
            sure = similarity == 1.0 or len(token) >= SNAP_EVIDENCE_LEN
            said.append(_Said(word, sure, token in typed and self._context.is_context(token, tone)))
        order = [entry.word for entry in said]
        return words, set(itertools.pairwise(order)), self._reliable(said)

    def _says_a_name(self, entry: _Said, other: _Said) -> bool:
        """Whether two neighbouring query words are said as in a catalogue name: the neighbour is no context
        word, or citizens are known to say the two together as a name ("sổ hồng", not "mấy thi(công)")."""
        pair = (entry.word, other.word) if (entry.word, other.word) in self._bigrams else (other.word, entry.word)
        if pair not in self._bigrams:
            return False
        return not other.context or self._context.is_name_pair(*pair)

    def _in_a_name_run(self, i: int, words: list[str]) -> bool:
        """Whether the i-th query word is one of three in a row said as three words in a row of a name
        ("quỹ quốc gia"): chat never strings context words together like a name."""
        return any(tuple(words[j : j + 3]) in self._trigrams for j in range(max(0, i - 2), i + 1))

    def _reliable(self, said: list[_Said]) -> set[str]:
        """Words typed as such (or typos of long enough words) that are not context words; a context word
        counts when it is said with a neighbour as in a known name ("ho chieu", "so hong"), or in a run of
        three words of a name."""
        reliable: set[str] = set()
        words = [entry.word for entry in said]
        for i, entry in enumerate(said):
            neighbours = [said[j] for j in (i - 1, i + 1) if 0 <= j < len(said)]
            named = any(self._says_a_name(entry, other) for other in neighbours) or self._in_a_name_run(i, words)
            if entry.sure and (not entry.context or named):
                reliable.add(entry.word)
        return reliable

    def search(self, query: str, limit: int = 5) -> SearchResult:
        """Rank procedures for a citizen's message; the status says whether to answer or ask.

        In a message of several sentences, the question sentence is read on its own too: a procedure it names
        clearly is the answer when the whole message agrees (names it clearly, among others, or names none); when
        the whole message clearly names another, it is a question for the citizen."""
        whole = self._search(query, limit)
        asking = question_sentence(query)
        focused = self._search(asking, limit) if asking is not None else None
        if focused is None or focused.status is not MatchStatus.CLEAR:
            return whole
        best = focused.hits[0]
        agreeing = whole.hits[:1] if whole.status is MatchStatus.CLEAR else whole.hits
        if whole.status is MatchStatus.NONE or best.procedure.code in {hit.procedure.code for hit in agreeing}:
            return focused
        others = [hit for hit in whole.hits if hit.procedure.code != best.procedure.code]
        return SearchResult(MatchStatus.AMBIGUOUS, [best, *others][:limit])

    def _search(self, query: str, limit: int) -> SearchResult:
        direct = [self.catalogue.get(code) for code in CODE_IN_TEXT.findall(query)]
        direct_hits = [Hit(p, 100.0) for p in direct if p is not None]
        if direct_hits:
            status = MatchStatus.CLEAR if len(direct_hits) == 1 else MatchStatus.AMBIGUOUS
            return SearchResult(status, direct_hits[:limit])
        words, bigrams, reliable = self._query_words(query)
        if not words:
            return SearchResult(MatchStatus.NONE, [])
        hits, rows = self._rank(words, bigrams, limit)
        status = score_status(hits)
        if status is MatchStatus.CLEAR and not self._evidenced(rows[0], words, reliable):
            status = MatchStatus.NONE  # a score without evidence: nothing in the message names that procedure
        if status is MatchStatus.AMBIGUOUS and not any(
            self._evidence(row, words, reliable)[1] >= AMBIGUOUS_EVIDENCE * self._min_evidence
            for row in rows[: len(choices(hits))]
        ):
            status = MatchStatus.NONE  # close scores, but no candidate's distinctive word is said: no question
        return SearchResult(status, hits)

    def _evidenced(self, row: int, words: QueryWords, reliable: set[str]) -> bool:
        """Whether the query says procedure `row`'s own words reliably enough for a clear answer."""
        coverage, said = self._evidence(row, words, reliable)
        return coverage >= MIN_COVERAGE and said >= self._min_evidence

    def _evidence(self, row: int, words: QueryWords, reliable: set[str]) -> tuple[float, float]:
        """How the query's reliable words say procedure `row`: the best share of one of its names' weight, and
        their weight among the procedure's words."""
        forms = _forms(words)
        said, coverage = 0.0, 0.0
        names = np.flatnonzero(self._name_procedure == row)
        said_in_name = np.zeros(len(names))
        for token in reliable:
            rows, masks = self._procedures[token]
            agrees = _factors(masks, forms[token]) > TONE_MISMATCH
            said += self._idf[token] * float(agrees[rows == row].any())
            rows, masks = self._names[token]
            agrees = _factors(masks, forms[token]) > TONE_MISMATCH
            said_in_name += self._idf[token] * np.isin(names, rows[agrees])
        if len(names):
            coverage = float(np.max(said_in_name / self._name_weight[names]))
        return coverage, said

    def _rank(self, words: QueryWords, bigrams: set[tuple[str, str]], limit: int) -> tuple[list[Hit], list[int]]:
        """The best hits and their procedure rows."""
        forms = _forms(words)
        query_weight = sum(self._idf[token] * similarity for (token, _), similarity in words.items())
        name_match = self._name_matches(forms, bigrams, query_weight)
        explained = np.zeros(len(self._codes))
        for token, token_forms in forms.items():
            rows, masks = self._procedures[token]
            for tone, similarity in token_forms:
                explained[rows] += self._idf[token] * _factors(masks, [(tone, similarity)])
        base = (100 - CURATED_BONUS) * (name_match + W_QUERY * explained / query_weight)
        scores = np.where(name_match > 0, np.round(base + CURATED_BONUS * self._curated, 2), -1.0)
        found = np.flatnonzero(scores >= 0)
        # Best score first; ties go to curated procedures, then to the shorter (more general) name.
        order = np.lexsort((self._name_length[found], ~self._curated[found], -scores[found]))[:limit]
        rows = [int(row) for row in found[order]]
        return [Hit(self.catalogue.get(self._codes[row]), float(scores[row])) for row in rows], rows  # type: ignore[misc]

    def _name_matches(
        self, forms: dict[str, list[tuple[str | None, float]]], bigrams: set[tuple[str, str]], query_weight: float
    ) -> np.ndarray:
        """Per procedure, how fully its best name or alias is said in the query (words and word order).

        Only names sharing a word that is not common across the catalogue are candidates.
        """
        covered = np.zeros(len(self._name_weight))
        explained = np.zeros(len(self._name_weight))
        candidate = np.zeros(len(self._name_weight), dtype=bool)
        # Numbers alone ("1", "14") never make a name a candidate: "alert(1)" is no procedure.
        generators = {token for token in forms if not token.isdigit()}
        rare = {token for token in generators if token not in self._common} or generators
        for token, token_forms in forms.items():
            rows, masks = self._names[token]
            covered[rows] += self._idf[token] * _factors(masks, token_forms)
            for form in token_forms:
                explained[rows] += self._idf[token] * _factors(masks, [form])
            if token in rare:
                candidate[rows] = True
        in_order = np.zeros(len(self._name_weight))
        for bigram in bigrams:
            if (rows := self._bigrams.get(bigram)) is not None:
                in_order[rows] += 1
        coverage = covered / self._name_weight
        order = np.divide(in_order, self._name_bigrams, out=coverage.copy(), where=self._name_bigrams > 0)
        match = W_DOC * coverage + W_ORDER * order + W_QUERY_NAME * explained / query_weight
        match = np.where(candidate, match, 0.0)
        best = np.zeros(len(self._codes))
        np.maximum.at(best, self._name_procedure, match)
        return best


def choices(hits: list[Hit]) -> list[Hit]:
    """The candidates worth offering as buttons: those close to the best."""
    top = hits[0].score
    return [h for h in hits if top - h.score <= CHOICE_WINDOW][:MAX_CHOICES]


def score_status(hits: list[Hit]) -> MatchStatus:
    """The status the scores alone give (before the evidence check): a best score high enough, clear of the next."""
    if not hits or hits[0].score < MIN_SCORE:
        return MatchStatus.NONE
    if len(hits) > 1 and hits[0].score - hits[1].score < CLEAR_MARGIN:
        return MatchStatus.AMBIGUOUS
    return MatchStatus.CLEAR

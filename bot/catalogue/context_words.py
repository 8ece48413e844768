"""Words citizens use around a procedure's name rather than in it, learnt from the NLU training data.

In the hand-written examples, procedure names are annotated (`[đăng ký khai sinh](procedure)`); every
other word is context: question words, aspects, stories ("kết quả", "tình trạng", "đến", "photo",
"thì"). A word written outside names a third of the time or more says nothing about which procedure is
meant, so the search does not take it as evidence. Typed without diacritics, a word is context when its
forms together are ("thi" is "thì" far more often than "thi bằng lái").
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT
from bot.text.normalize import toned_tokens

PROCEDURE_ENTITY = "procedure"
HAND_WRITTEN_NLU = PROJECT_ROOT / "nlu_data" / "nlu"
MIN_OUTSIDE = 3  # a word seen outside names fewer times than this is not known to be context
OUTSIDE_SHARE = 1 / 3  # a word written outside names this often is no evidence on its own
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\((\w+)\)|(\{[^}]*\}))")
_ENTITY_NAME = re.compile(r'"entity"\s*:\s*"(\w+)"')
Toned = tuple[str, "str | None"]
Pair = tuple[str, str]


class ContextWords:
    """Per (folded word, tone), and per folded word over all its tones: how often it is written inside
    procedure names and outside them."""

    def __init__(
        self, inside: Counter[Toned], outside: Counter[Toned], pairs_inside: Counter[Pair], pairs_outside: Counter[Pair]
    ) -> None:
        self._pairs = {
            pair: (pairs_inside[pair], pairs_outside[pair]) for pair in pairs_inside.keys() | pairs_outside.keys()
        }
        self._toned = {key: (inside[key], outside[key]) for key in inside.keys() | outside.keys()}
        plain_inside: Counter[str] = Counter()
        plain_outside: Counter[str] = Counter()
        for (token, _), (inside_n, outside_n) in self._toned.items():
            plain_inside[token] += inside_n
            plain_outside[token] += outside_n
        self._plain = {token: (plain_inside[token], plain_outside[token]) for token in plain_inside}

    @classmethod
    def from_examples(cls, examples: Iterable[str]) -> ContextWords:
        inside: Counter[Toned] = Counter()
        outside: Counter[Toned] = Counter()
        pairs_inside: Counter[Pair] = Counter()
        pairs_outside: Counter[Pair] = Counter()
        for example in examples:
            rest, names = split_names(example)
            _count(toned_tokens(rest), outside, pairs_outside)
            for name in names:
                _count(toned_tokens(name), inside, pairs_inside)
        return cls(inside, outside, pairs_inside, pairs_outside)

    @classmethod
    def from_nlu_files(cls, paths: Iterable[Path]) -> ContextWords:
        return cls.from_examples(example for path in paths for example in _examples(path))

    def is_context(self, token: str, tone: str | None) -> bool:
        """Whether `token` typed with `tone` (None: without diacritics, any tone) is mostly a context word."""
        return _mostly_outside(
            self._plain.get(token, (0, 0)) if tone is None else self._toned.get((token, tone), (0, 0))
        )

    def is_context_pair(self, first: str, second: str) -> bool:
        """Whether two folded words said in this order are mostly said around names ("tình trạng" of a dossier)
        rather than in them ("sổ hồng", "sao y")."""
        return _mostly_outside(self._pairs.get((first, second), (0, 0)))

    def is_name_pair(self, first: str, second: str) -> bool:
        """Whether two folded words said in this order are known as part of a name ("sổ hồng"): written inside
        names in the examples, and not mostly around them. An unseen pair is not known to be a name."""
        inside, outside = self._pairs.get((first, second), (0, 0))
        return inside > 0 and not _mostly_outside((inside, outside))


def _mostly_outside(counts: tuple[int, int]) -> bool:
    inside, outside = counts
    return outside >= MIN_OUTSIDE and outside >= OUTSIDE_SHARE * (inside + outside)


def _count(tokens: list[Toned], words: Counter[Toned], pairs: Counter[Pair]) -> None:
    words.update(tokens)
    pairs.update((first, second) for (first, _), (second, _) in itertools.pairwise(tokens))


def split_names(example: str) -> tuple[str, list[str]]:
    """The example without its procedure annotations, and their words; other entities stay as context."""
    names: list[str] = []

    def take(match: re.Match[str]) -> str:
        entity = match.group(2) or next(iter(_ENTITY_NAME.findall(match.group(3) or "")), "")
        if entity != PROCEDURE_ENTITY:
            return match.group(1)
        names.append(match.group(1))
        return " "

    return _ANNOTATION.sub(take, example), names


def intent_examples(path: Path) -> list[tuple[str, str]]:
    """(intent, example text) of a Rasa NLU YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = [
        (str(block["intent"]), line.strip().removeprefix("- "))
        for block in data.get("nlu") or []
        if "intent" in block
        for line in str(block.get("examples") or "").splitlines()
    ]
    return [(intent, text) for intent, text in pairs if text]


def _examples(path: Path) -> list[str]:
    """The example texts of a Rasa NLU YAML file (intents only)."""
    return [text for _, text in intent_examples(path)]


@lru_cache(maxsize=1)
def project_context_words() -> ContextWords:
    """Context words of this project's hand-written NLU examples (generated variants would only repeat them)."""
    return ContextWords.from_nlu_files(sorted(HAND_WRITTEN_NLU.glob("*.yml")))

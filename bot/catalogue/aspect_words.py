"""Words that ask about an aspect ("lệ phí", "bao lâu", "ở đâu", "mẫu"…), learnt from the NLU examples.

A follow-up such as "còn xác nhận số cmnd cũ thì sao" names another procedure and no aspect; the NLU must
still pick an intent and may pick any aspect. Whether the message says an aspect at all is read here: a
word or pair of words outside procedure names whose hand-written examples are mostly of one aspect intent.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from functools import lru_cache

from bot.catalogue.answers import INTENT_ASPECTS, Aspect
from bot.catalogue.context_words import HAND_WRITTEN_NLU, intent_examples, project_context_words, split_names
from bot.text import search_tokens
from bot.text.sentences import question_sentence

MIN_COUNT = 3  # a word seen fewer times is not known to ask anything
MIN_SHARE = 0.6  # a word asks an aspect when this share of its examples ask one ("ở đâu": place or form)
MIN_TOP_SHARE = 0.5  # …and most of them ask the same one
ASKING = frozenset(intent for intent, aspect in INTENT_ASPECTS.items() if aspect is not Aspect.OVERVIEW)


def _features(text: str) -> set[str]:
    """Words and pairs of words said around procedure names, not in them ("hôn" of "kết hôn" is no "hơn")."""
    context = project_context_words()
    words = search_tokens(text)
    return {
        *(w for w in words if context.is_context(w, None)),
        *(f"{a} {b}" for a, b in itertools.pairwise(words) if context.is_context_pair(a, b)),
    }


class AspectWords:
    """Per word (and word pair) outside procedure names: how often each intent's examples use it."""

    def __init__(self, examples: list[tuple[str, str]]) -> None:
        counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for intent, example in examples:
            rest, _ = split_names(example)
            for feature in _features(rest):
                counts[feature][intent] += 1
        self._asking: dict[str, str] = {}  # feature → the aspect intent that uses it most
        for feature, by_intent in counts.items():
            asking = Counter({intent: n for intent, n in by_intent.items() if intent in ASKING})
            total = sum(by_intent.values())
            if total >= MIN_COUNT and asking.total() >= MIN_SHARE * total:
                intent, most = asking.most_common(1)[0]
                if most >= MIN_TOP_SHARE * total:  # not a filler every question uses ("thì")
                    self._asking[feature] = intent

    def asks_aspect(self, text: str) -> bool:
        """Whether the message says an aspect in words (not only by the intent the NLU had to pick)."""
        return self.asked_intent(text) is not None

    def asked_intent(self, text: str) -> str | None:
        """The aspect intent the message's words ask most ("alo ad lên đâu làm" → ask_agency), if any; in a
        story, the words of its question sentence (the story's own words ask nothing)."""
        asking = question_sentence(text) or text
        votes = Counter(self._asking[feature] for feature in _features(asking) if feature in self._asking)
        return votes.most_common(1)[0][0] if votes else None


@lru_cache(maxsize=1)
def project_aspect_words() -> AspectWords:
    return AspectWords([pair for path in sorted(HAND_WRITTEN_NLU.glob("*.yml")) for pair in intent_examples(path)])

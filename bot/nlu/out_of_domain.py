"""OutOfDomainGuard: a message in none of the words the assistant knows is not understood, whatever DIET says.

DIET always picks the nearest intent, so a keyboard mash, "??? blah", emoji, a URL or a sentence in another
language used to get a meaning (a goodbye, a question back). The guard learns the vocabulary of the training
data (examples and the catalogue's lookup tables, folded and abbreviation-expanded as the tokenizer reads
them) and marks a message whose words are mostly outside it as `nlu_fallback`, so the fallback rules apply:
help to rephrase, then staff on the second miss.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.dossiers.codes import CODE_IN_TEXT_PATTERN
from bot.nlu.stored import StoredComponent
from bot.text import search_tokens

FALLBACK_INTENT = "nlu_fallback"
MIN_KNOWN_SHARE = 0.5  # of a message's words; below it, the message is not in the assistant's language
_CODE = re.compile(CODE_IN_TEXT_PATTERN)
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


def words(text: str) -> list[str]:
    """The message's words as the vocabulary holds them (URLs and dossier codes are not words)."""
    return [token for token in search_tokens(_CODE.sub(" ", _URL.sub(" ", text))) if token.isalpha()]


def is_out_of_domain(text: str, vocabulary: set[str]) -> bool:
    """No known words, or mostly unknown ones; a dossier code always counts as in the domain."""
    if _CODE.search(text):
        return False
    said = words(text)
    known = sum(word in vocabulary for word in said)
    return not said or known < MIN_KNOWN_SHARE * len(said)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class OutOfDomainGuard(StoredComponent):
    """Marks messages outside the training vocabulary as not understood; its state is the vocabulary."""

    FILE = "vocabulary.json"

    def learn(self, training_data: TrainingData) -> set[str]:
        texts = [example.get(TEXT) or "" for example in training_data.intent_examples]
        texts += [element for table in training_data.lookup_tables for element in table.get("elements") or []]
        return {word for text in texts for word in words(str(text))}

    @staticmethod
    def dump(state: set[str], path: Path) -> None:
        path.write_text(json.dumps(sorted(state)), encoding="utf-8")

    @staticmethod
    def read(path: Path) -> set[str]:
        return set(json.loads(path.read_text(encoding="utf-8")))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/") or not is_out_of_domain(text, self.state):
                continue
            intent = {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.set(INTENT, intent, add_to_output=True)
        return messages

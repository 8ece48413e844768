"""VietnameseTokenizer: Rasa tokenizer over underthesea word segmentation, with folded token text.

Tokens carry the folded, abbreviation-expanded word ("Khai sinh", "khai sinh" and "KHAI SINH" all
become "khai_sinh"; "cccd" becomes "can_cuoc" "cong_dan"), so the featurizers see a message typed
without diacritics or with abbreviations the way they see its proper form. Offsets are those of the
original text, so entity annotations and extracted values keep the citizen's own words.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.text.segment import segment


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VietnameseTokenizer(Tokenizer):
    """Segments Vietnamese text into folded words with original offsets."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intent_tokenization_flag": False, "intent_split_symbol": "_", "token_pattern": None}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VietnameseTokenizer:
        return cls(config)

    @staticmethod
    def required_packages() -> list[str]:
        return ["underthesea"]

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute) or ""
        # Training examples carry entity annotations: words must not cross their edges.
        edges = [edge for entity in message.get("entities") or [] for edge in (entity["start"], entity["end"])]
        return [Token(word.text, word.start, end=word.end) for word in segment(text, edges)]

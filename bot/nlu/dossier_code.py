"""DossierCodeIntent: a message holding a dossier code asks about that dossier, whatever else it says.

"à em gõ nhầm, mã đúng là 000.00.31.H29-241105-0012" or a code pasted after a failed lookup used to be read
as a procedure question. A dossier code has a shape nothing else has (bot/dossiers/codes.py), so its
presence decides the intent.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.dossiers.codes import CODE_IN_TEXT_PATTERN
from bot.nlu.stored import RuleComponent

DOSSIER_INTENT = "check_dossier_status"
_CODE = re.compile(CODE_IN_TEXT_PATTERN, re.IGNORECASE)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DossierCodeIntent(RuleComponent):
    """Sets `check_dossier_status` on messages that contain a dossier code."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.startswith("/") and _CODE.search(text):
                intent = {INTENT_NAME_KEY: DOSSIER_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, intent, add_to_output=True)
        return messages

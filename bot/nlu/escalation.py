"""EscalationGuard: a message read as a complaint hands the conversation to staff only when that is sure.

A complaint hands off at once, costly for the citizen (a queue, office hours) and for staff, and DIET reads
questions with a negative word as unsure complaints: "cần bổ sung gì" (0.62), "à còn nếu nghỉ hẳn không buôn
bán nữa thì sao" (0.53), while real complaints read at 0.99 and more. When the readings that escalate
(complaint and request for staff together: "chán quá, cho tôi gặp người" is split between them) weigh less
than ESCALATION_CONFIDENCE, the best reading that does not escalate takes the complaint's place, and the
fallback threshold after this component decides whether even that is understood. A request for staff is
left alone: asked in teencode ("có ng thật ko") it reads no surer than a question about a proxy does.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.question_sentence import ESCALATIONS
from bot.nlu.stored import RuleComponent

ESCALATION_CONFIDENCE = 0.8
COMPLAINT = "complain"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class EscalationGuard(RuleComponent):
    """Replaces an unsure complaint by the best reading that does not escalate."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT) or ""
            if text.startswith("/") or intent.get(INTENT_NAME_KEY) != COMPLAINT:
                continue
            ranking = message.get(INTENT_RANKING_KEY) or [intent]
            escalating = sum(r[PREDICTED_CONFIDENCE_KEY] for r in ranking if r[INTENT_NAME_KEY] in ESCALATIONS)
            others = [r for r in ranking if r[INTENT_NAME_KEY] not in ESCALATIONS]
            if escalating < ESCALATION_CONFIDENCE and others:  # "bot ngu wá, cho gặp ng đi" is sure in sum
                message.set(INTENT, others[0], add_to_output=True)
        return messages

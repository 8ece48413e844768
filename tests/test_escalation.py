"""An unsure complaint gives way to the next reading that does not escalate (bot/nlu/escalation.py)."""

from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.escalation import EscalationGuard


def _message(text: str, *ranking: tuple[str, float]) -> Message:
    ranked = [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: p} for name, p in ranking]
    return Message({TEXT: text, INTENT: ranked[0], INTENT_RANKING_KEY: ranked})


def test_only_a_sure_escalation_stays_one():
    unsure = _message("cần bổ sung gì", ("complain", 0.62), ("request_human", 0.14), ("ask_documents", 0.13))
    sure = _message("thái độ nhân viên quá tệ", ("complain", 0.99), ("thank", 0.0))
    asked = _message("ad ơi có ng thật ko", ("request_human", 0.78), ("bot_challenge", 0.2))
    button = _message("/request_human", ("request_human", 0.5), ("greet", 0.1))
    split = _message("bot ngu wá, cho gặp ng đi", ("complain", 0.5), ("request_human", 0.4), ("greet", 0.1))
    EscalationGuard().process([unsure, sure, asked, button, split])
    assert split.get(INTENT)[INTENT_NAME_KEY] == "complain"  # escalating, in sum
    assert unsure.get(INTENT) == {INTENT_NAME_KEY: "ask_documents", PREDICTED_CONFIDENCE_KEY: 0.13}
    assert sure.get(INTENT)[INTENT_NAME_KEY] == "complain"
    assert asked.get(INTENT)[INTENT_NAME_KEY] == "request_human"
    assert button.get(INTENT)[INTENT_NAME_KEY] == "request_human"

"""The question sentence of a story decides its intent (bot/nlu/question_sentence.py), trained and stored as
Rasa trains and loads it."""

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.question_sentence import QuestionSentenceIntent

EXAMPLES = {
    "ask_fee": ["lệ phí bao nhiêu", "phí làm hộ chiếu bao nhiêu", "hết bao nhiêu tiền", "mất phí không"],
    "ask_documents": ["cần giấy tờ gì", "hồ sơ gồm những gì", "phải chuẩn bị giấy tờ nào", "mang theo gì"],
    "complain": ["cán bộ làm chậm quá", "tôi rất bức xúc", "sao bắt dân đi lại nhiều vậy", "phục vụ quá tệ"],
}


def _message(text: str, diet_intent: str) -> Message:
    return Message({TEXT: text, INTENT: {INTENT_NAME_KEY: diet_intent, "confidence": 0.7}})


def _trained_and_loaded(tmp_path) -> QuestionSentenceIntent:
    storage, resource = LocalModelStorage(tmp_path), Resource("question_sentence")
    context = ExecutionContext(GraphSchema({}), "test")
    data = TrainingData([Message({TEXT: t, INTENT: i}) for i, texts in EXAMPLES.items() for t in texts])
    QuestionSentenceIntent.create({}, storage, resource, context).train(data)
    return QuestionSentenceIntent.load({}, storage, resource, context)


def test_the_question_sentence_of_a_story_decides_the_intent(tmp_path):
    component = _trained_and_loaded(tmp_path)
    story = _message("Tôi rất bức xúc vì phải đi lại nhiều lần. Cho hỏi làm hộ chiếu lệ phí bao nhiêu?", "complain")
    component.process([story])
    assert story.get(INTENT)[INTENT_NAME_KEY] == "ask_fee"
    assert story.get(INTENT_RANKING_KEY)[0][INTENT_NAME_KEY] == "ask_fee"


def test_a_message_of_one_sentence_keeps_the_classifiers_intent(tmp_path):
    component = _trained_and_loaded(tmp_path)
    short = _message("lệ phí bao nhiêu", "ask_documents")
    command = _message("/request_human", "request_human")
    component.process([short, command])
    assert short.get(INTENT)[INTENT_NAME_KEY] == "ask_documents"
    assert command.get(INTENT)[INTENT_NAME_KEY] == "request_human"


def test_one_sentence_alone_never_turns_a_message_into_a_complaint(tmp_path):
    component = _trained_and_loaded(tmp_path)
    thanks = _message("Cảm ơn em nhiều nhé. Sao bắt dân đi lại nhiều vậy", "thank")
    agreed = _message("Tôi đi lại ba lần rồi. Sao bắt dân đi lại nhiều vậy", "complain")
    component.process([thanks, agreed])
    assert thanks.get(INTENT)[INTENT_NAME_KEY] == "thank"  # DIET's reading stays: no escalation on one sentence
    assert agreed.get(INTENT)[INTENT_NAME_KEY] == "complain"

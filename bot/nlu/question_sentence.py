"""QuestionSentenceIntent: in a message of several sentences, the sentence that asks decides the intent.

Citizens tell a story first (who they are, what happened, what they tried) and ask last. DIET reads the whole
message, and the story's words pull it towards a neighbouring intent: "…Vợ tôi cũng muốn đi… Để làm hộ chiếu
lần đầu thì tôi phải chuẩn bị những giấy tờ gì?" read as a checklist request, a fee question or a complaint
(accuracy 0.79 on long messages against 0.90 on short ones). This component learns the intents of the
training examples — short messages, as question sentences are — with a linear model over word and character
n-grams of the folded, abbreviation-expanded text, and reads the question sentence (bot/text/sentences.py)
alone. When it is confident, its reading replaces DIET's — except that it never turns a message into a
complaint or a request for staff on its own; entities still come from the whole message.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from bot.nlu.stored import StoredComponent
from bot.text import search_tokens
from bot.text.sentences import question_sentence

MIN_CONFIDENCE = 0.5  # the question sentence's intent replaces DIET's only with at least this probability
# Intents that hand the conversation to staff: one sentence alone ("Vậy mai anh lên phường nộp nhé" after
# thanks) never escalates a message DIET reads otherwise; both readings must agree.
ESCALATIONS = frozenset({"complain", "request_human"})
RANKING_LENGTH = 10


def normalized(text: str) -> str:
    """The text as the classifier reads it: folded, abbreviations expanded, one space between words."""
    return " ".join(search_tokens(text))


def sentence_classifier() -> Pipeline:
    """Word uni- and bigrams plus character 2–4-grams (typos, missing tones), TF-IDF, logistic regression."""
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    characters = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, max_features=20000)
    return make_pipeline(make_union(words, characters), LogisticRegression(C=10, max_iter=2000))


def ranking(classifier: Pipeline, text: str) -> list[dict[str, float | str]]:
    """The intents of `text`, most probable first, as Rasa's intent ranking."""
    probabilities = classifier.predict_proba([normalized(text)])[0]
    ranked = sorted(zip(classifier.classes_, probabilities, strict=True), key=lambda pair: -pair[1])
    return [{INTENT_NAME_KEY: str(name), PREDICTED_CONFIDENCE_KEY: float(p)} for name, p in ranked[:RANKING_LENGTH]]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class QuestionSentenceIntent(StoredComponent):
    """Reads the question sentence of a long message; its state is the trained sentence classifier."""

    FILE = "classifier.pkl"

    def learn(self, training_data: TrainingData) -> Pipeline:
        examples = [example for example in training_data.intent_examples if example.get(INTENT)]
        classifier = sentence_classifier()
        classifier.fit([normalized(example.get(TEXT) or "") for example in examples], [e.get(INTENT) for e in examples])
        return classifier

    @staticmethod
    def dump(state: Pipeline, path: Path) -> None:
        path.write_bytes(pickle.dumps(state))

    @staticmethod
    def read(path: Path) -> Pipeline:
        return pickle.loads(path.read_bytes())  # our own file, written into the model by train()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            asking = None if text.startswith("/") else question_sentence(text)
            if asking is None:
                continue
            ranked = ranking(self.state, asking)
            whole = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            escalates = ranked[0][INTENT_NAME_KEY] in ESCALATIONS and whole not in ESCALATIONS
            if ranked[0][PREDICTED_CONFIDENCE_KEY] >= MIN_CONFIDENCE and not escalates:
                message.set(INTENT, ranked[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranked, add_to_output=True)
        return messages

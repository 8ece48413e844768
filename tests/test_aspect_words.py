"""Words that ask an aspect, learnt from the hand-written NLU examples (bot/catalogue/aspect_words.py)."""

import pytest

from bot.catalogue.aspect_words import project_aspect_words


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("alo ad lên đâu làm z ad", "ask_agency"),
        ("hello ad, phí bao nhiêu vậy", "ask_fee"),
        ("chào em, mất mấy ngày thì xong", "ask_processing_time"),
        ("chào em", None),
        ("còn xác nhận số cmnd cũ thì sao", None),
        ("thế còn đăng ký kết hôn?", None),  # "hôn" of a name is no "hơn"
    ],
)
def test_the_aspect_a_message_asks_in_words(text, intent):
    assert project_aspect_words().asked_intent(text) == intent

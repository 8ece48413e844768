"""VietnameseTokenizer: folded words with original offsets, the same for every typing style."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.tokenizer import VietnameseTokenizer
from bot.text import fold
from bot.text.segment import segment


def _tokens(text: str) -> list[str]:
    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    return [t.text for t in tokenizer.tokenize(Message(data={"text": text}), "text")]


def test_words_are_segmented_and_folded():
    assert _tokens("Cho em hỏi làm giấy khai sinh cần giấy tờ gì ạ") == [
        "cho", "em", "hoi", "lam", "giay", "khai_sinh", "can", "giay_to", "gi", "a",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "typed",
    ["Đăng ký thường trú ở đâu", "dang ky thuong tru o dau", "ĐĂNG KÝ THƯỜNG TRÚ Ở ĐÂU", "đk thường trú ở đâu"],
)
def test_typing_styles_give_the_same_procedure_words(typed):
    assert _tokens(typed)[:2] == ["dang_ky", "thuong_tru"]


def test_abbreviations_expand_into_the_words_they_stand_for():
    assert _tokens("làm CCCD ko đc") == ["lam", "can_cuoc", "cong_dan", "khong", "duoc"]
    assert _tokens("làm căn cước công dân không được") == ["lam", "can_cuoc", "cong_dan", "khong", "duoc"]


def test_offsets_point_at_the_citizens_own_words():
    text = "Tra cứu hồ sơ 000.00.31.H29-241105-0012 giúp em"
    words = segment(text)
    assert [fold(text[w.start : w.end]).replace(" ", "_") for w in words] == [w.text for w in words]
    assert "000.00.31.H29-241105-0012" in [text[w.start : w.end] for w in words]


@pytest.mark.parametrize("text", ["", "   ", "🙏🙏🙏", "<b>?</b>", "a" * 10000])
def test_odd_input_never_breaks_the_tokenizer(text):
    assert isinstance(_tokens(text), list)

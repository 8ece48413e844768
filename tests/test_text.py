"""Vietnamese normalisation: NFC, tone placement, folding, abbreviations."""

import unicodedata

import pytest

from bot.text import expand_abbreviations, fold, nfc, normalize_tones, search_tokens


def test_nfc_composes_decomposed_input_and_collapses_spaces():
    decomposed = unicodedata.normalize("NFD", "Đăng  ký\tkhai sinh ")
    assert nfc(decomposed) == "Đăng ký khai sinh"
    assert len(nfc(decomposed)) == len("Đăng ký khai sinh")


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("hoà", "hòa"),
        ("Thuỷ", "Thủy"),
        ("hoá đơn", "hóa đơn"),
        ("quý", "quý"),
        ("giữa", "giữa"),
        ("gì", "gì"),
        ("người", "người"),
        ("hoàng", "hoàng"),
        ("thuyền", "thuyền"),
        ("ngoài", "ngoài"),
        ("khuỷu", "khuỷu"),
        ("mía", "mía"),
        ("Hòa Bình", "Hòa Bình"),
    ],
)
def test_tone_marks_are_placed_by_the_traditional_rules(typed, canonical):
    assert normalize_tones(typed) == unicodedata.normalize("NFC", canonical)


def test_tone_placement_leaves_words_without_tones_and_non_letters_alone():
    assert normalize_tones("CT01, 1.001193 & khai sinh!") == "CT01, 1.001193 & khai sinh!"


def test_fold_strips_every_diacritic_including_d_bar():
    assert fold("ĐĂNG KÝ Thường Trú, đổi GPLX") == "dang ky thuong tru, doi gplx"


def test_expand_abbreviations_handles_documents_and_chat_shorthand():
    assert expand_abbreviations(["lam", "cccd", "ko", "dc"]) == ["lam", "can", "cuoc", "cong", "dan", "khong", "duoc"]
    assert expand_abbreviations(["thui", "xog", "lun"]) == ["thoi", "xong", "luon"]
    assert expand_abbreviations(["ctcp"]) == ["cong", "ty", "co", "phan"]


def test_search_tokens_make_typed_variants_equal():
    proper = search_tokens("Làm căn cước công dân được không?")
    assert search_tokens("lam can cuoc cong dan dc ko") == proper
    assert search_tokens("LÀM CCCD ĐƯỢC KHÔNG") == proper
    assert search_tokens("đkkd") == search_tokens("dkkd") == ["dang", "ky", "kinh", "doanh"]


def test_search_tokens_keep_procedure_codes_whole():
    assert "1.001193" in search_tokens("mã thủ tục 1.001193 là gì")


def test_sentences_keep_short_pieces_with_what_follows():
    from bot.text.sentences import question_sentence, sentences

    story = "Dạ. Con em mới sinh hôm qua ở bệnh viện. Giờ làm giấy khai sinh ở đâu ạ? Cảm ơn!"
    assert sentences(story) == [
        "Dạ. Con em mới sinh hôm qua ở bệnh viện.",
        "Giờ làm giấy khai sinh ở đâu ạ? Cảm ơn!",
    ]
    assert question_sentence(story) == "Giờ làm giấy khai sinh ở đâu ạ? Cảm ơn!"
    assert question_sentence("làm giấy khai sinh ở đâu") is None


def test_context_words_are_learnt_from_annotated_examples():
    from bot.catalogue.context_words import ContextWords

    examples = [
        "hồ sơ [đăng ký kết hôn](procedure) của tôi có kết quả chưa",
        "bao giờ có kết quả",
        "khi nào có kết quả vậy",
        'làm [thi bằng lái]{"entity": "procedure"} thì sao',
        "thì sao",
        "vậy thì thôi",
    ]
    words = ContextWords.from_examples(examples)
    assert words.is_context("qua", "\u0309") and not words.is_context("hon", "")
    assert words.is_context("thi", None)  # typed without diacritics: "thì" is what people mostly mean
    assert not words.is_context("thi", "")  # "thi" as written in the name
    assert words.is_context_pair("ket", "qua") and not words.is_context_pair("ket", "hon")

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


def test_search_tokens_make_typed_variants_equal():
    proper = search_tokens("Làm căn cước công dân được không?")
    assert search_tokens("lam can cuoc cong dan dc ko") == proper
    assert search_tokens("LÀM CCCD ĐƯỢC KHÔNG") == proper
    assert search_tokens("đkkd") == search_tokens("dkkd") == ["dang", "ky", "kinh", "doanh"]


def test_search_tokens_keep_procedure_codes_whole():
    assert "1.001193" in search_tokens("mã thủ tục 1.001193 là gì")

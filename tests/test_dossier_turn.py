"""Reading a dossier code from the citizen's words, and the four phone digits sent beside it."""

from bot.dialogue.dossier_turn import code_from, phone_last4


def test_a_messy_code_is_normalised():
    assert code_from("mã của em là 000.00.31.h29 - 241105 - 12 ạ")[0] == "000.00.31.H29-241105-0012"


def test_a_malformed_code_gets_an_explanation_not_a_lookup():
    code, replies = code_from("000.00.31.H29-241399-0012")
    assert code is None
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in replies[0].text


def test_no_code_at_all_asks_for_one():
    code, replies = code_from("hồ sơ của tôi đâu")
    assert code is None and "mã hồ sơ" in replies[0].text


def test_phone_digits_beside_the_code_but_not_inside_it():
    assert phone_last4("000.00.31.H29-241105-0012 4567") == "4567"
    assert phone_last4("000.00.31.H29-241105-0012") is None

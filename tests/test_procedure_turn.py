"""What the bot answers in a turn about a procedure, independent of Rasa."""

import pytest

from actions.procedures import last_bot_payloads
from bot.dialogue.procedure_turn import ProcedureTurn, answer_turn, offered_codes


def test_a_question_with_a_procedure_answers_its_aspect_and_remembers_it(services):
    outcome = answer_turn(services, ProcedureTurn("ask_fee", "lệ phí làm hộ chiếu bao nhiêu"))
    assert outcome.procedure_code == "1.001456"
    assert outcome.last_aspect == "fee"
    assert "Phí, lệ phí" in outcome.replies[0].text


def test_a_follow_up_without_a_procedure_uses_the_remembered_one(services):
    turn = ProcedureTurn("ask_processing_time", "còn mất bao lâu thì sao", current_code="1.001456")
    outcome = answer_turn(services, turn)
    assert outcome.procedure_code == "1.001456"
    assert "Thời hạn giải quyết" in outcome.replies[0].text


def test_a_follow_up_whose_words_score_high_elsewhere_stays_with_the_remembered_procedure(services):
    # "vay" (typed for "vậy") once matched "vay" in another name clearly enough to switch procedures.
    turn = ProcedureTurn("ask_fee", "phi bao nhieu vay", current_code="1.001456")
    outcome = answer_turn(services, turn)
    assert outcome.procedure_code == "1.001456"
    assert "Phí, lệ phí" in outcome.replies[0].text


def test_naming_another_procedure_switches_and_keeps_the_aspect(services):
    turn = ProcedureTurn("inform", "thế còn đăng ký kết hôn", current_code="1.001456", last_aspect="fee")
    outcome = answer_turn(services, turn)
    assert outcome.procedure_code == "1.000894"
    assert "Phí, lệ phí" in outcome.replies[0].text


def test_an_aspect_question_without_any_procedure_asks_which(services):
    outcome = answer_turn(services, ProcedureTurn("ask_fee", "lệ phí bao nhiêu vậy ad"))
    assert outcome.procedure_code is None
    assert outcome.pending_aspect == "fee"
    assert "thủ tục nào" in outcome.replies[0].text
    answered = answer_turn(services, ProcedureTurn("inform", "khai sinh", pending_aspect="fee"))
    assert answered.procedure_code == "1.001193"
    assert "Phí, lệ phí" in answered.replies[0].text
    assert answered.pending_aspect is None


def test_an_ambiguous_name_is_asked_with_buttons_that_carry_the_aspect(services):
    outcome = answer_turn(services, ProcedureTurn("ask_documents", "thành lập công ty tnhh cần gì"))
    payloads = [b.payload for b in outcome.replies[0].buttons]
    assert len(payloads) >= 2
    assert all(p.startswith("/ask_documents{") for p in payloads)
    assert any("2.001583" in p for p in payloads) and any("2.001199" in p for p in payloads)


def test_a_button_code_wins(services):
    turn = ProcedureTurn("ask_steps", "/ask_steps", button_code="2.001199", current_code="1.001193")
    assert answer_turn(services, turn).procedure_code == "2.001199"


def test_an_unknown_procedure_is_said_plainly_with_a_way_out(services):
    outcome = answer_turn(
        services, ProcedureTurn("inform", "thủ tục nuôi cá sấu cảnh", procedure_mentions=["nuôi cá sấu cảnh"])
    )
    assert "chưa tìm thấy" in outcome.replies[0].text
    assert any(b.payload == "/request_human" for b in outcome.replies[0].buttons)


@pytest.mark.parametrize(
    "text", ["thế còn đăng ký tạm trú thì sao", "vậy đăng ký tạm trú thì sao ạ", "ad oi the con dang ky tam tru? ad"]
)
def test_a_continuation_keeps_the_aspect_even_when_read_as_a_general_question(services, text):
    turn = ProcedureTurn("ask_procedure", text, current_code="1.004222", last_aspect="documents")
    outcome = answer_turn(services, turn)
    assert outcome.procedure_code == "1.004194"
    assert "Hồ sơ gồm" in outcome.replies[0].text


@pytest.mark.parametrize(
    ("intent", "text", "aspect"),
    [
        ("ask_documents", "còn xác nhận số cmnd cũ thì sao", "agency"),  # no aspect said: the last one goes on
        ("ask_steps", "thế còn đăng ký kết hôn?", "agency"),
        ("ask_fee", "còn đăng ký kết hôn thì lệ phí bao nhiêu", "fee"),  # an aspect said: it wins
        ("ask_processing_time", "còn làm hộ chiếu thì mất bao lâu", "time"),
    ],
)
def test_a_continuation_takes_the_aspect_it_says_else_the_last_one(services, intent, text, aspect):
    outcome = answer_turn(services, ProcedureTurn(intent, text, current_code="1.013855", last_aspect="agency"))
    assert outcome.last_aspect == aspect


def test_weak_evidence_for_another_procedure_asks_with_the_remembered_one_first(services):
    # "công ty" fits several company procedures, none clearly; the conversation is about passports
    turn = ProcedureTurn("ask_documents", "mở công ty cần giấy tờ gì", current_code="1.001456")
    outcome = answer_turn(services, turn)
    assert "thủ tục nào" in outcome.replies[0].text
    payloads = [button.payload for button in outcome.replies[0].buttons]
    assert "1.001456" in payloads[0] and len(payloads) > 1
    assert outcome.procedure_code == "1.001456" and outcome.pending_aspect == "documents"


def test_weak_evidence_agreeing_with_the_remembered_procedure_answers_it(services):
    turn = ProcedureTurn("ask_fee", "phí cấp lại bao nhiêu", current_code="1.014064")
    outcome = answer_turn(services, turn)
    assert outcome.procedure_code == "1.014064" and "Phí, lệ phí" in outcome.replies[0].text


def test_a_one_word_mention_the_resolver_does_not_confirm_selects_nothing(services):
    turn = ProcedureTurn("ask_fee", "lại hết bao nhiêu tiền", procedure_mentions=["lại"], current_code="1.004194")
    outcome = answer_turn(services, turn)
    assert outcome.procedure_code == "1.004194"


def test_a_procedure_named_without_an_aspect_gets_its_overview_not_the_last_aspect(services):
    turn = ProcedureTurn("ask_procedure", "lam cccd cho con 14 tuoi", current_code="1.001456", last_aspect="fee")
    outcome = answer_turn(services, turn)
    assert outcome.procedure_code == "1.014061" and outcome.last_aspect == "overview"


def test_a_follow_up_naming_nothing_while_our_question_is_open_gets_the_same_options(services):
    asked = answer_turn(services, ProcedureTurn("ask_documents", "đăng ký khai sinh nước ngoài hay bình thường"))
    codes = offered_codes([button.payload for button in asked.replies[-1].buttons])
    assert len(codes) >= 2 and asked.procedure_code is None
    again = answer_turn(services, ProcedureTurn("ask_fee", "lệ phí bao nhiêu", offered_codes=codes))
    assert offered_codes([button.payload for button in again.replies[-1].buttons]) == codes
    assert all(button.payload.startswith("/ask_fee") for button in again.replies[-1].buttons)
    assert again.pending_aspect == "fee" and again.procedure_code is None
    fresh = answer_turn(services, ProcedureTurn("ask_fee", "lệ phí bao nhiêu"))
    assert not fresh.replies[-1].buttons  # nothing was offered: the question names no options


def _bot(text: str, *codes: str) -> dict:
    buttons = [{"title": code, "payload": f'/ask_documents{{"procedure_code": "{code}"}}'} for code in codes]
    return {"event": "bot", "text": text, "data": {"buttons": buttons}}


def test_the_bot_s_last_turn_is_read_from_the_tracker_s_events():
    events = [
        {"event": "user", "text": "làm khai sinh"},
        _bot("Thủ tục nào ạ?", "1.001193"),
        {"event": "user", "text": "khai sinh nước ngoài hay thường"},
        _bot("Dạ, anh/chị muốn hỏi thủ tục nào ạ?", "2.000528", "1.001193"),
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "lệ phí bao nhiêu"},
    ]
    assert offered_codes(last_bot_payloads(events)) == ["2.000528", "1.001193"]
    assert last_bot_payloads(events[:1]) == []


def test_a_single_procedure_button_is_no_open_question(services):
    """The greeting's example button ("Làm giấy khai sinh") offers no choice: a later question asks plainly."""
    greeting = [_bot("Dạ, em chào anh/chị!", "1.001193")["data"]["buttons"][0]["payload"], "/request_human"]
    assert offered_codes(greeting) == []
    assert offered_codes(['/ask_fee{"procedure_code": "1.001193"', "/ask_fee{not json}"]) == []

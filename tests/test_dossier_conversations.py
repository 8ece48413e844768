"""Dossier status through the trained model: code first, code asked for, malformed, unknown, late,
supplements, giving up, and the per-conversation lookup limit."""

import pytest

from bot.dossiers.model import Status
from bot.dossiers.privacy import mask_name
from bot.dossiers.workdays import today_in_vietnam
from tests.conftest import LOOKUPS_PER_HOUR

pytestmark = pytest.mark.e2e


def _pick(dossiers, predicate):
    return next(d for d in dossiers if predicate(d))


@pytest.fixture
def dossiers(sample_dossiers):
    return sample_dossiers[1]


def test_code_in_the_first_message(chat, dossiers):
    dossier = _pick(dossiers, lambda d: d.status == Status.PROCESSING and not d.is_late(today_in_vietnam()))
    text = chat.say(f"tra cứu giúp tôi hồ sơ {dossier.code}")
    assert dossier.procedure.name in text
    assert mask_name(dossier.applicant.full_name) in text
    assert dossier.applicant.full_name not in text
    assert dossier.applicant.phone[-4:] not in text


def test_code_asked_for_then_given_in_messy_form(chat, dossiers):
    dossier = _pick(dossiers, lambda d: d.code.startswith("000.00.31.H29"))
    assert "mã hồ sơ" in chat.say("hồ sơ của tôi tới đâu rồi")
    messy = dossier.code.lower().replace("-", " - ")
    assert dossier.procedure.name in chat.say(messy)


def test_malformed_code_explains_what_a_code_looks_like(chat):
    chat.say("cho em tra cứu hồ sơ")
    text = chat.say("000.00.31.H29-241345-0012")
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in text
    assert "ngày có thật" in text


def test_unknown_code_is_said_plainly_with_staff_offered(chat):
    text = chat.say("tra cứu hồ sơ 000.00.31.H29-240101-9999")
    assert "chưa tìm thấy" in text
    assert any(b["payload"] == "/request_human" for b in chat.buttons)


def test_late_dossier_apologises_and_offers_staff(chat, dossiers):
    late = _pick(dossiers, lambda d: d.is_late(today_in_vietnam()))
    text = chat.say(f"kiểm tra hồ sơ {late.code} giúp em")
    assert "xin lỗi" in text.lower()
    assert "văn bản xin lỗi" in text
    assert any(b["payload"] == "/request_human" for b in chat.buttons)
    chat.say("/request_human")
    handoff = next(r["custom"]["handoff"] for r in chat.replies if "handoff" in r.get("custom", {}))
    assert handoff["reason"] == "dossier" and handoff["dossier_code"] == late.code


def test_supplement_needed_lists_what_to_bring(chat, dossiers):
    waiting = _pick(dossiers, lambda d: d.status == Status.AWAITING_SUPPLEMENT and d.supplements)
    text = chat.say(f"ho so {waiting.code} sao roi ad")
    assert waiting.supplements[0] in text


def test_giving_up_while_asked_for_the_code(chat):
    chat.say("tôi muốn tra cứu tình trạng hồ sơ")
    assert "dừng tra cứu" in chat.say("/deny")
    assert "(mã 1.001193)" in chat.say("làm giấy khai sinh cần gì")


def test_lookups_per_conversation_are_limited(chat, dossiers):
    for dossier in dossiers[:LOOKUPS_PER_HOUR]:
        assert "nhiều lần" not in chat.say(f"tra cứu hồ sơ {dossier.code}")
    assert "nhiều lần" in chat.say(f"tra cứu hồ sơ {dossiers[LOOKUPS_PER_HOUR].code}")


def test_follow_ups_are_answered_from_the_dossier_just_shown(chat, dossiers):
    ready = _pick(dossiers, lambda d: d.status == Status.RESULT_READY)
    assert ready.procedure.name in chat.say(f"tra cứu hồ sơ {ready.code}")
    text = chat.say("vậy lên đâu lấy kết quả")
    assert ready.code in text and (ready.pickup_place or ready.office) in text
    assert "mã hồ sơ có dạng" not in text.lower()
    assert ready.code in chat.say("bao giờ thì xong vậy")  # still that dossier
    assert ready.code in chat.say("hồ sơ của tôi đến đâu rồi")  # no code: the one just shown


def test_a_procedure_question_after_a_dossier_is_about_its_procedure(chat, dossiers):
    dossier = _pick(dossiers, lambda d: d.status == Status.PROCESSING)
    chat.say(f"kiểm tra hồ sơ {dossier.code}")
    assert f"(mã {dossier.procedure.code})" in chat.say("lệ phí thủ tục này bao nhiêu")


def test_a_corrected_code_inside_a_sentence_is_looked_up(chat, dossiers):
    dossier = _pick(dossiers, lambda d: d.status == Status.PROCESSING)
    assert "chưa tìm thấy" in chat.say("tra cứu hồ sơ 000.00.31.H29-240101-9999")
    text = chat.say(f"à em gõ nhầm, mã đúng là {dossier.code} nha")
    assert dossier.procedure.name in text and dossier.code in text


def test_goodbye_at_the_code_prompt_gives_one_reply(chat):
    assert "mã hồ sơ" in chat.say("cho em tra cứu hồ sơ")
    texts = [reply.get("text", "") for reply in chat.send("thôi")]
    assert len([t for t in texts if t]) == 1 and "dừng tra cứu" in texts[0]
    assert not any("offer_rating" in reply.get("custom", {}) for reply in chat.replies)


def test_a_message_not_understood_about_the_dossier_just_shown_gets_its_record_then_staff(chat, dossiers):
    rejected = _pick(dossiers, lambda d: d.status == Status.REJECTED)
    chat.say(f"tra cứu hồ sơ {rejected.code}")
    text = chat.say("xyz qwrt zzkk")
    assert "chưa hiểu rõ ý anh/chị" in text and rejected.code in text
    assert "chuyển anh/chị sang cán bộ" in chat.say("ppqq vvkk")  # the second miss in a row reaches staff


def test_a_complaint_about_the_dossier_just_shown_restates_it_and_reaches_staff(chat, dossiers):
    late = _pick(dossiers, lambda d: d.is_late(today_in_vietnam()))
    chat.say(f"tra cứu hồ sơ {late.code}")
    text = chat.say("sao trễ vậy, làm ăn kiểu gì vậy")
    assert "xin lỗi" in text and late.code in text and "văn bản xin lỗi" in text
    assert any("handoff" in reply.get("custom", {}) for reply in chat.replies)


def test_checking_a_dossier_without_its_code_leads_to_the_lookup(chat, dossiers):
    dossier = _pick(dossiers, lambda d: d.status == Status.PROCESSING)
    assert "mã hồ sơ" in chat.say("kiem tra ho so giup toi")
    text = chat.say(dossier.code)
    assert dossier.code in text and dossier.procedure.name in text

"""End-to-end conversations against the trained model, through Rasa's REST channel and the action server."""

import pytest

from tests.conftest import Chat

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("first", "message", "code", "shown"),
    [
        (None, "chào ad. ad cho em hỏi làm hộ chiếu ở đâu", "1.001456", "Nơi tiếp nhận"),
        ("làm hộ chiếu cần giấy tờ gì", "alo ad lên đâu làm z ad", "1.001456", "Nơi tiếp nhận"),
    ],
)
def test_a_greeting_that_comes_with_a_question_gets_the_answer(chat, first, message, code, shown):
    if first:
        chat.say(first)
    text = chat.say(message)
    assert f"(mã {code})" in text and shown in text


def test_greeting_offers_what_the_bot_can_do(chat):
    text = chat.say("xin chào")
    assert "trợ lý" in text
    assert any(b["payload"] == "/request_human" for b in chat.buttons)


def test_documents_question_without_diacritics(chat):
    text = chat.say("cho em hoi lam giay khai sinh can giay to gi a")
    assert "(mã 1.001193)" in text
    assert "Giấy chứng sinh" in text


def test_fee_then_time_of_the_same_procedure(chat):
    assert "(mã 1.004222)" in chat.say("lệ phí đăng ký thường trú bao nhiêu")
    text = chat.say("còn bao lâu thì có vậy")
    assert "(mã 1.004222)" in text
    assert "Thời hạn giải quyết" in text


def test_switching_procedure_keeps_the_question(chat):
    chat.say("đăng ký thường trú cần những giấy tờ gì")
    text = chat.say("thế còn đăng ký tạm trú thì sao")
    assert "(mã 1.004194)" in text
    assert "Hồ sơ gồm" in text


def test_ambiguous_name_asks_with_buttons_and_a_click_answers(chat):
    text = chat.say("thủ tục thành lập công ty tnhh cần giấy tờ gì")
    assert "thủ tục nào" in text
    choice = next(b for b in chat.buttons if "2.001199" in b["payload"])
    assert "(mã 2.001199)" in chat.say(choice["payload"])


def test_a_follow_up_while_our_question_is_open_gets_the_same_options(chat):
    assert "thủ tục nào" in chat.say("thủ tục thành lập công ty tnhh cần giấy tờ gì")
    offered = {b["payload"].split("{")[1] for b in chat.buttons}
    text = chat.say("lệ phí bao nhiêu")
    assert "chọn giúp em thủ tục" in text
    assert {b["payload"].split("{")[1] for b in chat.buttons} == offered
    assert all(b["payload"].startswith("/ask_fee") for b in chat.buttons)
    assert "Phí, lệ phí" in chat.say(chat.buttons[0]["payload"])


def test_aspect_without_procedure_asks_which_then_answers(chat):
    assert "thủ tục nào" in chat.say("lệ phí bao nhiêu vậy ad")
    text = chat.say("đăng ký tạm trú")
    assert "(mã 1.004194)" in text
    assert "Phí, lệ phí" in text


def test_abbreviations(chat):
    text = chat.say("đổi gplx mất bao lâu")
    assert "(mã 3.000347)" in text
    assert "Thời hạn giải quyết" in text


def test_no_diacritics_fee(chat):
    text = chat.say("le phi cap lai can cuoc bao nhieu tien")
    assert "(mã 1.014064)" in text
    assert "Phí, lệ phí" in text


def test_online_question(chat):
    assert "toàn trình" in chat.say("đăng ký khai sinh nộp online được không")


def test_where_to_submit(chat):
    text = chat.say("đăng ký kết hôn thì nộp hồ sơ ở đâu ạ")
    assert "(mã 1.000894)" in text
    assert "Cơ quan giải quyết" in text or "Nơi tiếp nhận" in text


def test_steps(chat):
    assert "Các bước thực hiện" in chat.say("các bước đăng ký thường trú như thế nào")


def test_forms(chat):
    assert "Mẫu đơn, tờ khai" in chat.say("mẫu tờ khai đăng ký khai sinh lấy ở đâu")


def test_follow_up_button_answers_another_aspect(chat):
    chat.say("làm hộ chiếu cần giấy tờ gì")
    fee = next(b for b in chat.buttons if b["payload"].startswith("/ask_fee"))
    assert "Phí, lệ phí" in chat.say(fee["payload"])


def test_long_story_before_the_question(chat):
    text = chat.say(
        "Dạ em chào anh chị, con em mới sinh được 2 tuần, bệnh viện đã đưa giấy chứng sinh rồi. "
        "Giờ em muốn làm giấy khai sinh cho bé thì cần mang theo những giấy tờ gì ạ?"
    )
    assert "(mã 1.001193)" in text


def test_unknown_procedure_is_said_plainly(chat):
    text = chat.say("thủ tục xin giấy phép nuôi cá sấu cảnh cần gì")
    assert "chưa tìm thấy" in text or "thủ tục nào" in text


def signals(chat: Chat) -> list[dict]:
    return [reply["custom"] for reply in chat.replies if "custom" in reply]


def test_two_fallbacks_in_a_row_hand_off_to_staff(chat):
    first = chat.say("asdkjh qwpeoi zxcmnb")
    assert "chưa hiểu" in first
    assert signals(chat) == [{"unanswered": "asdkjh qwpeoi zxcmnb"}]
    second = chat.say("xkcd qwzt pflm")
    assert "chuyển anh/chị sang cán bộ" in second
    handoff = next(s["handoff"] for s in signals(chat) if "handoff" in s)
    assert handoff["reason"] == "fallback" and handoff["last_message"] == "xkcd qwzt pflm"


def test_asking_for_a_person_hands_off_with_the_context(chat):
    chat.say("làm giấy khai sinh cần gì")
    chat.say("cho tôi gặp cán bộ")
    handoff = next(s["handoff"] for s in signals(chat) if "handoff" in s)
    assert handoff == {
        "reason": "request_human",
        "procedure_code": "1.001193",
        "dossier_code": "",
        "last_message": "cho tôi gặp cán bộ",
    }
    assert chat.send("alo có ai không") == [], "the bot stays silent while paused"


def test_a_complaint_is_apologised_for_and_handed_off(chat):
    text = chat.say("nộp hồ sơ cả tháng rồi không ai giải quyết, bức xúc quá")
    assert "xin lỗi" in text
    assert next(s["handoff"] for s in signals(chat) if "handoff" in s)["reason"] == "complain"


def test_thanks_offer_a_rating(chat):
    chat.say("cảm ơn nhiều nhé")
    assert {"offer_rating": True} in signals(chat)


def test_out_of_scope_is_declined_with_what_the_bot_can_do(chat):
    text = chat.say("thời tiết sài gòn hôm nay có mưa không")
    assert "chưa hỗ trợ" in text
    assert "Tra cứu tình trạng hồ sơ" in text


def test_bot_challenge(chat):
    assert "trợ lý tự động" in chat.say("bạn là người thật hay là máy vậy")


def test_thanks_and_goodbye(chat):
    assert "không có gì" in chat.say("cảm ơn em nhiều nhé")
    assert "chào anh/chị" in chat.say("thôi chào em nhé")


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("cho tôi gặp nhân viên tư vấn", "request_human"),
        ("cho e noi chuyen voi nguoi that dc ko", "request_human"),
        ("chờ cả tháng chưa có kết quả, làm ăn tắc trách quá", "complain"),
    ],
)
def test_staff_requests_and_complaints_hand_off(chat, message, reason):
    chat.send(message)
    assert next(s["handoff"] for s in signals(chat) if "handoff" in s)["reason"] == reason


@pytest.mark.parametrize("message", ["🙏🙏🙏", "<script>alert('x')</script>", "a" * 10000, "?"])
def test_odd_messages_get_a_vietnamese_reply(chat, message):
    assert chat.say(message).strip()


def _press(chat: Chat, title: str) -> str:
    button = next(b for b in chat.buttons if b["title"] == title)
    return chat.say(button["payload"])


@pytest.mark.parametrize(
    ("request_text", "code"),
    [
        ("hướng dẫn tôi chuẩn bị hồ sơ đăng ký kết hôn", "1.000894"),
        ("kiem tra giup minh du giay to lam cccd chua", "1.014061"),
        ("giúp tôi chuẩn bị hồ sơ đăng ký thường trú từng bước", "1.004222"),
        ("hướng dẫn chuẩn bị giấy tờ chứng thực chữ ký", "2.000884"),
        ("check giúp em hồ sơ đổi bằng lái xe", "3.000347"),
    ],
)
def test_checklist_runs_to_a_summary_for_different_procedures(chat, request_text, code):
    text = chat.say(request_text)
    assert f"(mã {code})" in text
    for _ in range(40):
        if "Kết quả kiểm tra hồ sơ" in text:
            break
        titles = [b["title"] for b in chat.buttons]
        text = _press(chat, next(t for t in ("✔ Có rồi", "✔ Đủ cả", "Không thuộc trường hợp nào") if t in titles))
    assert "Kết quả kiểm tra hồ sơ" in text
    assert "Bước tiếp theo" in text


def test_checklist_understands_free_text_goes_back_and_lists_what_is_missing(chat):
    first = chat.say("hướng dẫn tôi chuẩn bị hồ sơ khai sinh cho con")
    assert "Tờ khai đăng ký khai sinh" in first and "Giấy chứng sinh" in first and "bỏ rơi" not in first
    assert "Giấy tờ 1/2" in chat.say("thieu mot so")  # typed without diacritics: then one by one
    assert "Giấy tờ 2/2" in chat.say("co roi")
    assert "Giấy tờ 1/2" in chat.say("quay lại")
    assert "Giấy tờ 2/2" in chat.say("có rồi")
    assert "Ủy quyền cho người khác đi đăng ký" in chat.say("chua co")  # then the cases, in one question
    text = chat.say("không")
    assert "✘ Giấy chứng sinh" in text
    assert "✔ Tờ khai đăng ký khai sinh" in text
    assert {"Nộp ở đâu", "Kiểm tra lại từ đầu"} <= {b["title"] for b in chat.buttons}


@pytest.mark.parametrize(
    ("request_text", "code"),
    [
        ("kiem tra giup minh du giay to lam ho chieu chua", "1.001456"),
        ("hướng dẫn tui chuẩn bị hồ sơ đăng ký khai tử", "1.000656"),
        ("giup em chuan bi giay to dang ky tam tru voi", "1.004194"),
    ],
)
def test_checklist_asks_papers_first_in_any_words(chat, request_text, code):
    text = chat.say(request_text)
    assert f"(mã {code})" in text and "Giấy tờ" in text
    assert "Anh/chị có thuộc trường hợp" not in text  # the common case first: no case before a paper


def test_temporary_residence_proof_of_residence_is_advised_not_dropped(chat):
    chat.say("check list giay to dang ky tam tru")
    _press(chat, "✔ Có rồi")
    text = _press(chat, "Không thuộc trường hợp nào")
    assert "Nên mang theo" in text.split("Giấy tờ chứng minh chỗ ở hợp pháp")[0]
    assert "Không cần chuẩn bị" not in text


def test_an_ambiguous_checklist_offers_short_distinct_procedures_and_a_typed_choice_works(chat):
    chat.say("kiểm tra giúp tôi giấy tờ mở công ty TNHH")
    titles = [b["title"] for b in chat.buttons]
    assert len(set(titles)) == len(titles) >= 2 and all(len(t) <= 60 for t in titles)
    assert "(mã 2.001583)" in chat.say("một thành viên")


def test_the_papers_answer_offers_checking_ones_own(chat):
    chat.say("đăng ký khai tử cần giấy tờ gì")
    assert "(mã 1.000656)" in _press(chat, "Kiểm tra giấy tờ của tôi")


def test_checklist_side_question_then_back_to_it(chat):
    chat.say("kiểm tra giúp tôi đủ giấy tờ đăng ký kết hôn chưa")
    side = chat.say("lệ phí bao nhiêu vậy")
    assert "Phí, lệ phí" in side
    resumed = _press(chat, "Tiếp tục kiểm tra giấy tờ")
    assert "Giấy tờ 1/" in resumed


def test_checklist_stop_and_resume_later(chat):
    chat.say("hướng dẫn tôi chuẩn bị hồ sơ đăng ký khai sinh kết hợp nhận cha mẹ con")
    assert "Giấy tờ 1/" in _press(chat, "✘ Thiếu một số")
    _press(chat, "✔ Có rồi")
    assert "tạm dừng" in _press(chat, "Dừng")
    assert "không có gì" in chat.say("cảm ơn em")
    assert "Giấy tờ 2/" in chat.say("/start_document_checklist")


@pytest.mark.parametrize("follow_up", ["phi bao nhieu vay", "lệ phí hết bao nhiêu vậy", "mất mấy ngày"])
def test_a_follow_up_naming_no_procedure_stays_on_the_remembered_one(chat, follow_up):
    assert "(mã 1.001456)" in chat.say("làm hộ chiếu cần giấy tờ gì")
    text = chat.say(follow_up)
    assert "(mã 1.001456)" in text and "thủ tục nào" not in text


def test_a_new_procedure_without_an_aspect_asks_about_it_not_the_old_aspect(chat):
    assert "Phí, lệ phí" in chat.say("lệ phí làm hộ chiếu bao nhiêu")
    text = chat.say("lam cccd cho con 14 tuoi")
    assert "(mã 1.014061)" in text and "Lĩnh vực" in text and "Phí, lệ phí" not in text


@pytest.mark.parametrize("gibberish", ["??? blah", "asdfghjkl qwerty", "😀😀😀", "https://example.com/abc"])
def test_gibberish_is_not_understood(chat, gibberish):
    assert "chưa hiểu" in chat.say(gibberish)


def test_two_misunderstandings_in_a_row_reach_staff(chat):
    assert "chưa hiểu" in chat.say("asdfgh jkl")
    chat.send("qwerty zxcv")
    assert any("handoff" in reply.get("custom", {}) for reply in chat.replies)


def test_a_long_story_with_the_question_at_the_end(chat):
    story = (
        "Dạ em chào anh chị. Em ở Bình Chánh, mới chuyển về ở với chồng được hai tháng. Nhà chồng em có sổ hộ "
        "khẩu cũ nhưng giờ nghe nói không dùng nữa. Giờ em muốn đăng ký thường trú về nhà chồng thì cần giấy tờ gì ạ?"
    )
    text = chat.say(story)
    assert "(mã 1.004222)" in text and "Hồ sơ" in text


def test_a_wrong_answer_reported_is_feedback_and_forgets_the_procedure(chat):
    assert "(mã 1.001456)" in chat.say("làm hộ chiếu cần giấy tờ gì")
    text = chat.say("bạn trả lời sai rồi")
    assert "trả lời chưa đúng" in text and "trợ lý tự động" not in text
    unanswered = [r["custom"]["unanswered"] for r in chat.replies if "unanswered" in r.get("custom", {})]
    assert unanswered == ["làm hộ chiếu cần giấy tờ gì"]
    assert "thủ tục nào" in chat.say("lệ phí bao nhiêu")  # the passport is no longer assumed

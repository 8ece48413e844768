"""The guided document checklist, driven only by each procedure's catalogue data."""

import json

import pytest

from bot.checklist import render
from bot.checklist.flow import Answer, Kind, apply, current, new_state
from bot.checklist.understand import understand
from bot.dialogue.checklist_turn import ChecklistTurn, start, step


def _texts(outcome) -> str:
    return "\n".join(r.text for r in outcome.replies)


def _run(services, code: str, answers: list[str]):
    """Start a checklist for `code` and send `answers` as free text; return every outcome."""
    outcome = start(services, ChecklistTurn("kiểm tra giấy tờ", button_code=code))
    outcomes = [outcome]
    for answer in answers:
        outcome = step(services, ChecklistTurn(answer, state=outcome.state))
        outcomes.append(outcome)
    return outcomes


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("có rồi", Answer.YES), ("co roi", Answer.YES), ("dạ có", Answer.YES), ("ok", Answer.YES), ("đúng", Answer.YES),
        ("đủ cả", Answer.YES), ("du roi", Answer.YES),
        ("chưa có", Answer.NO), ("chua co", Answer.NO), ("k", Answer.NO), ("ko", Answer.NO), ("dạ chưa có", Answer.NO),
        ("thiếu một số", Answer.NO), ("ko có", Answer.NO),
        ("chưa rõ", Answer.UNSURE), ("ko biết", Answer.UNSURE),
        ("quay lại", Answer.BACK), ("bỏ qua", Answer.SKIP), ("dừng", Answer.STOP), ("thôi", Answer.STOP),
        ("tiếp tục", Answer.CONTINUE), ("không thuộc trường hợp nào", Answer.NONE), ("trường hợp khác", Answer.MORE),
        ("lệ phí bao nhiêu vậy", None), ("dung", None),
    ],
)  # fmt: skip
def test_free_text_answers(text, answer):
    assert understand(text) == answer


def _curated_with_papers(services) -> list[str]:
    return sorted(code for code in services.catalogue.curated_codes if services.catalogue.get(code).documents)


def test_birth_registration_asks_the_papers_everyone_needs_first_then_the_cases_in_one_question(services):
    first = start(services, ChecklistTurn("hướng dẫn chuẩn bị hồ sơ khai sinh"))
    assert first.procedure_code == "1.001193" and first.active and len(first.replies) == 1
    text = _texts(first)
    assert "Tờ khai đăng ký khai sinh" in text and "Giấy chứng sinh" in text and "bỏ rơi" not in text
    assert [b.title for b in first.replies[0].buttons][:2] == ["✔ Đủ cả", "✘ Thiếu một số"]
    # looked up by the office only "nếu khai thác được": advised to bring, never "not needed"
    assert "Nên mang theo" in text and "Giấy tờ chứng minh thông tin về cư trú" in text
    assert "Không cần chuẩn bị" not in text
    cases = step(services, ChecklistTurn("đủ rồi", state=first.state))
    titles = [b.title for b in cases.replies[0].buttons]
    assert "1. Ủy quyền cho người khác đi đăng ký" in titles and "Không thuộc trường hợp nào" in titles
    assert "Trường hợp khác" in titles and "bỏ rơi" not in _texts(cases)  # rare cases wait behind a button
    assert "bỏ rơi" in _texts(step(services, ChecklistTurn("trường hợp khác", state=cases.state)))
    done = step(services, ChecklistTurn("không", state=cases.state))
    assert not done.active and "✔ Tờ khai đăng ký khai sinh" in _texts(done) and "✔ Giấy chứng sinh" in _texts(done)


def test_first_paper_by_the_second_message_for_every_curated_procedure(services):
    for code in _curated_with_papers(services):
        procedure = services.catalogue.get(code)
        state = new_state(procedure)
        question = current(procedure, state)
        if question is None:  # nothing to prepare but papers to show: the summary comes at once
            continue
        if question.kind == Kind.CASES:  # no paper everyone needs: the first case chosen asks its papers
            question = current(procedure, apply(procedure, state, f"case:{question.options[0]}"))
        assert question.kind in (Kind.GROUP, Kind.PAPER), code


def test_common_case_reaches_the_summary_in_paper_questions_plus_one(services):
    for code in _curated_with_papers(services):
        procedure = services.catalogue.get(code)
        if all(g.case for g in procedure.documents):
            continue
        outcome, turns = start(services, ChecklistTurn("", button_code=code)), 0
        while outcome.active:
            kind = current(procedure, outcome.state).kind
            outcome = step(services, ChecklistTurn("không" if kind == Kind.CASES else "có", state=outcome.state))
            turns += 1
        assert turns <= 2 and "Kết quả kiểm tra hồ sơ" in _texts(outcome), code


def test_some_papers_missing_are_asked_one_by_one_and_summed_up_with_where_to_get_them(services):
    *_, last = _run(services, "1.001193", ["thiếu một số", "có rồi", "chưa có", "không"])
    text = _texts(last)
    assert not last.active and last.state is None
    assert "✔ Tờ khai đăng ký khai sinh" in text
    assert "✘ Giấy chứng sinh — lấy tại: Cơ sở y tế nơi trẻ được sinh ra" in text
    assert "Nộp trực tuyến:" in text and "Lệ phí" in text and "Thời hạn giải quyết" in text
    assert [b.title for b in last.replies[-1].buttons] == ["Nộp ở đâu", "Các bước", "Kiểm tra lại từ đầu", "Gặp cán bộ"]


def test_a_missing_form_says_which_form(services):
    *_, last = _run(services, "1.001456", ["thiếu", "chưa có", "có", "có", "không"])
    assert "✘ Tờ khai đề nghị cấp hộ chiếu phổ thông ở trong nước — theo mẫu Mẫu TK01" in _texts(last)


def test_a_missing_paper_the_catalogue_says_nothing_about_points_to_the_office(services):
    *_, last = _run(services, "2.001019", ["chưa có", "không"])
    text = _texts(last)
    assert "✘ Dự thảo di chúc\n" in text and "ℹ️ Giấy tờ chưa ghi nơi cấp: anh/chị hỏi thêm tại" in text


def test_passport_common_case_asks_no_case_after_none(services):
    outcomes = _run(services, "1.001456", ["đủ cả", "không thuộc trường hợp nào"])
    assert not outcomes[-1].active and "Kết quả kiểm tra hồ sơ" in _texts(outcomes[-1])
    assert "Trường hợp" not in _texts(outcomes[0])  # no case question before the papers


def test_a_case_chosen_by_its_words_or_number_adds_its_papers(services):
    by_words = _run(services, "1.004222", ["có", "thuê nhà"])
    assert "Hợp đồng, văn bản cho thuê, cho mượn, cho ở nhờ" in _texts(by_words[-1])
    by_number = _run(services, "1.001193", ["có", "1"])
    assert "Văn bản ủy quyền" in _texts(by_number[-1])
    after = step(services, ChecklistTurn("có rồi", state=by_number[-1].state))
    assert "còn thuộc trường hợp nào" in _texts(after) and "Ủy quyền" not in [b.title for b in after.replies[0].buttons]


def test_case_buttons_are_short_and_tell_the_cases_apart(services):
    for code in _curated_with_papers(services):
        procedure = services.catalogue.get(code)
        state = new_state(procedure)
        while (question := current(procedure, state)) and question.kind != Kind.CASES:
            state = apply(procedure, state, "yes")
        if question is None:
            continue
        state = apply(procedure, state, "more") or state
        titles = [b.title for b in render.question_reply(procedure, state, current(procedure, state)).buttons]
        assert len(set(titles)) == len(titles) and all(len(t) <= 40 for t in titles), (code, titles)


def test_back_undoes_the_last_answer(services):
    outcomes = _run(services, "1.001193", ["có rồi", "quay lại"])
    procedure = services.catalogue.get("1.001193")
    assert outcomes[-1].state["answers"] == {}
    assert current(procedure, outcomes[-1].state).key == current(procedure, outcomes[0].state).key


def test_stop_then_resume_where_it_stopped(services):
    outcomes = _run(services, "1.001193", ["thiếu", "có rồi", "dừng"])
    stopped = outcomes[-1]
    assert not stopped.active and "tạm dừng" in _texts(stopped)
    resumed = start(services, ChecklistTurn("tiếp tục kiểm tra", state=stopped.state))
    assert resumed.active and "tiếp tục" in _texts(resumed)
    assert "Giấy tờ 2/" in _texts(resumed)


def test_an_unclear_reply_repeats_the_choices_and_continue_asks_again(services):
    outcomes = _run(services, "2.000884", ["hôm nay trời đẹp quá", "tiếp tục"])
    assert outcomes[1].active and outcomes[1].state == outcomes[0].state
    assert [b.title for b in outcomes[1].replies[0].buttons] == [b.title for b in outcomes[0].replies[-1].buttons]
    assert outcomes[2].replies[0].text == outcomes[0].replies[-1].text.split("\n\n", 1)[1]


@pytest.mark.parametrize("code", ["1.004222", "3.000346", "2.001583", "1.013978", "2.000884"])
def test_every_shape_of_procedure_completes(services, code):
    procedure = services.catalogue.get(code)
    outcome = start(services, ChecklistTurn("", button_code=code))
    for _ in range(60):
        if not outcome.active:
            break
        question = current(procedure, outcome.state)
        answer = f"case:{question.options[0]}" if question.kind == Kind.CASES else "yes"  # every case in turn
        outcome = step(services, ChecklistTurn("", button_answer=answer, state=outcome.state))
    assert not outcome.active
    text = _texts(outcome)
    ready = text.split("Đã có (", 1)[1].split(")", 1)[0]
    assert int(ready) == sum(len(g.papers) for g in procedure.documents if g.papers) - len(
        [p for g in procedure.documents for p in g.papers if p.present_only and p.not_needed_reason]
    )
    assert f"(mã {procedure.code})" in text and "Bước tiếp theo" in text
    assert all(len(r.text) <= 900 for r in outcome.replies)


def test_asks_which_procedure_when_none_is_named(services):
    first = start(services, ChecklistTurn("kiểm tra giúp tôi đủ giấy tờ chưa"))
    assert first.active and "thủ tục nào" in _texts(first)
    assert "/check_dossier_status" in [b.payload for b in first.replies[-1].buttons]  # or a dossier submitted
    second = step(services, ChecklistTurn("đăng ký kết hôn", intent="inform", state=first.state))
    assert second.procedure_code == "1.000894" and second.active


def test_ambiguous_procedure_offers_short_buttons_and_a_typed_choice_picks_one(services):
    first = start(services, ChecklistTurn("chuẩn bị hồ sơ thành lập công ty tnhh"))
    buttons = first.replies[0].buttons
    assert all(b.payload.startswith("/start_document_checklist{") for b in buttons)
    assert {b.title for b in buttons} == {
        "Đăng ký thành lập công ty TNHH một thành viên",
        "Đăng ký thành lập công ty TNHH hai thành viên trở lên",
    }
    long = start(services, ChecklistTurn("chuẩn bị hồ sơ chứng thực bản sao")).replies[0]
    assert all(len(b.title) <= 60 for b in long.buttons) and len({b.title for b in long.buttons}) == len(long.buttons)
    picked = step(services, ChecklistTurn("một thành viên", state=first.state))
    assert picked.procedure_code == "2.001583" and picked.active


@pytest.mark.parametrize(
    ("text", "mentions", "code"),
    [
        ("dong cua ho kinh doanh, check list giay to can nop", ["ho kinh doanh"], "1.001266"),
        ("moi mua xe may moi, kiem tra giup toi du giay to dang ky bien so chua", ["xe may"], "1.013067"),
    ],
)
def test_a_procedure_named_clearly_starts_although_a_mention_is_vague(services, text, mentions, code):
    outcome = start(services, ChecklistTurn(text, procedure_mentions=mentions))
    assert outcome.procedure_code == code and outcome.active
    assert f"(mã {code})" in _texts(outcome)


def test_the_conversations_procedure_is_checked_when_the_message_names_no_other(services):
    remembered = start(services, ChecklistTurn("kiểm tra giúp tôi giấy tờ", current_code="1.000894"))
    assert remembered.procedure_code == "1.000894" and "(mã 1.000894)" in _texts(remembered)
    among = start(services, ChecklistTurn("chuẩn bị hồ sơ chứng thực bản sao", current_code="2.000942"))
    assert among.procedure_code == "2.000942"
    other = start(services, ChecklistTurn("chuẩn bị hồ sơ chứng thực bản sao", current_code="1.000894"))
    codes = [
        json.loads(b.payload.removeprefix("/start_document_checklist"))["procedure_code"]
        for b in other.replies[0].buttons
    ]
    assert codes[0] == "1.000894" and {"2.000815", "2.000942"} <= set(codes)

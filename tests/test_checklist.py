"""The guided document checklist, driven only by each procedure's catalogue data."""

import json

import pytest

from bot.checklist.flow import Answer, current, questions
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
        ("chưa có", Answer.NO), ("chua co", Answer.NO), ("k", Answer.NO), ("ko", Answer.NO), ("dạ chưa có", Answer.NO),
        ("chưa rõ", Answer.UNSURE), ("ko biết", Answer.UNSURE),
        ("quay lại", Answer.BACK), ("bỏ qua", Answer.SKIP), ("dừng", Answer.STOP), ("thôi", Answer.STOP),
        ("lệ phí bao nhiêu vậy", None), ("dung", None),
    ],
)  # fmt: skip
def test_free_text_answers(text, answer):
    assert understand(text) == answer


def test_birth_registration_asks_cases_then_only_the_papers_that_apply(services):
    procedure = services.catalogue.get("1.001193")
    first = start(services, ChecklistTurn("hướng dẫn chuẩn bị hồ sơ khai sinh"))
    assert first.procedure_code == "1.001193" and first.active
    assert "Giấy tờ chứng minh thông tin về cư trú" in _texts(first)  # not needed: looked up by the office
    assert "trường hợp" in _texts(first) and "ủy quyền" in _texts(first)
    state = first.state
    for _ in range(3):  # no authorisation, not abandoned, no surrogacy
        state = step(services, ChecklistTurn("không", state=state)).state
    asked = [q.paper.name for q in questions(procedure, state) if q.paper]
    assert asked == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]


def test_summary_lists_ready_and_missing_with_where_to_get_and_next_step(services):
    *_, last = _run(services, "1.001193", ["không", "không", "không", "có rồi", "chưa có"])
    text = _texts(last)
    assert not last.active and last.state is None
    assert "✔ Tờ khai đăng ký khai sinh" in text
    assert "✘ Giấy chứng sinh — lấy tại: Cơ sở y tế nơi trẻ được sinh ra" in text
    assert "Nộp trực tuyến:" in text and "Lệ phí" in text and "Thời hạn giải quyết" in text


def test_a_case_answered_yes_adds_its_papers(services):
    outcomes = _run(services, "1.001193", ["có", "không", "không"])
    texts = _texts(outcomes[-1])
    assert "Giấy tờ 1/3" in texts
    procedure = services.catalogue.get("1.001193")
    assert "Văn bản ủy quyền" in [q.paper.name for q in questions(procedure, outcomes[-1].state) if q.paper]


def test_back_undoes_the_last_answer(services):
    # A procedure with more than one question: after one answer the checklist is still in progress.
    outcomes = _run(services, "1.001193", ["có rồi", "quay lại"])
    procedure = services.catalogue.get("1.001193")
    assert outcomes[-1].state["answers"] == {}
    assert current(procedure, outcomes[-1].state).key == current(procedure, outcomes[0].state).key


def test_stop_then_resume_where_it_stopped(services):
    outcomes = _run(services, "1.000689", ["có rồi", "dừng"])
    stopped = outcomes[-1]
    assert not stopped.active and "tạm dừng" in _texts(stopped)
    resumed = start(services, ChecklistTurn("tiếp tục kiểm tra", state=stopped.state))
    assert resumed.active and "tiếp tục" in _texts(resumed)
    assert "Giấy tờ 2/" in _texts(resumed)


def test_an_unclear_reply_repeats_the_choices(services):
    outcomes = _run(services, "2.000884", ["hôm nay trời đẹp quá"])
    assert outcomes[-1].active
    assert outcomes[-1].state == outcomes[0].state
    assert [b.title for b in outcomes[-1].replies[0].buttons][:3] == ["✔ Có rồi", "✘ Chưa có", "Chưa rõ"]


@pytest.mark.parametrize("code", ["1.004222", "3.000346", "2.001583", "1.013978", "2.000884"])
def test_every_shape_of_procedure_completes(services, code):
    procedure = services.catalogue.get(code)
    outcome = start(services, ChecklistTurn("", button_code=code))
    for _ in range(60):
        if not outcome.active:
            break
        outcome = step(services, ChecklistTurn("", button_answer="yes", state=outcome.state))
    assert not outcome.active
    text = _texts(outcome)
    assert f"(mã {procedure.code})" in text and "Bước tiếp theo" in text
    assert all(len(r.text) <= 900 for r in outcome.replies)


def test_asks_which_procedure_when_none_is_named(services):
    first = start(services, ChecklistTurn("kiểm tra giúp tôi đủ giấy tờ chưa"))
    assert first.active and "thủ tục nào" in _texts(first)
    assert "/check_dossier_status" in [b.payload for b in first.replies[-1].buttons]  # or a dossier submitted
    second = step(services, ChecklistTurn("đăng ký kết hôn", intent="inform", state=first.state))
    assert second.procedure_code == "1.000894" and second.active


def test_ambiguous_procedure_offers_buttons_that_start_the_checklist(services):
    first = start(services, ChecklistTurn("chuẩn bị hồ sơ thành lập công ty tnhh"))
    assert all(b.payload.startswith("/start_document_checklist{") for b in first.replies[0].buttons)


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

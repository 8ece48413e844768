"""Follow-up questions about the dossier just shown, answered from that dossier."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.catalogue.answers import Aspect
from bot.dossiers.follow_up import follow_up_replies
from bot.dossiers.lookup import LookupResult, Outcome
from bot.dossiers.model import Status
from bot.dossiers.replies import RECEIPT
from tests.test_dossier_replies import RUNNING, TODAY


def ask(dossier, aspect: Aspect, today: date = TODAY) -> str:
    replies = follow_up_replies(LookupResult(Outcome.FOUND, today, None, dossier), aspect)
    return "\n\n".join(reply.text for reply in replies)


def test_where_to_collect_a_ready_result_names_the_pickup_place() -> None:
    ready = replace(RUNNING, status=Status.RESULT_READY, completed=date(2026, 11, 25))
    text = ask(ready, Aspect.AGENCY)
    assert RUNNING.code in text and "đã có kết quả" in text
    assert f"nhận kết quả tại {RUNNING.pickup_place}" in text and RECEIPT in text


def test_where_for_a_running_dossier_says_from_the_appointment_day() -> None:
    assert "từ ngày hẹn trả 30/11/2026" in ask(RUNNING, Aspect.AGENCY)


def test_when_gives_the_appointment_and_days_left() -> None:
    text = ask(RUNNING, Aspect.TIME)
    assert "Ngày hẹn trả: 30/11/2026 — còn 2 ngày làm việc" in text


def test_when_for_a_late_dossier_apologises() -> None:
    text = ask(RUNNING, Aspect.TIME, today=date(2026, 12, 3))
    assert "đã quá hẹn 3 ngày làm việc" in text and "xin lỗi" in text


def test_what_to_supplement_lists_the_papers_requested() -> None:
    waiting = replace(RUNNING, status=Status.AWAITING_SUPPLEMENT, supplements=("Bản sao giấy khai sinh",))
    text = ask(waiting, Aspect.DOCUMENTS)
    assert "cần bổ sung" in text and "• Bản sao giấy khai sinh" in text
    assert "không cần bổ sung" in ask(RUNNING, Aspect.DOCUMENTS)


def test_other_questions_and_misses_get_the_whole_status() -> None:
    assert "Tình trạng: Đang xử lý" in ask(RUNNING, Aspect.OVERVIEW)
    missed = follow_up_replies(LookupResult(Outcome.UNAVAILABLE, TODAY), Aspect.AGENCY)
    assert missed and RUNNING.code not in missed[0].text

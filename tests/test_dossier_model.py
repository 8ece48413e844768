"""Working days, deadlines of a dossier (late, days left), status labels and masking of personal data."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from bot.dossiers.model import STATUS_LABELS, Applicant, Dossier, LogEntry, ProcedureRef, Status
from bot.dossiers.privacy import mask_name, phone_ends_with
from bot.dossiers.workdays import add_working_days, working_days_between

MON, TUE, THU, FRI, SAT, SUN = (date(2026, 11, d) for d in (2, 3, 5, 6, 7, 8))
NEXT_MON, NEXT_TUE = date(2026, 11, 9), date(2026, 11, 10)


def dossier(**changes) -> Dossier:
    base = Dossier(
        code="000.00.31.H29-261102-0012",
        procedure=ProcedureRef("1.001193", "Đăng ký khai sinh"),
        applicant=Applicant("Nguyễn Văn An", "0903123456"),
        received=MON,
        appointment=FRI,
        office="Ủy ban nhân dân phường Sài Gòn",
        status=Status.PROCESSING,
        log=(LogEntry(datetime(2026, 11, 2, 8, 30), "Bộ phận Một cửa", "Tiếp nhận hồ sơ"),),
    )
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (FRI, NEXT_MON, 1),
        (FRI, NEXT_TUE, 2),
        (FRI, SAT, 0),
        (FRI, SUN, 0),
        (SAT, NEXT_MON, 1),
        (THU, date(2026, 11, 12), 5),
        (MON, MON, 0),
        (NEXT_MON, FRI, 0),
        (MON, date(2026, 11, 23), 15),
    ],
)
def test_working_days_skip_weekends(start: date, end: date, days: int) -> None:
    assert working_days_between(start, end) == days


def test_adding_working_days_skips_weekends_both_ways() -> None:
    assert add_working_days(FRI, 1) == NEXT_MON
    assert add_working_days(NEXT_MON, -1) == FRI
    assert add_working_days(SAT, 1) == NEXT_MON
    assert add_working_days(THU, 0) == THU
    for start in (MON + timedelta(days=i) for i in range(5)):
        for count in range(0, 30):
            assert working_days_between(start, add_working_days(start, count)) == count


def test_an_unfinished_dossier_past_its_appointment_over_a_weekend_is_late_by_working_days() -> None:
    late = dossier(appointment=FRI)
    assert late.is_late(NEXT_TUE)
    assert late.days_late(NEXT_TUE) == 2
    assert late.days_left(NEXT_TUE) is None


def test_only_a_weekend_past_the_appointment_is_late_by_zero_working_days() -> None:
    assert dossier(appointment=FRI).is_late(SAT)
    assert dossier(appointment=FRI).days_late(SUN) == 0


def test_days_left_count_working_days_to_the_appointment() -> None:
    running = dossier(appointment=NEXT_TUE)
    assert not running.is_late(FRI)
    assert running.days_left(FRI) == 2
    assert running.days_left(SAT) == 2
    assert running.days_left(NEXT_TUE) == 0
    assert not running.is_late(NEXT_TUE)


def test_a_finished_dossier_is_late_only_if_completed_after_the_appointment() -> None:
    on_time = dossier(status=Status.RESULT_RETURNED, appointment=FRI, completed=FRI)
    assert not on_time.is_late(date(2026, 12, 31))
    assert on_time.days_left(THU) is None
    late = dossier(status=Status.RESULT_READY, appointment=FRI, completed=NEXT_TUE)
    assert late.is_late(NEXT_TUE)
    assert late.days_late(date(2026, 12, 31)) == 2


@pytest.mark.parametrize("status", [Status.AWAITING_SUPPLEMENT, Status.SUSPENDED, Status.WITHDRAWN])
def test_paused_and_withdrawn_dossiers_have_no_running_deadline(status: Status) -> None:
    paused = dossier(status=status, appointment=FRI)
    assert not paused.is_late(NEXT_TUE)
    assert paused.days_late(NEXT_TUE) == 0
    assert paused.days_left(THU) is None


def test_latest_log_is_the_last_entries_oldest_first() -> None:
    entries = tuple(LogEntry(datetime(2026, 11, 2, 8 + i), "Phòng", f"bước {i}") for i in range(5))
    record = dossier(log=tuple(reversed(entries)))
    assert [e.action for e in record.latest_log(3)] == ["bước 2", "bước 3", "bước 4"]
    assert len(record.latest_log(None)) == 5


def test_a_dossier_rejects_a_messy_code_and_impossible_dates() -> None:
    with pytest.raises(ValueError, match="canonical"):
        dossier(code="0.0.31.h29-261102-12")
    with pytest.raises(ValueError, match="appointment"):
        dossier(appointment=date(2026, 10, 30))
    with pytest.raises(ValueError, match="completed"):
        dossier(status=Status.RESULT_READY, completed=date(2026, 10, 30))


def test_every_status_has_its_vietnamese_label() -> None:
    assert set(STATUS_LABELS) == set(Status)
    assert Status.PROCESSING.label == "đang xử lý"
    assert Status.RESULT_RETURNED.label == "đã trả kết quả"
    assert {s.value for s in Status} == {
        "da_tiep_nhan",
        "dang_xu_ly",
        "cho_bo_sung",
        "tam_dung",
        "da_co_ket_qua",
        "da_tra_ket_qua",
        "tu_choi",
        "da_rut",
    }


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Văn An", "Nguyễn V** A**"),
        ("Đặng Thị Ngọc Ánh", "Đặng T** N** Á**"),
        ("  Lê   Minh  ", "Lê M**"),
        ("An", "A**"),
        ("", ""),
    ],
)
def test_names_are_masked_keeping_the_family_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_a_decomposed_name_is_masked_without_losing_its_accents() -> None:
    assert mask_name(unicodedata.normalize("NFD", "Đặng Ánh")) == "Đặng Á**"


def test_the_phone_check_compares_the_last_four_digits_only() -> None:
    assert phone_ends_with("0903123456", "3456")
    assert phone_ends_with("+84 903 123 456", "3456")
    assert not phone_ends_with("0903123456", "3457")
    assert not phone_ends_with("0903123456", "456")
    assert not phone_ends_with(None, "3456")

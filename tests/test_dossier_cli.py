"""`python -m bot dossiers seed|import|show`: sample data, file imports with line-numbered errors, masked display."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot.catalogue.store import load_procedures
from bot.cli import main
from bot.dossiers.model import Dossier, Status
from bot.dossiers.seed import sample_dossiers
from bot.dossiers.sql import SqlDossierStore
from bot.dossiers.workdays import today_in_vietnam
from bot.settings import CURATED_DIR

HEADER = [
    "code",
    "procedure_code",
    "procedure_name",
    "applicant_name",
    "applicant_phone",
    "received",
    "appointment",
    "completed",
    "office",
    "status",
    "supplements",
    "pickup_place",
    "log",
]


@pytest.fixture(scope="module")
def procedures():
    return load_procedures([CURATED_DIR])


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'motcua.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DOSSIER_SOURCE", "sql")
    return url


def stored(url: str, code: str) -> Dossier | None:
    store = SqlDossierStore(url)
    try:
        return store.get(code)
    finally:
        store.close()


def test_the_samples_cover_every_status_are_realistic_and_repeatable(procedures) -> None:
    today = date(2026, 11, 26)
    samples = sample_dossiers(procedures, today=today)
    assert len(samples) == 60
    assert sample_dossiers(procedures, today=today) == samples
    assert set(Counter(d.status for d in samples)) == set(Status)
    assert len({d.code for d in samples}) == 60
    assert len({d.procedure.code for d in sample_dossiers(procedures, len(procedures), today)}) == len(procedures)
    assert sum(d.is_late(today) for d in samples) >= 5
    assert all(d.received <= today and d.received.year == 2026 and d.code.split(".")[-1][:3] == "H29" for d in samples)
    papers = {p.code: {paper.name for g in p.documents for paper in g.papers} for p in procedures}
    waiting = [d for d in samples if d.status is Status.AWAITING_SUPPLEMENT]
    assert waiting and all(d.supplements and set(d.supplements) <= papers[d.procedure.code] for d in waiting)
    assert all(d.completed for d in samples if d.status in (Status.RESULT_READY, Status.RESULT_RETURNED))
    assert len({d.applicant.full_name for d in samples}) > 40


def test_seed_writes_the_samples_and_show_prints_one_masked(database: str, procedures, capsys) -> None:
    assert main(["dossiers", "seed", "--count", "55"]) == 0
    assert "55 sample dossiers written" in capsys.readouterr().out
    samples = sample_dossiers(procedures, 55, today_in_vietnam())
    assert all(stored(database, d.code) == d for d in samples)

    sample = samples[0]
    assert main(["dossiers", "show", sample.code.lower().replace("-", " - ")]) == 0
    shown = capsys.readouterr().out
    assert sample.code in shown and sample.procedure.name in shown and sample.status.label in shown
    assert sample.applicant.full_name not in shown and sample.applicant.full_name.split()[0] in shown
    assert sample.applicant.phone not in shown

    assert main(["dossiers", "show", sample.code, "--unmasked"]) == 0
    unmasked = capsys.readouterr().out
    assert sample.applicant.full_name in unmasked and sample.applicant.phone in unmasked


def test_show_tells_a_missing_dossier_from_a_malformed_code(database: str, capsys) -> None:
    assert main(["dossiers", "show", "000.00.31.H29-261126-0001"]) == 1
    assert "no dossier 000.00.31.H29-261126-0001" in capsys.readouterr().out
    assert main(["dossiers", "show", "000.00.31.H29-261326-0001"]) == 2
    assert "not a dossier code (date)" in capsys.readouterr().out


def _row(code: str, **changes: str) -> dict[str, str]:
    row = {
        "code": code,
        "procedure_code": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
        "applicant_name": "Lê Thị Hồng",
        "applicant_phone": "+84 912 345 678",
        "received": "2026-11-02",
        "appointment": "03/11/2026",
        "completed": "",
        "office": "Ủy ban nhân dân phường Bến Thành",
        "status": "Chờ bổ sung",
        "supplements": "Giấy chứng sinh\nVăn bản ủy quyền",
        "pickup_place": "Trung tâm Phục vụ hành chính công phường Bến Thành",
        "log": "2026-11-02 08:15 | Bộ phận Một cửa | Tiếp nhận hồ sơ | Cán bộ tiếp nhận\n"
        "03/11/2026 10:00 | Phòng Văn hóa - Xã hội | Yêu cầu bổ sung hồ sơ | Chuyên viên | Thiếu giấy chứng sinh",
    }
    return row | changes


def test_a_csv_import_keeps_good_rows_and_reports_bad_ones_by_line(database: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "dossiers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, HEADER)
        writer.writeheader()  # line 1
        writer.writerow(_row("38.98.h29-261102-1"))  # lines 2-4: two cells span two lines each
        one_line = {"log": "", "supplements": ""}
        writer.writerow(_row("000.23.31.H29-261102-0002", received="31/02/2026", **one_line))  # line 5
        writer.writerow(_row("000.23.31.H29-261102-0003", status="đang chờ", **one_line))  # line 6
        writer.writerow(_row("000.23.31.H29-261302-0004"))  # lines 7-9
        writer.writerow(_row("000.23.31.H29-261102-0005", status="da_tra_ket_qua", **one_line))  # line 10
        writer.writerow(_row("38.98.H29-261102-0001", **one_line))  # line 11, repeating line 2's code
        writer.writerow(_row("000.23.31.H29-261102-0006", status="dang_xu_ly", **one_line))  # line 12
    assert main(["dossiers", "import", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:5: received '31/02/2026' is not a date" in out
    assert f"{path}:6: unknown status 'đang chờ'" in out
    assert f"{path}:7: code '000.23.31.H29-261302-0004' is malformed (date)" in out
    assert f"{path}:10: status da_tra_ket_qua needs a completed date" in out
    assert f"{path}:11: code 38.98.H29-261102-0001 repeats line 2" in out
    assert "2 dossiers imported" in out and "5 rows rejected" in out

    first = stored(database, "38.98.H29-261102-0001")
    assert first is not None
    assert first.status is Status.AWAITING_SUPPLEMENT
    assert first.applicant.phone == "0912345678"
    assert first.appointment == date(2026, 11, 3)
    assert first.supplements == ("Giấy chứng sinh", "Văn bản ủy quyền")
    assert [(e.action, e.role, e.note) for e in first.log] == [
        ("Tiếp nhận hồ sơ", "Cán bộ tiếp nhận", None),
        ("Yêu cầu bổ sung hồ sơ", "Chuyên viên", "Thiếu giấy chứng sinh"),
    ]
    assert stored(database, "000.23.31.H29-261102-0006") is not None


def test_a_json_import_reports_the_line_each_bad_record_starts_on(database: str, tmp_path: Path, capsys) -> None:
    good = _row("000.23.31.H29-261102-0010", supplements=None, log=None) | {
        "supplements": ["Giấy chứng sinh"],
        "log": [{"time": "2026-11-02T08:15:00", "office": "Bộ phận Một cửa", "action": "Tiếp nhận hồ sơ"}],
    }
    bad = _row("000.23.31.H29-261102-0011", appointment="2026-10-01")
    unknown = _row("000.23.31.H29-261102-0012", log="") | {"cccd": "079123456789"}
    path = tmp_path / "dossiers.json"
    path.write_text(json.dumps([good, bad, unknown], ensure_ascii=False, indent=2), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [i + 1 for i, line in enumerate(lines) if line == "  {"]
    assert main(["dossiers", "import", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{starts[1]}: the appointment date is before the received date" in out
    assert f"{path}:{starts[2]}: unknown field(s) cccd" in out
    assert "1 dossiers imported" in out
    imported = stored(database, "000.23.31.H29-261102-0010")
    assert imported is not None and imported.supplements == ("Giấy chứng sinh",)


def test_an_unreadable_file_is_reported(database: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    assert main(["dossiers", "import", str(path)]) == 1
    assert "unreadable" in capsys.readouterr().out

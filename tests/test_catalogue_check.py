"""`catalogue check`: every error reported with its file and record; the shipped catalogue is valid."""

import subprocess
import sys
from pathlib import Path

import yaml

from bot.catalogue.validate import check_catalogue

ROOT = Path(__file__).resolve().parent.parent
VALID = {
    "code": "1.000001",
    "name": "Thủ tục mẫu",
    "field": "Hộ tịch",
    "levels": ["xa"],
    "channels": [{"channel": "truc_tiep", "time": {"value": 3, "unit": "ngay_lam_viec"}, "fee": {"amount": 0}}],
    "aliases": ["thủ tục thử"],
    "decision": "1/QĐ-UBND",
}


def _write(folder: Path, name: str, records: object) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_catalogue_is_valid():
    valid, errors = check_catalogue(ROOT / "bot" / "catalogue" / "curated")
    assert errors == []
    assert valid >= 60


def test_a_valid_record_passes(tmp_path):
    _write(tmp_path, "ok.yml", [VALID])
    assert check_catalogue(tmp_path) == (1, [])


def test_field_errors_name_file_record_and_field(tmp_path):
    bad = {**VALID, "code": "1.1", "levels": [], "channels": [{"channel": "fax"}]}
    path = _write(tmp_path, "bad.yml", [VALID | {"code": "1.000002", "aliases": []}, bad])
    valid, errors = check_catalogue(tmp_path)
    messages = [str(e) for e in errors]
    assert valid == 1
    assert all(m.startswith(f"{path}: record 2 (1.1)") for m in messages)
    assert any("code" in m for m in messages)
    assert any("levels" in m for m in messages)
    assert any("channels.0.channel" in m for m in messages)


def test_contradictions_are_errors(tmp_path):
    no_amount = {**VALID, "channels": [{"channel": "truc_tiep", "fee": {}}]}
    online_without_channel = {**VALID, "code": "1.000003", "aliases": [], "online_level": "toan_trinh"}
    _write(tmp_path, "bad.yml", [no_amount, online_without_channel])
    _, errors = check_catalogue(tmp_path)
    assert any("fee needs an amount or a text" in str(e) for e in errors)
    assert any("online level needs" in str(e) for e in errors)


def test_duplicate_codes_and_shared_aliases_across_files(tmp_path):
    _write(tmp_path, "a.yml", [VALID | {"aliases": ["làm giấy khai sinh"]}])
    _write(tmp_path, "b.yml", [VALID, VALID | {"code": "1.000002", "aliases": ["LÀM GIẤY KHAI SINH"]}])
    _, errors = check_catalogue(tmp_path)
    assert any("duplicate code 1.000001" in str(e) for e in errors)
    assert any("alias 'LÀM GIẤY KHAI SINH' is also an alias of 1.000001" in str(e) for e in errors)


def test_unreadable_files_are_reported_and_the_rest_still_checked(tmp_path):
    (tmp_path / "broken.yml").write_text("- code: [unclosed", encoding="utf-8")
    (tmp_path / "not-a-list.yml").write_text("code: 1", encoding="utf-8")
    _write(tmp_path, "ok.yml", [VALID])
    valid, errors = check_catalogue(tmp_path)
    assert valid == 1
    assert {Path(e.file).name for e in errors} == {"broken.yml", "not-a-list.yml"}


def test_cli_exits_non_zero_and_lists_errors(tmp_path):
    _write(tmp_path, "bad.yml", [{"code": "x"}])
    result = subprocess.run(
        [sys.executable, "-m", "bot", "catalogue", "check", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "bad.yml: record 1 (x): code" in result.stdout


def test_only_official_addresses_and_a_traceable_source(tmp_path):
    github = {**VALID, "source": {"url": "https://github.com/someone/data/blob/main/1_000001.md"}}
    form_elsewhere = {
        **VALID,
        "code": "1.000004",
        "aliases": [],
        "documents": [{"papers": [{"name": "Tờ khai", "form_url": "https://example.com/to-khai.docx"}]}],
    }
    untraceable = {**VALID, "code": "1.000005", "aliases": [], "decision": None}
    official = {
        **VALID,
        "code": "1.000006",
        "aliases": [],
        "source": {"url": "https://dichvucong.hochiminhcity.gov.vn/x"},
    }
    _write(tmp_path, "links.yml", [github, form_elsewhere, untraceable, official])
    valid, errors = check_catalogue(tmp_path)
    messages = [str(e) for e in errors]
    assert valid == 1
    assert any("record 1 (1.000001): source.url: not an official address" in m for m in messages)
    assert any("record 2 (1.000004): documents.0.papers.0.form_url: not an official address" in m for m in messages)
    assert any("record 3 (1.000005)" in m and "decision that published it" in m for m in messages)

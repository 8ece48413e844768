"""The configured catalogue source: imported when it changed, loaded beside the curated records, served by a
running process without a restart."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.catalogue import sync
from bot.catalogue.sync import is_current, sync_catalogue
from bot.services import ReloadingServices
from bot.settings import Settings
from tests.fakes.portal_records import write_portal_record

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "national"
    write_portal_record(folder, "1.777001", "Đăng ký việc nuôi chim bồ câu đưa thư")
    return folder


def _settings(source: Path, tmp_path: Path) -> Settings:
    return Settings.from_env(
        {"MOTCUA_CATALOGUE_SOURCE": str(source), "MOTCUA_IMPORTED_CATALOGUE": str(tmp_path / "out" / "imported.json")}
    )


def test_imported_once_then_again_only_when_the_source_changes(source, tmp_path):
    out = tmp_path / "out" / "imported.json"
    first = sync_catalogue(source, out)
    assert first.report is not None and first.report.imported == 1
    assert is_current(source, out) and sync_catalogue(source, out).report is None
    write_portal_record(source, "1.777002", "Đăng ký việc nuôi ong lấy mật")
    assert not is_current(source, out)
    assert sync_catalogue(source, out).report.imported == 2
    assert sync_catalogue(source, out, force=True).report.imported == 2


def test_a_source_that_yields_nothing_keeps_the_previous_catalogue(source, tmp_path):
    out = tmp_path / "out" / "imported.json"
    sync_catalogue(source, out)
    before = out.read_text(encoding="utf-8")
    for file in source.rglob("*.json"):
        file.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="no procedure could be imported"):
        sync_catalogue(source, out)
    assert out.read_text(encoding="utf-8") == before


def test_the_import_is_served_beside_the_curated_records_only_when_a_source_is_set(source, tmp_path):
    settings = _settings(source, tmp_path)
    sync_catalogue(source, settings.imported_catalogue)
    assert settings.catalogue_files == [settings.imported_catalogue]
    unset = Settings.from_env({"MOTCUA_IMPORTED_CATALOGUE": str(settings.imported_catalogue)})
    assert unset.catalogue_files == []
    services = ReloadingServices(settings, interval=0).get()
    assert services.catalogue.get("1.777001") is not None
    assert services.catalogue.get("1.001193") is not None  # the curated records stay
    assert services.index.search("nuôi chim bồ câu").best.code == "1.777001"


def test_a_running_process_serves_a_re_import_without_restart(source, tmp_path):
    settings = _settings(source, tmp_path)
    sync_catalogue(source, settings.imported_catalogue)
    reloading = ReloadingServices(settings, interval=0)
    assert reloading.get().catalogue.get("1.777002") is None
    write_portal_record(source, "1.777002", "Đăng ký việc nuôi ong lấy mật")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MOTCUA_CATALOGUE_SOURCE": str(source)}
    env["MOTCUA_IMPORTED_CATALOGUE"] = str(settings.imported_catalogue)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "catalogue", "sync"], env=env, capture_output=True, text=True, check=True
    )
    assert "imported: 2" in done.stdout
    assert reloading.get().index.search("nuôi ong lấy mật").best.code == "1.777002"
    settings.imported_catalogue.write_text("[{broken", encoding="utf-8")
    assert reloading.get().catalogue.get("1.777002") is not None  # a broken file: the last catalogue is kept


def test_a_change_to_the_parser_means_a_new_import(source, tmp_path, monkeypatch):
    out = tmp_path / "out" / "imported.json"
    sync_catalogue(source, out)
    parser = tmp_path / "portal.py"
    parser.write_text("# the parser, improved\n", encoding="utf-8")
    monkeypatch.setattr(sync, "PARSER_FILES", (*sync.PARSER_FILES, parser))
    assert not is_current(source, out)

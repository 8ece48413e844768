"""The SQL dossier store on a SQLite file and on PostgreSQL (a throw-away schema per run)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.catalogue.store import load_procedures
from bot.database import SchemaMismatch
from bot.dossiers.model import Dossier, Status
from bot.dossiers.seed import sample_dossiers
from bot.dossiers.source import SourceUnavailable
from bot.dossiers.sql import SqlDossierStore, schema_version
from bot.settings import CURATED_DIR
from tests.postgres import POSTGRES, scratch_schema

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def samples() -> list[Dossier]:
    return sample_dossiers(load_procedures([CURATED_DIR]), 60, TODAY)


def _sqlite(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'nested' / 'dossiers.db'}"


def _postgres(tmp_path: Path) -> Iterator[str]:
    with scratch_schema("test_dossiers") as url:
        if url is None:
            pytest.skip(f"PostgreSQL unreachable at {POSTGRES}")
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path: Path) -> Iterator[str]:
    yield from {"sqlite": _sqlite, "postgresql": _postgres}[request.param](tmp_path)


@pytest.fixture
def store(url: str) -> Iterator[SqlDossierStore]:
    opened = SqlDossierStore(url)
    yield opened
    opened.close()


def test_saved_dossiers_read_back_equal(store: SqlDossierStore, samples: list[Dossier]) -> None:
    assert store.save(samples) == len(samples)
    for dossier in samples:
        assert store.get(dossier.code) == dossier


def test_an_unknown_code_is_none(store: SqlDossierStore, samples: list[Dossier]) -> None:
    store.save(samples)
    assert store.get("000.00.31.H29-261126-9999") is None


def test_saving_again_replaces_by_code(store: SqlDossierStore, samples: list[Dossier]) -> None:
    store.save(samples)
    changed = replace(samples[0], status=Status.RESULT_RETURNED, completed=TODAY, supplements=())
    assert store.save([changed]) == 1
    assert store.get(changed.code) == changed
    assert store.get(samples[1].code) == samples[1]


def test_the_schema_is_created_once_and_reused(url: str, samples: list[Dossier]) -> None:
    first = SqlDossierStore(url)
    first.save(samples[:3])
    first.close()
    second = SqlDossierStore(url)
    try:
        assert second.get(samples[2].code) == samples[2]
    finally:
        second.close()
    engine = sa.create_engine(url)
    try:
        assert sa.inspect(engine).get_pk_constraint("dossiers")["constrained_columns"] == ["code"]
        with engine.connect() as connection:
            assert connection.execute(sa.select(schema_version.c.version)).scalars().all() == [1]
    finally:
        engine.dispose()


def test_a_database_of_another_schema_version_is_refused(url: str) -> None:
    SqlDossierStore(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(schema_version.update().values(version=99))
    engine.dispose()
    with pytest.raises(SchemaMismatch):
        SqlDossierStore(url)


def test_an_unreachable_database_is_unavailable() -> None:
    with pytest.raises(SourceUnavailable):
        SqlDossierStore("postgresql://postgres@127.0.0.1:1/none?connect_timeout=2")


def test_only_sqlite_and_postgresql_are_supported() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        SqlDossierStore("mysql://root@localhost/motcua")

"""The portal API client against the fake portal (and misbehaving servers) over real sockets."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI, Response

from bot.catalogue.store import load_procedures
from bot.cli import main
from bot.dossiers.fake_api import create_app
from bot.dossiers.http import HttpDossierSource
from bot.dossiers.igate import SEARCH_PATH, dossier_to_json, page
from bot.dossiers.lookup import DossierLookup, LookupLimits, Outcome
from bot.dossiers.model import Dossier
from bot.dossiers.seed import sample_dossiers
from bot.dossiers.source import SourceUnavailable
from bot.dossiers.sql import SqlDossierStore
from bot.ratelimit import InMemoryRateLimiter
from bot.settings import CURATED_DIR, Settings
from tests.servers import free_port, serving

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "test-token-9c1f"
TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def samples() -> list[Dossier]:
    return sample_dossiers(load_procedures([CURATED_DIR]), 60, TODAY)


@pytest.fixture(scope="module")
def portal(tmp_path_factory, samples: list[Dossier]) -> Iterator[str]:
    store = SqlDossierStore(f"sqlite:///{Path(tmp_path_factory.mktemp('portal')) / 'dossiers.db'}")
    store.save(samples)
    with serving(create_app(store, TOKEN)) as url:
        yield url
    store.close()


def test_a_dossier_survives_the_round_trip_through_the_portal_json(portal: str, samples: list[Dossier]) -> None:
    source = HttpDossierSource(portal, TOKEN)
    try:
        for dossier in samples:
            assert source.get(dossier.code) == dossier
    finally:
        source.close()


def test_an_unknown_code_is_not_found(portal: str) -> None:
    source = HttpDossierSource(portal, TOKEN)
    try:
        assert source.get("000.00.31.H29-261126-9999") is None
    finally:
        source.close()


def test_a_refused_token_makes_the_source_unavailable_without_retrying(portal: str) -> None:
    source = HttpDossierSource(portal, "wrong-token", retries=3, backoff=1.0)
    started = time.monotonic()
    try:
        with pytest.raises(SourceUnavailable, match="401"):
            source.get("000.00.31.H29-261126-0001")
    finally:
        source.close()
    assert time.monotonic() - started < 0.9


def test_the_lookup_service_reads_through_the_portal_when_configured(portal: str, samples: list[Dossier]) -> None:
    settings = Settings(dossier_source="http", dossier_api_url=portal, dossier_api_token=TOKEN)
    lookup = DossierLookup.from_settings(settings)
    try:
        result = lookup.lookup("zalo:42", f"tra giúp mã {samples[3].code.lower()}")
    finally:
        lookup.close()
    assert result.outcome is Outcome.FOUND
    assert result.dossier == samples[3]


def _counting_app(behaviour) -> tuple[FastAPI, list[float]]:
    """A portal whose search answer is `behaviour(attempt)`; records when each request arrived."""
    app, calls = FastAPI(), []

    @app.get(SEARCH_PATH)
    def search(code: str):
        calls.append(time.monotonic())
        return behaviour(len(calls))

    return app, calls


def test_a_slow_portal_times_out_after_the_configured_retries() -> None:
    app, calls = _counting_app(lambda attempt: time.sleep(1.5) or page([]))
    with serving(app) as url:
        source = HttpDossierSource(url, TOKEN, timeout=0.3, retries=2, backoff=0.05)
        started = time.monotonic()
        try:
            with pytest.raises(SourceUnavailable, match="3 attempts: ReadTimeout"):
                source.get("000.00.31.H29-261126-0001")
        finally:
            source.close()
        elapsed = time.monotonic() - started
    assert len(calls) == 3
    assert 0.9 <= elapsed < 2.5


def test_server_errors_are_retried_until_an_answer(samples: list[Dossier]) -> None:
    dossier = samples[0]
    app, calls = _counting_app(
        lambda attempt: Response(status_code=503) if attempt < 3 else page([dossier_to_json(dossier)])
    )
    with serving(app) as url:
        source = HttpDossierSource(url, TOKEN, retries=2, backoff=0.01)
        try:
            assert source.get(dossier.code) == dossier
        finally:
            source.close()
    assert len(calls) == 3


def test_only_the_exact_code_is_used_from_a_loose_search_result(samples: list[Dossier]) -> None:
    app, _ = _counting_app(lambda attempt: page([dossier_to_json(samples[1])]))
    with serving(app) as url:
        source = HttpDossierSource(url, TOKEN)
        try:
            assert source.get(samples[0].code) is None
        finally:
            source.close()


@pytest.mark.parametrize("body", [{"unexpected": True}, {"content": [{"code": "000.00.31.H29-261126-0001"}]}])
def test_a_malformed_answer_makes_the_source_unavailable(body: dict) -> None:
    app, _ = _counting_app(lambda attempt: body)
    with serving(app) as url:
        source = HttpDossierSource(url, TOKEN)
        try:
            with pytest.raises(SourceUnavailable, match="unexpected"):
                source.get("000.00.31.H29-261126-0001")
        finally:
            source.close()


def test_a_closed_port_is_unavailable_after_retries() -> None:
    port = free_port()
    source = HttpDossierSource(f"http://127.0.0.1:{port}", TOKEN, retries=1, backoff=0.01)
    lookup = DossierLookup(source, LookupLimits(InMemoryRateLimiter(10)))
    try:
        assert lookup.lookup("c1", "000.00.31.H29-261126-0001").outcome is Outcome.UNAVAILABLE
    finally:
        lookup.close()


def test_the_fake_api_command_serves_the_database(tmp_path: Path, samples: list[Dossier]) -> None:
    url = f"sqlite:///{tmp_path / 'motcua.db'}"
    store = SqlDossierStore(url)
    store.save(samples[:5])
    store.close()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "DOSSIER_API_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "bot", "dossiers", "fake-api", "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    source = HttpDossierSource(f"http://127.0.0.1:{port}", TOKEN, retries=0)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert source.get(samples[4].code) == samples[4]
                break
            except SourceUnavailable:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        source.close()
        server.terminate()
        server.wait(timeout=10)


def test_the_fake_api_command_needs_a_token(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.delenv("DOSSIER_API_TOKEN", raising=False)
    assert main(["dossiers", "fake-api"]) == 2
    assert "DOSSIER_API_TOKEN" in capsys.readouterr().out

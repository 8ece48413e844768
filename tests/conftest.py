"""Shared fixtures: the real curated catalogue and its search index, built once per test session."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from playwright.sync_api import Browser, sync_playwright

from bot import launcher
from bot.dossiers.model import Dossier
from bot.dossiers.seed import sample_dossiers as sample_dossiers_for
from bot.dossiers.sql import SqlDossierStore
from bot.services import Services
from bot.settings import Settings


@pytest.fixture(scope="session")
def services() -> Services:
    return Services.build(Settings.from_env({}))


# MOTCUA_TEST_SLOT (0-3) lets several test runs share a machine: own ports and Redis databases.
SLOT = int(os.environ.get("MOTCUA_TEST_SLOT", "0"))
RASA_REDIS_DB = 4 + 2 * SLOT  # Rasa's trackers; its locks use the next database
GATEWAY_REDIS_URL = f"redis://127.0.0.1:6379/{12 + SLOT}"  # the gateway's state in tests


class Assistant:
    """A running Rasa + action server pair, spoken to through Rasa's gateway channel (with its token)."""

    def __init__(self, rasa_url: str, action_server_url: str, database_url: str, tokens: dict[str, str]) -> None:
        self.rasa_url = rasa_url
        self.database_url = database_url
        self.action_server_url = action_server_url
        self.tokens = tokens  # RASA_TOKEN and ACTION_SERVER_TOKEN, as the gateway's environment has them
        self.url = f"{rasa_url}/webhooks/gateway/webhook?token={tokens['RASA_TOKEN']}"


LOOKUPS_PER_HOUR = 3
# Every test client is 127.0.0.1: per-address limits are lifted, except where a test sets them (test_security).
UNLIMITED_CLIENTS = {
    "CLIENT_MESSAGES_PER_MINUTE": "100000",
    "CLIENT_CONVERSATIONS_PER_HOUR": "100000",
    "CLIENT_LOOKUPS_PER_HOUR": "100000",
    "CLIENT_HANDOFFS_PER_HOUR": "100000",
    "LOOKUPS_PER_MINUTE": "100000",
}


@pytest.fixture(scope="session")
def sample_dossiers(services, tmp_path_factory) -> tuple[str, list[Dossier]]:
    """A fresh SQLite dossier store with the seeded samples: (DATABASE_URL, dossiers)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('dossiers') / 'dossiers.db'}"
    curated = [p for p in services.catalogue if services.catalogue.is_curated(p.code)]
    samples = sample_dossiers_for(curated)
    store = SqlDossierStore(url)
    store.save(samples)
    store.close()
    return url, samples


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, sample_dossiers) -> Iterator[Assistant]:
    """The trained model (trained first if data or config changed) served on spare ports,
    with the sample dossier store, a low lookup limit, and trackers and locks in the real Redis."""
    model = launcher.train()
    ports = launcher.Ports(rasa=5105 + 10 * SLOT, actions=5155 + 10 * SLOT)
    folder = tmp_path_factory.mktemp("assistant")
    tokens = launcher.internal_tokens(Settings.from_env({}))
    env = {"DATABASE_URL": sample_dossiers[0], "DOSSIER_LOOKUPS_PER_HOUR": str(LOOKUPS_PER_HOUR), **tokens}
    env |= UNLIMITED_CLIENTS
    for db in (RASA_REDIS_DB, RASA_REDIS_DB + 1):
        redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()
    endpoints = launcher.endpoints_file(ports, folder, f"redis://127.0.0.1:6379/{RASA_REDIS_DB}")
    processes = launcher.start(model, ports, endpoints, folder, env)
    try:
        launcher.wait_ready(ports, processes, tokens["RASA_TOKEN"])
        urls = f"http://127.0.0.1:{ports.rasa}", f"http://127.0.0.1:{ports.actions}"
        yield Assistant(*urls, sample_dossiers[0], tokens)
    finally:
        launcher.stop(processes)


class Chat:
    """One citizen's conversation through a REST channel (Rasa's or the gateway's): what they say,
    and the bot's last replies and buttons."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sender = f"test-{uuid.uuid4().hex[:10]}"
        self.replies: list[dict] = []

    def send(self, text: str) -> list[dict]:
        """The replies to `text`, possibly none."""
        response = httpx.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        response.raise_for_status()
        self.replies = response.json()
        return self.replies

    def say(self, text: str) -> str:
        """The text of the replies to `text`, which must get some."""
        assert self.send(text), f"no reply to {text!r}"
        return "\n".join(r.get("text", "") for r in self.replies)

    @property
    def buttons(self) -> list[dict]:
        return [b for r in self.replies for b in r.get("buttons", [])]


@pytest.fixture
def chat(assistant) -> Chat:
    return Chat(assistant.url)


@pytest.fixture
def clean_gateway_redis() -> None:
    """An empty Redis database for the gateway's state in this test."""
    redis.Redis.from_url(GATEWAY_REDIS_URL).flushdb()


def gateway_settings(assistant: Assistant, **overrides: str) -> Settings:
    """Gateway settings in front of the test assistant, state in the test Redis database;
    environment variables in `overrides` set channels and limits per test."""
    env = {"RASA_URL": assistant.rasa_url, "ACTION_SERVER_URL": assistant.action_server_url, **assistant.tokens}
    env |= {"REDIS_URL": GATEWAY_REDIS_URL, "DATABASE_URL": assistant.database_url, **UNLIMITED_CLIENTS, **overrides}
    return Settings.from_env(env)


CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright's own browser downloads fail here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium driven by Playwright, one per test module."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run scripts/ensure-chromium.sh (make test does)", pytrace=False
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()

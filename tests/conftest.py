"""Shared fixtures: the real curated catalogue and its search index, built once per test session."""

from collections.abc import Iterator

import httpx
import pytest

from bot import launcher
from bot.services import Services
from bot.settings import Settings


@pytest.fixture(scope="session")
def services() -> Services:
    return Services.build(Settings.from_env({}))


class Assistant:
    """A running Rasa + action server pair, spoken to through Rasa's REST channel."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._client = httpx.Client(timeout=60)

    def say(self, sender: str, message: str) -> list[dict]:
        response = self._client.post(self.url, json={"sender": sender, "message": message})
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Iterator[Assistant]:
    """The trained model (trained first if data or config changed) served on spare ports."""
    model = launcher.train()
    ports = launcher.Ports(rasa=5105, actions=5155)
    folder = tmp_path_factory.mktemp("assistant")
    processes = launcher.start(model, ports, launcher.endpoints_file(ports, folder), folder)
    try:
        launcher.wait_ready(ports, processes)
        yield Assistant(f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook")
    finally:
        launcher.stop(processes)

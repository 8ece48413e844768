"""The gateway's edge in isolation: client addresses behind proxies, host names, surrogates, keyed ids."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from starlette.requests import Request

from bot.gateway.clients import ClientAddresses
from bot.gateway.edge import allowed_hosts, host_name, scrub
from bot.keys import keyed_hash, secret_key
from bot.settings import Settings

KEY = b"k" * 32


def request(peer: str, *forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return Request({"type": "http", "client": (peer, 50000), "headers": headers})


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "client"),
    [
        ([], "203.0.113.9", ["1.2.3.4"], "203.0.113.9"),  # no proxy configured: the header is ignored
        (["10.0.0.0/8"], "203.0.113.9", ["1.2.3.4"], "203.0.113.9"),  # not from a trusted proxy
        (["10.0.0.0/8"], "10.0.0.2", ["1.2.3.4"], "1.2.3.4"),
        (["10.0.0.0/8"], "10.0.0.2", ["6.6.6.6, 1.2.3.4"], "1.2.3.4"),  # the client forged the first hop
        (["10.0.0.0/8"], "10.0.0.2", ["6.6.6.6", "1.2.3.4, 10.0.0.7"], "1.2.3.4"),  # two proxies, two headers
        (["10.0.0.0/8"], "10.0.0.2", ["not-an-ip"], "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", [], "10.0.0.2"),
        (["::1"], "::1", ["2001:db8::5"], "2001:db8::5"),
    ],
)
def test_the_client_address_trusts_forwarding_only_from_configured_proxies(trusted, peer, forwarded, client) -> None:
    assert ClientAddresses(trusted, KEY).address(request(peer, *forwarded)) == client


def test_client_ids_are_keyed_and_stable() -> None:
    addresses = ClientAddresses([], KEY)
    first, again = addresses.client_id(request("203.0.113.9")), addresses.client_id(request("203.0.113.9"))
    assert first == again and first.startswith("addr:") and "203.0.113.9" not in first
    assert ClientAddresses([], b"other" * 8).client_id(request("203.0.113.9")) != first


@pytest.mark.parametrize(
    ("header", "name"),
    [("localhost:8000", "localhost"), ("Example.GOV.vn", "example.gov.vn"), ("[::1]:8000", "::1"), ("::1", "::1")],
)
def test_host_names_lose_port_and_brackets(header: str, name: str) -> None:
    assert host_name(header) == name


def test_allowed_hosts_default_to_localhost_and_the_public_url() -> None:
    assert allowed_hosts(Settings()) == {"localhost", "127.0.0.1", "::1"}
    public = Settings(public_url="https://chat.hochiminhcity.gov.vn")
    assert "chat.hochiminhcity.gov.vn" in allowed_hosts(public)
    assert allowed_hosts(Settings(allowed_hosts=["bot.example.vn"])) == {"bot.example.vn"}


def test_scrub_replaces_lone_surrogates_everywhere_and_keeps_real_characters() -> None:
    value = {"a\ud800": ["x\udfff", {"k": "😀 tiếng Việt"}], "n": 1}
    assert scrub(value) == {"a\ufffd": ["x\ufffd", {"k": "😀 tiếng Việt"}], "n": 1}


def test_the_secret_key_file_is_made_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secret.key"
    first = secret_key(Settings(), path)
    assert secret_key(Settings(), path) == first and len(first) >= 48
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key(Settings(secret_key="configured"), path) == b"configured"
    assert keyed_hash(first, "a", "x") != keyed_hash(first, "b", "x")

"""`python -m bot staff create-admin|create` through `register`."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from bot.handoff import cli
from bot.handoff.records import HandoffRecords

PASSWORD = "mật khẩu đủ dài 2026"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


def _roles(url: str) -> dict[str, str]:
    records = HandoffRecords(url)
    try:
        return {member.username: member.role for member in records.all_staff()}
    finally:
        records.close()


def test_create_admin_for_scripts(database: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    argv = ["staff", "create-admin", "--username", "admin", "--name", "Quản trị", "--password-stdin"]
    assert _run(argv) == 0
    assert "admin account 'admin' (Quản trị) created" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert _run(argv) == 2  # taken
    assert _roles(database) == {"admin": "admin"}


def test_create_an_officer_interactively(database: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    answers = iter(["lan", "Nguyễn Thị Lan"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr(cli, "getpass", lambda prompt: PASSWORD)
    assert _run(["staff", "create"]) == 0
    assert _roles(database) == {"lan": "officer"}


def test_mismatched_or_weak_passwords_create_nothing(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    typed = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr(cli, "getpass", lambda prompt: next(typed))
    assert _run(["staff", "create", "--username", "lan", "--name", "Lan"]) == 2
    monkeypatch.setattr(cli, "getpass", lambda prompt: "ngắn")
    assert _run(["staff", "create", "--username", "lan", "--name", "Lan"]) == 2
    assert _roles(database) == {}

"""Staff accounts (argon2 hashes) and console sessions (expiry, CSRF, failed-login limit)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from bot.handoff.accounts import Accounts, InvalidAccount, NotAllowed
from bot.handoff.records import HandoffRecords, StaffMember, UsernameTaken
from bot.handoff.sessions import (
    FAILURE_WINDOW,
    IDLE_TIMEOUT,
    MAX_ADDRESS_FAILURES,
    MAX_FAILURES,
    LoginFailed,
    LoginLocked,
    Sessions,
)
from tests.test_handoff_records import Clock

PASSWORD = "mật khẩu đủ dài 2026"
FAST = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)  # argon2id, lighter than production's


@pytest.fixture
def records(tmp_path: Path) -> Iterator[HandoffRecords]:
    opened = HandoffRecords(f"sqlite:///{tmp_path / 'accounts.db'}")
    yield opened
    opened.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(records: HandoffRecords, clock: Clock) -> Accounts:
    return Accounts(records, hasher=FAST, clock=clock)


@pytest.fixture
def sessions(records: HandoffRecords, accounts: Accounts, clock: Clock) -> Sessions:
    return Sessions(records, accounts, clock=clock)


@pytest.fixture
def officer(accounts: Accounts) -> StaffMember:
    return accounts.create(" Lan.Nguyen ", "  Nguyễn   Thị Lan ", PASSWORD)


def test_only_an_argon2_hash_is_stored(records: HandoffRecords, officer: StaffMember) -> None:
    assert (officer.username, officer.display_name, officer.role) == ("lan.nguyen", "Nguyễn Thị Lan", "officer")
    _, stored = records.credentials("lan.nguyen")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert records.audit_log()[0].action == "create_staff"


def test_verify_accepts_only_the_right_password_of_an_active_account(
    accounts: Accounts, officer: StaffMember, records: HandoffRecords
) -> None:
    assert accounts.verify("LAN.NGUYEN", PASSWORD) == officer
    assert accounts.verify("lan.nguyen", PASSWORD + "x") is None
    assert accounts.verify("nobody", PASSWORD) is None
    admin = accounts.create("admin", "Quản trị", PASSWORD, role="admin")
    assert accounts.deactivate(officer.id, by=admin)
    assert accounts.verify("lan.nguyen", PASSWORD) is None


def test_accounts_are_validated(accounts: Accounts, officer: StaffMember) -> None:
    for username, name, password in (
        ("a", "Tên", PASSWORD),
        ("có dấu", "Tên", PASSWORD),
        ("hoa", "", PASSWORD),
        ("hoa", "Tên", "ngắn"),
        ("hoa", "Tên", "hoa-1234567890"),
    ):
        with pytest.raises(InvalidAccount):
            accounts.create(username, name, password)
    with pytest.raises(InvalidAccount):
        accounts.create("hoa", "Tên", PASSWORD, role="root")
    with pytest.raises(UsernameTaken):
        accounts.create("lan.nguyen", "Lan khác", PASSWORD)


def test_only_admins_create_and_deactivate_staff(accounts: Accounts, officer: StaffMember) -> None:
    with pytest.raises(NotAllowed):
        accounts.create("minh", "Minh", PASSWORD, by=officer)
    admin = accounts.create("admin", "Quản trị", PASSWORD, role="admin")
    minh = accounts.create("minh", "Minh", PASSWORD, by=admin)
    with pytest.raises(NotAllowed):
        accounts.deactivate(minh.id, by=officer)
    with pytest.raises(NotAllowed):
        accounts.deactivate(admin.id, by=admin)
    assert [member.username for member in accounts.staff()] == ["minh", "lan.nguyen", "admin"]


def test_an_old_hash_is_replaced_on_login(records: HandoffRecords, clock: Clock) -> None:
    weak = Accounts(records, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1), clock=clock)
    member = weak.create("lan", "Lan", PASSWORD)
    old = records.credentials("lan")[1]
    assert Accounts(records, hasher=FAST, clock=clock).verify("lan", PASSWORD) == member
    new = records.credentials("lan")[1]
    assert new != old and not FAST.check_needs_rehash(new) and FAST.verify(new, PASSWORD)


def test_changing_a_password_needs_the_old_one(accounts: Accounts, officer: StaffMember) -> None:
    assert not accounts.change_password(officer, "sai mật khẩu rồi", "mật khẩu mới 2027")
    with pytest.raises(InvalidAccount):
        accounts.change_password(officer, PASSWORD, "ngắn")
    assert accounts.change_password(officer, PASSWORD, "mật khẩu mới 2027")
    assert accounts.verify("lan.nguyen", "mật khẩu mới 2027") == officer


def test_a_session_resolves_until_logout(sessions: Sessions, officer: StaffMember, records: HandoffRecords) -> None:
    session = sessions.login("lan.nguyen", PASSWORD, "10.0.0.1")
    assert len(session.token) >= 43 and records.session(session.token) is None  # stored hashed
    resolved = sessions.resolve(session.token)
    assert resolved.staff == officer and resolved.csrf_token == session.csrf_token
    assert sessions.resolve("not-a-token") is None and sessions.resolve("") is None
    sessions.logout(session.token)
    assert sessions.resolve(session.token) is None
    assert [entry.action for entry in records.audit_log()][:2] == ["logout", "login"]


def test_the_csrf_token_must_match(sessions: Sessions, officer: StaffMember) -> None:
    session = sessions.login("lan.nguyen", PASSWORD, "10.0.0.1")
    other = sessions.login("lan.nguyen", PASSWORD, "10.0.0.2")
    assert sessions.check_csrf(session, session.csrf_token)
    assert not sessions.check_csrf(session, other.csrf_token)
    assert not sessions.check_csrf(session, "")
    assert not sessions.check_csrf(session, None)


def test_a_session_expires_after_idling(sessions: Sessions, officer: StaffMember, clock: Clock) -> None:
    session = sessions.login("lan.nguyen", PASSWORD, "10.0.0.1")
    clock.advance(hours=11)
    assert sessions.resolve(session.token) is not None  # and its idle time restarts
    clock.advance(hours=11)
    assert sessions.resolve(session.token).expires_at == clock.now + IDLE_TIMEOUT
    clock.advance(hours=12)
    assert sessions.resolve(session.token) is None


def test_deactivating_an_account_ends_its_sessions(
    sessions: Sessions, accounts: Accounts, officer: StaffMember
) -> None:
    session = sessions.login("lan.nguyen", PASSWORD, "10.0.0.1")
    admin = accounts.create("admin", "Quản trị", PASSWORD, role="admin")
    accounts.deactivate(officer.id, by=admin)
    assert sessions.resolve(session.token) is None


def test_repeated_failures_lock_the_username_from_that_address_for_a_while(
    sessions: Sessions, officer: StaffMember, clock: Clock
) -> None:
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(LoginFailed, match="không đúng"):
            sessions.login("lan.nguyen", "sai mật khẩu", "10.0.0.66")
    with pytest.raises(LoginLocked, match="thử lại sau 15 phút"):
        sessions.login("lan.nguyen", "sai mật khẩu", "10.0.0.66")
    clock.advance(minutes=5)
    with pytest.raises(LoginLocked, match="thử lại sau 10 phút"):
        sessions.login("lan.nguyen", PASSWORD, "10.0.0.66")  # even the right password, from that address
    # the officer at her own desk is not locked out by someone guessing elsewhere
    assert sessions.login("lan.nguyen", PASSWORD, "10.0.0.1").staff == officer
    clock.advance(seconds=(FAILURE_WINDOW - FAILURE_WINDOW / 3).total_seconds())
    assert sessions.login("lan.nguyen", PASSWORD, "10.0.0.66").staff == officer


def test_an_attack_on_one_username_from_many_addresses_never_locks_the_right_password_out(
    sessions: Sessions, officer: StaffMember
) -> None:
    for address in range(40):
        for _ in range(MAX_FAILURES):
            with pytest.raises((LoginFailed, LoginLocked)):
                sessions.login("lan.nguyen", "sai mật khẩu", f"203.0.113.{address}")
    assert sessions.login("lan.nguyen", PASSWORD, "10.0.0.1").staff == officer


def test_repeated_failures_lock_the_address(sessions: Sessions, accounts: Accounts, officer: StaffMember) -> None:
    for attempt in range(MAX_ADDRESS_FAILURES - 1):
        with pytest.raises(LoginFailed):
            sessions.login(f"guess{attempt}", "sai mật khẩu", "10.0.0.66")
    with pytest.raises(LoginLocked):
        sessions.login("guess-last", "sai mật khẩu", "10.0.0.66")
    with pytest.raises(LoginLocked):
        sessions.login("lan.nguyen", PASSWORD, "10.0.0.66")
    assert sessions.login("lan.nguyen", PASSWORD, "10.0.0.1").staff == officer

"""Staff accounts of the handoff console: officers and admins, passwords hashed with argon2id.

Only the hash is stored. Verifying an unknown username still runs one argon2 verification, so the answer
takes as long whether or not the account exists; a hash made with older parameters is replaced on login.
Errors carry Vietnamese messages for the console and the command line.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.handoff.records import ROLES, HandoffRecords, StaffMember, utc_now

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,31}")
MIN_PASSWORD_LENGTH = 10
MAX_DISPLAY_NAME = 80


class NotAllowed(PermissionError):
    """This staff member may not do that."""


class InvalidAccount(ValueError):
    """A username, display name or password that cannot be accepted."""


def require_admin(member: StaffMember) -> None:
    if not member.is_admin:
        raise NotAllowed("Chỉ quản trị viên được thực hiện thao tác này.")


def normalise_username(username: str) -> str:
    return username.strip().lower()


class Accounts:
    """Creating, checking and retiring staff accounts."""

    def __init__(
        self,
        records: HandoffRecords,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._records = records
        self._hasher = hasher or PasswordHasher()
        self._clock = clock
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))  # verified when no account matches

    def create(
        self, username: str, display_name: str, password: str, role: str = "officer", by: StaffMember | None = None
    ) -> StaffMember:
        """A new active account; `by` is the admin creating it (None only from the trusted command line).
        Raises InvalidAccount, UsernameTaken or NotAllowed."""
        if by is not None:
            require_admin(by)
        username, display_name = normalise_username(username), " ".join(display_name.split())
        _check(username, display_name, password, role)
        now = self._clock()
        member = self._records.add_staff(username, display_name, self._hasher.hash(password), role, now)
        self._records.add_audit(by.id if by else None, "create_staff", now, detail=f"{member.username} ({role})")
        return member

    def verify(self, username: str, password: str) -> StaffMember | None:
        """The active account these credentials open; None otherwise."""
        found = self._records.credentials(normalise_username(username))
        if found is None:
            self._matches(self._dummy_hash, password)
            return None
        member, password_hash = found
        if not self._matches(password_hash, password) or not member.active:
            return None
        if self._hasher.check_needs_rehash(password_hash):
            self._records.set_password_hash(member.id, self._hasher.hash(password))
        return member

    def change_password(self, member: StaffMember, old: str, new: str) -> bool:
        """The staff member's own change; False when `old` is wrong. Raises InvalidAccount for a weak `new`."""
        if self.verify(member.username, old) is None:
            return False
        _check_password(new, member.username)
        self._records.set_password_hash(member.id, self._hasher.hash(new))
        self._records.add_audit(member.id, "change_password", self._clock())
        return True

    def deactivate(self, staff_id: int, by: StaffMember) -> bool:
        """An admin retires an account (its sessions end at once); False for an unknown id."""
        require_admin(by)
        if staff_id == by.id:
            raise NotAllowed("Quản trị viên không thể tự khóa tài khoản của mình.")
        done = self._records.deactivate_staff(staff_id)
        if done:
            self._records.add_audit(by.id, "deactivate_staff", self._clock(), detail=str(staff_id))
        return done

    def staff(self) -> list[StaffMember]:
        return self._records.all_staff()

    def _matches(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def _check(username: str, display_name: str, password: str, role: str) -> None:
    if not USERNAME.fullmatch(username):
        raise InvalidAccount(
            "Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới."
        )
    if not display_name or len(display_name) > MAX_DISPLAY_NAME:
        raise InvalidAccount(f"Tên hiển thị không được để trống và không dài quá {MAX_DISPLAY_NAME} ký tự.")
    if role not in ROLES:
        raise InvalidAccount(f"Vai trò phải là một trong: {', '.join(ROLES)}.")
    _check_password(password, username)


def _check_password(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidAccount(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    if username in password.lower():
        raise InvalidAccount("Mật khẩu không được chứa tên đăng nhập.")

"""Staff login sessions for the console: opaque tokens, CSRF tokens, and a limit on failed logins.

The session token (the cookie value) is `secrets.token_urlsafe(32)`; only its SHA-256 is stored, so a copy
of the database opens no session. A session ends after IDLE_TIMEOUT without a request, at logout, or when
the account is deactivated. Each session has a CSRF token for the console's forms and POSTs.

Failed logins are counted in SQL (shared by processes, kept across restarts). MAX_FAILURES within
FAILURE_WINDOW for one username from one address lock that username from that address, and
MAX_ADDRESS_FAILURES from one address lock the address, until the oldest failure leaves the window. A
username is never locked as a whole: an attacker guessing an officer's password cannot keep the officer,
at another address, from logging in with the right one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from bot.handoff.accounts import Accounts, normalise_username
from bot.handoff.records import HandoffRecords, StaffMember, StoredSession, utc_now

IDLE_TIMEOUT = timedelta(hours=12)
MAX_FAILURES = 5  # for one username from one address
MAX_ADDRESS_FAILURES = 20  # from one address, whatever the usernames
FAILURE_WINDOW = timedelta(minutes=15)
TOUCH_EVERY = timedelta(minutes=1)  # how stale `last_seen` may get before a request rewrites it


class LoginFailed(Exception):
    def __init__(self) -> None:
        super().__init__("Tên đăng nhập hoặc mật khẩu không đúng.")


class LoginLocked(Exception):
    def __init__(self, retry_after: timedelta) -> None:
        self.retry_after = retry_after
        minutes = max(1, ceil(retry_after.total_seconds() / 60))
        super().__init__(f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút.")


@dataclass(frozen=True)
class Session:
    token: str  # the cookie value
    staff: StaffMember
    csrf_token: str
    expires_at: datetime  # if idle until then


class Sessions:
    """Logging staff in and out, and recognising them on each console request."""

    def __init__(
        self,
        records: HandoffRecords,
        accounts: Accounts,
        clock: Callable[[], datetime] = utc_now,
        idle_timeout: timedelta = IDLE_TIMEOUT,
    ) -> None:
        self._records, self._accounts, self._clock, self._idle = records, accounts, clock, idle_timeout

    def login(self, username: str, password: str, client_ip: str) -> Session:
        """A new session; raises LoginLocked after too many failures, LoginFailed on wrong credentials."""
        username, now = normalise_username(username), self._clock()
        self._check_lock(username, client_ip, now)
        member = self._accounts.verify(username, password)
        if member is None:
            self._records.add_login_failure(username, client_ip, now)
            self._check_lock(username, client_ip, now)
            raise LoginFailed
        self._records.clear_login_failures(username, client_ip)
        self._records.delete_sessions_idle_since(now - self._idle)
        token, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        self._records.add_session(StoredSession(_digest(token), member.id, csrf_token, client_ip, now, now))
        self._records.add_audit(member.id, "login", now, detail=client_ip)
        return Session(token, member, csrf_token, now + self._idle)

    def logout(self, token: str) -> None:
        stored = self._records.session(_digest(token))
        if stored is not None:
            self._records.delete_session(stored.token_hash)
            self._records.add_audit(stored.staff_id, "logout", self._clock())

    def resolve(self, token: str) -> Session | None:
        """The live session of this token (its idle time restarts); None when unknown, expired or deactivated."""
        if not token:
            return None
        stored, now = self._records.session(_digest(token)), self._clock()
        if stored is None:
            return None
        member = self._records.staff_member(stored.staff_id)
        if now - stored.last_seen >= self._idle or member is None or not member.active:
            self._records.delete_session(stored.token_hash)
            return None
        last_seen = stored.last_seen
        if now - last_seen >= TOUCH_EVERY:
            self._records.touch_session(stored.token_hash, now)
            last_seen = now
        return Session(token, member, stored.csrf_token, last_seen + self._idle)

    def check_csrf(self, session: Session, token: str | None) -> bool:
        """True when a request carries its session's CSRF token (compared in constant time)."""
        return bool(token) and hmac.compare_digest(session.csrf_token.encode(), token.encode())

    def _check_lock(self, username: str, client_ip: str, now: datetime) -> None:
        since = now - FAILURE_WINDOW
        for failures, limit in (
            (self._records.failed_logins(since, username=username, client_ip=client_ip), MAX_FAILURES),
            (self._records.failed_logins(since, client_ip=client_ip), MAX_ADDRESS_FAILURES),
        ):
            if len(failures) >= limit:
                unlocks = sorted(failures)[len(failures) - limit] + FAILURE_WINDOW
                raise LoginLocked(unlocks - now)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

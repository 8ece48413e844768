"""Looking up a dossier for a conversation: read the code, limit the rate, ask the source, log the outcome.

Independent of Rasa: actions, the gateway and tests call `DossierLookup.lookup` and render the
result with `bot.dossiers.replies`.

Anti-enumeration: a lookup must pass three sliding-window limits (`LookupLimits`): the deployment's
LOOKUPS_PER_MINUTE, the client address's CLIENT_LOOKUPS_PER_HOUR (the gateway passes a keyed hash of it, so
new conversations from one address share it) and the conversation's DOSSIER_LOOKUPS_PER_HOUR. They are
counted in Redis when REDIS_URL is set (shared by every process), else in this process. Text without a
valid code is not counted; it reaches no source. A code that is not found says only that: whether a
neighbouring code exists is never hinted, since that would itself enumerate codes. Every lookup is logged to
"motcua.dossiers.lookups" with the conversation id hashed, the outcome, and only the office and date
parts of the code: never the sequence, names or phones.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum

import redis

from bot.dossiers.codes import DossierCode, MalformedCode, Problem, read_code
from bot.dossiers.model import Dossier
from bot.dossiers.privacy import phone_ends_with
from bot.dossiers.source import DossierSource, SourceUnavailable
from bot.dossiers.workdays import today_in_vietnam
from bot.ratelimit import InMemoryRateLimiter, RateLimiter, RateLimiterUnavailable, RedisRateLimiter
from bot.settings import Settings

log = logging.getLogger("motcua.dossiers.lookups")


class Outcome(str, Enum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    MALFORMED = "malformed"
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class LookupResult:
    """What a lookup found. `today` is the Vietnam date the lookup ran, for deadline wording."""

    outcome: Outcome
    today: date
    code: DossierCode | None = None
    dossier: Dossier | None = None
    problem: Problem | None = None  # why the text is not a code (malformed)
    fragment: str = ""  # the part of the text that looked like a code (malformed)
    retry_after: float = 0.0  # seconds until the next lookup is allowed (rate limited)
    full_details: bool = False  # the phone check passed: the full name and the whole log may be shown
    phone_check_offered: bool = False  # the deployment lets a phone check unlock full details


def open_source(settings: Settings) -> DossierSource:
    """The dossier source the settings name."""
    if settings.dossier_source == "http":
        from bot.dossiers.http import HttpDossierSource

        return HttpDossierSource.from_settings(settings)
    from bot.dossiers.sql import SqlDossierStore

    return SqlDossierStore(settings.database_url)


def conversation_key(conversation_id: str) -> str:
    """A stable, non-reversible stand-in for a conversation id in logs and rate-limit keys."""
    return hashlib.sha256(f"motcua-dossier-lookup:{conversation_id}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LookupLimits:
    """The limits a lookup must pass, in order: the deployment's, the client's, the conversation's."""

    conversation: RateLimiter
    client: RateLimiter | None = None
    overall: RateLimiter | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> LookupLimits:
        """The configured limits: in Redis when REDIS_URL is set, otherwise in this process."""
        hour, minute = 3600, 60
        limits = {
            "conversation": (settings.dossier_lookups_per_hour, hour),
            "client": (settings.client_lookups_per_hour, hour),
            "overall": (settings.lookups_per_minute, minute),
        }
        if not settings.redis_url:
            return cls(**{name: InMemoryRateLimiter(limit, window) for name, (limit, window) in limits.items()})
        client = redis.Redis.from_url(settings.redis_url, socket_timeout=2)
        prefix = "motcua:ratelimit:lookup:{}:"
        return cls(
            **{
                name: RedisRateLimiter(client, limit, window, prefix=prefix.format(name))
                for name, (limit, window) in limits.items()
            }
        )

    def wait(self, conversation_key: str, client_key: str, known: bool = False) -> float:
        """0 when every limit lets the lookup through (each counts it); else the seconds to wait. Reading again a
        dossier the conversation has found (`known`) guesses nothing: only the deployment's limit counts it."""
        limits = [(self.overall, "all")]
        if not known:
            limits += [(self.client, client_key), (self.conversation, conversation_key)]
        for limiter, key in limits:
            if limiter is not None and (seconds := limiter.try_acquire(key)) > 0:
                return seconds
        return 0.0


class DossierLookup:
    """The dossier lookup service."""

    def __init__(
        self,
        source: DossierSource,
        limits: LookupLimits,
        *,
        full_details_with_phone: bool = False,
        today: Callable[[], date] = today_in_vietnam,
    ) -> None:
        self._source = source
        self._limits = limits
        self._full_details_with_phone = full_details_with_phone
        self._today = today

    @classmethod
    def from_settings(cls, settings: Settings) -> DossierLookup:
        """The configured service."""
        return cls(
            open_source(settings),
            LookupLimits.from_settings(settings),
            full_details_with_phone=settings.dossier_full_details_with_phone,
        )

    def lookup(
        self,
        conversation_id: str,
        text_or_code: str,
        phone_last4: str | None = None,
        client: str = "",
        known: bool = False,
    ) -> LookupResult:
        """Look up the first dossier code in `text_or_code` for this conversation, asked from `client`
        (the gateway's id of the caller's address; the conversation itself when unknown). `known`: the
        conversation found this dossier before (a follow-up reads it again), so no guess is counted."""
        key = conversation_key(conversation_id)
        client_key = conversation_key(client) if client else key
        result = self._lookup(key, client_key, text_or_code, phone_last4, known)
        _log(key, result)
        return result

    def close(self) -> None:
        self._source.close()

    def _lookup(self, key: str, client_key: str, text: str, phone_last4: str | None, known: bool) -> LookupResult:
        today = self._today()
        try:
            code = read_code(text)
        except MalformedCode as exc:
            return LookupResult(Outcome.MALFORMED, today, problem=exc.problem, fragment=exc.fragment)
        try:
            wait = self._limits.wait(key, client_key, known)
            if wait > 0:
                return LookupResult(Outcome.RATE_LIMITED, today, code, retry_after=wait)
            dossier = self._source.get(code.code)
            if dossier is None:
                return LookupResult(Outcome.NOT_FOUND, today, code)
        except (SourceUnavailable, RateLimiterUnavailable) as exc:
            log.warning("dossier lookup failed: %s", exc)
            return LookupResult(Outcome.UNAVAILABLE, today, code)
        full = (
            self._full_details_with_phone
            and phone_last4 is not None
            and phone_ends_with(dossier.applicant.phone, phone_last4)
        )
        return LookupResult(
            Outcome.FOUND,
            today,
            code,
            dossier,
            full_details=full,
            phone_check_offered=self._full_details_with_phone,
        )


def _log(key: str, result: LookupResult) -> None:
    code = result.code
    log.info(
        "dossier lookup conversation=%s outcome=%s office=%s date=%s",
        key,
        result.outcome.value,
        code.office if code else "-",
        code.date_part if code else "-",
    )

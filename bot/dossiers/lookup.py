"""Looking up a dossier for a conversation: read the code, limit the rate, ask the source, log the outcome.

Independent of Rasa: actions, the gateway and tests call `DossierLookup.lookup` and render the
result with `bot.dossiers.replies`.

Anti-enumeration: each conversation may look up at most DOSSIER_LOOKUPS_PER_HOUR well-formed codes in
any hour (text without a valid code is not counted; it reaches no source). Every lookup is logged to
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

from bot.dossiers.codes import DossierCode, MalformedCode, Problem, read_code
from bot.dossiers.model import Dossier
from bot.dossiers.privacy import phone_ends_with
from bot.dossiers.ratelimit import InMemoryRateLimiter, RateLimiter, RateLimiterUnavailable
from bot.dossiers.source import DossierSource, SourceUnavailable
from bot.dossiers.workdays import today_in_vietnam
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
    maybe_typo: bool = False  # not found, but a code one character off exists
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


class DossierLookup:
    """The dossier lookup service."""

    def __init__(
        self,
        source: DossierSource,
        limiter: RateLimiter,
        *,
        full_details_with_phone: bool = False,
        today: Callable[[], date] = today_in_vietnam,
    ) -> None:
        self._source = source
        self._limiter = limiter
        self._full_details_with_phone = full_details_with_phone
        self._today = today

    @classmethod
    def from_settings(cls, settings: Settings, limiter: RateLimiter | None = None) -> DossierLookup:
        """The configured service; the rate limit is per process unless a shared `limiter` is given."""
        return cls(
            open_source(settings),
            limiter or InMemoryRateLimiter(settings.dossier_lookups_per_hour),
            full_details_with_phone=settings.dossier_full_details_with_phone,
        )

    def lookup(self, conversation_id: str, text_or_code: str, phone_last4: str | None = None) -> LookupResult:
        """Look up the first dossier code in `text_or_code` for this conversation."""
        key = conversation_key(conversation_id)
        result = self._lookup(key, text_or_code, phone_last4)
        _log(key, result)
        return result

    def close(self) -> None:
        self._source.close()

    def _lookup(self, key: str, text: str, phone_last4: str | None) -> LookupResult:
        today = self._today()
        try:
            code = read_code(text)
        except MalformedCode as exc:
            return LookupResult(Outcome.MALFORMED, today, problem=exc.problem, fragment=exc.fragment)
        try:
            wait = self._limiter.try_acquire(key)
            if wait > 0:
                return LookupResult(Outcome.RATE_LIMITED, today, code, retry_after=wait)
            dossier = self._source.get(code.code)
            if dossier is None:
                return LookupResult(Outcome.NOT_FOUND, today, code, maybe_typo=self._source.codes_similar_to(code.code))
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
        "dossier lookup conversation=%s outcome=%s office=%s date=%s maybe_typo=%s",
        key,
        result.outcome.value,
        code.office if code else "-",
        code.date_part if code else "-",
        result.maybe_typo,
    )

"""Turns of a dossier-status check: read the code from the citizen's words, look it up, reply."""

from __future__ import annotations

import re

from bot.dossiers.codes import CODE_IN_TEXT_PATTERN, MalformedCode, read_code
from bot.dossiers.lookup import DossierLookup, LookupResult, Outcome
from bot.dossiers.replies import lookup_replies
from bot.dossiers.workdays import today_in_vietnam
from bot.messages import Reply

_CODE = re.compile(CODE_IN_TEXT_PATTERN)
_LAST4 = re.compile(r"(?<![\d.\-])\d{4}(?![\d.\-])")


def code_from(text: str) -> tuple[str | None, list[Reply]]:
    """The normalised code in the citizen's message, or the replies explaining what a code looks like."""
    try:
        return read_code(text).code, []
    except MalformedCode as problem:
        result = LookupResult(Outcome.MALFORMED, today_in_vietnam(), problem=problem.problem, fragment=problem.fragment)
        return None, lookup_replies(result)


CLIENT_KEY = "client"  # in a turn's metadata: the gateway's keyed id of the caller's address


def phone_last4(text: str) -> str | None:
    """Four digits sent beside the code: the end of the applicant's phone number, for full details."""
    match = _LAST4.search(_CODE.sub(" ", text))
    return match.group() if match else None


def check(lookup: DossierLookup, conversation_id: str, code: str, text: str, client: str = "") -> list[Reply]:
    """Look the dossier up (rate-limited and logged by the lookup service) and say what was found."""
    return lookup_replies(lookup.lookup(conversation_id, code, phone_last4(text), client))

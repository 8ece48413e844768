"""Turns of a dossier-status check: read the code from the citizen's words, look it up, reply."""

from __future__ import annotations

import re

from bot.catalogue.answers import Aspect
from bot.dossiers.codes import CODE_IN_TEXT_PATTERN, MalformedCode, Problem, read_code
from bot.dossiers.follow_up import follow_up_replies
from bot.dossiers.lookup import DossierLookup, LookupResult, Outcome
from bot.dossiers.model import Dossier
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


TOPIC_DOSSIER = "dossier"  # the `topic` slot after a dossier was found: follow-ups are about it
# What a follow-up can ask of the dossier itself; other aspects (fee, steps…) are about its procedure.
DOSSIER_ASPECTS = frozenset({Aspect.OVERVIEW, Aspect.AGENCY, Aspect.TIME, Aspect.DOCUMENTS})


def has_code(text: str) -> bool:
    """Whether the message holds a code, or something meant as one (a malformed code is explained, not ignored)."""
    try:
        read_code(text)
    except MalformedCode as problem:
        return problem.problem is not Problem.MISSING
    return True


CLIENT_KEY = "client"  # in a turn's metadata: the gateway's keyed id of the caller's address


def phone_last4(text: str) -> str | None:
    """Four digits sent beside the code: the end of the applicant's phone number, for full details."""
    match = _LAST4.search(_CODE.sub(" ", text))
    return match.group() if match else None


def check(
    lookup: DossierLookup, conversation_id: str, code: str, text: str, client: str = ""
) -> tuple[list[Reply], Dossier | None]:
    """Look the dossier up (rate-limited and logged by the lookup service): what to say, and the dossier
    found (None when none was), which answers the follow-ups."""
    result = lookup.lookup(conversation_id, code, phone_last4(text), client)
    return lookup_replies(result), result.dossier if result.outcome is Outcome.FOUND else None


def follow_up(lookup: DossierLookup, conversation_id: str, code: str, aspect: Aspect, client: str = "") -> list[Reply]:
    """A question about the dossier found last ("lên đâu lấy kết quả"), answered from its current record."""
    return follow_up_replies(lookup.lookup(conversation_id, code, None, client, known=True), aspect)

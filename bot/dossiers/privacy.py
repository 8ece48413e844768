"""What of an applicant may be shown: a masked name, never the phone, no ID numbers at all.

A citizen who gives the last four digits of the registered phone may see the full name, when the
deployment enables it (DOSSIER_FULL_DETAILS_WITH_PHONE). The lookup rate limit bounds guessing.
"""

from __future__ import annotations

import hmac
import re

from bot.text.normalize import nfc

_MASK = "**"


def mask_name(full_name: str) -> str:
    """Keep the family name's first word, reduce the others to an initial: "Nguyễn Văn An" → "Nguyễn V** A**".

    A one-word name is reduced to its initial too.
    """
    words = nfc(full_name).split()
    if not words:
        return ""
    kept = words[:1] if len(words) > 1 else []
    return " ".join(kept + [f"{word[0]}{_MASK}" for word in words[len(kept) :]])


def phone_digits(phone: str) -> str:
    """The digits of a phone number, "+84 903 123 456" → "0903123456"."""
    digits = re.sub(r"\D", "", phone)
    return f"0{digits[2:]}" if phone.strip().startswith("+84") else digits


def phone_ends_with(phone: str | None, last_four: str) -> bool:
    """Whether the phone's last four digits are `last_four` (a constant-time comparison)."""
    given = re.sub(r"\D", "", last_four)
    if not phone or len(given) != 4:
        return False
    return hmac.compare_digest(phone_digits(phone)[-4:], given)

"""The deployment's secret key, and keyed hashes made with it.

The key turns secrets and personal identifiers into stable, non-reversible ids: a widget session becomes
its conversation id (staff never see the session), a client address becomes a rate-limit key. It is
`SECRET_KEY` when set (several gateway processes must share it); otherwise `var/secret.key`, created once
with owner-only permissions, so ids stay the same across restarts of one machine.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from bot.settings import PROJECT_ROOT, Settings

KEY_FILE = PROJECT_ROOT / "var" / "secret.key"


def secret_key(settings: Settings, key_file: Path = KEY_FILE) -> bytes:
    """The configured key, or the machine's key file (created on first use)."""
    if settings.secret_key:
        return settings.secret_key.encode()
    try:
        return key_file.read_bytes().strip()
    except FileNotFoundError:
        pass
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fresh = secrets.token_urlsafe(48).encode()
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return key_file.read_bytes().strip()
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(fresh)
    return fresh


def keyed_hash(key: bytes, purpose: str, value: str, length: int = 22) -> str:
    """A URL-safe HMAC-SHA256 of `value` for one `purpose` (distinct purposes never share ids)."""
    digest = hmac.new(key, f"{purpose}\x00{value}".encode("utf-8", "replace"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:length]

"""The Zalo OA access token: kept in the gateway's state and refreshed with the single-use refresh token
before it expires, so that a restart never loses the latest refresh token."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from dataclasses import asdict, dataclass

import httpx

from bot.gateway.state import StateStore
from bot.settings import Settings

log = logging.getLogger(__name__)

KEY = "zalo:token"
REFRESH_MARGIN = 600.0  # seconds of validity left when the token is renewed
FAILED_REFRESH_PAUSE = 60.0  # seconds before trying again after a failed refresh
DEFAULT_LIFETIME = 3600  # seconds, when Zalo's `expires_in` is missing or unreadable


@dataclass(frozen=True)
class Token:
    access_token: str
    refresh_token: str
    expires_at: float  # epoch seconds; 0 when unknown (a token from the environment)
    seed: str = ""  # fingerprint of the environment's refresh token this chain started from

    def due(self, now: float) -> bool:
        return self.expires_at - now < REFRESH_MARGIN


def fingerprint(refresh_token: str) -> str:
    return hashlib.sha256(refresh_token.encode()).hexdigest()[:16] if refresh_token else ""


def lifetime(expires_in: object) -> int:
    """Zalo's `expires_in` in seconds (it may come as a string)."""
    try:
        return int(float(str(expires_in)))
    except ValueError:
        return DEFAULT_LIFETIME


class ZaloTokens:
    """Hands out a valid OA access token; one refresh at a time, each new token persisted at once."""

    def __init__(self, settings: Settings, state: StateStore, http: httpx.AsyncClient) -> None:
        self.settings = settings
        self.state = state
        self.http = http
        self._lock = asyncio.Lock()
        self._paused_until = 0.0

    async def current(self) -> Token:
        """The stored token; seeded from ZALO_ACCESS_TOKEN/ZALO_REFRESH_TOKEN when nothing is stored
        or when those were changed since (a new authorisation)."""
        seed = fingerprint(self.settings.zalo_refresh_token)
        stored = await self.state.get(KEY)
        if stored and (not seed or stored.get("seed") == seed):
            return Token(**stored)
        token = Token(self.settings.zalo_access_token, self.settings.zalo_refresh_token, 0.0, seed)
        await self.state.put(KEY, asdict(token))
        return token

    async def access_token(self) -> str:
        """A token with more than REFRESH_MARGIN left when it can be had; otherwise the best there is."""
        token = await self.current()
        if token.due(time.time()):
            token = await self.refresh(token.access_token)
        return token.access_token

    async def refresh(self, stale: str) -> Token:
        """Replace the access token `stale` (expiring, or refused by Zalo), unless someone already did."""
        async with self._lock:
            token = await self.current()
            if token.access_token != stale and not token.due(time.time()):
                return token
            if time.monotonic() < self._paused_until or not token.refresh_token:
                return token
            renewed = await self._exchange(token)
            if renewed is None:
                self._paused_until = time.monotonic() + FAILED_REFRESH_PAUSE
                return await self.current()  # another gateway process may have renewed it meanwhile
            await self.state.put(KEY, asdict(renewed))
            log.info("Zalo access token refreshed, valid until %s", time.ctime(renewed.expires_at))
            return renewed

    async def _exchange(self, token: Token) -> Token | None:
        """POST the refresh token to Zalo's OAuth server; the new pair, or None (logged)."""
        try:
            response = await self.http.post(
                f"{self.settings.zalo_oauth_url}/v4/oa/access_token",
                headers={"secret_key": self.settings.zalo_app_secret},
                data={
                    "refresh_token": token.refresh_token,
                    "app_id": self.settings.zalo_app_id,
                    "grant_type": "refresh_token",
                },
            )
            answer = response.json()
        except (httpx.HTTPError, ValueError) as error:
            log.warning("Zalo token refresh failed: %s: %s", type(error).__name__, error)
            return None
        if not isinstance(answer, dict) or not answer.get("access_token") or not answer.get("refresh_token"):
            log.error("Zalo refused the token refresh (%s); a new ZALO_REFRESH_TOKEN may be needed", answer)
            return None
        expires_at = time.time() + lifetime(answer.get("expires_in"))
        return Token(str(answer["access_token"]), str(answer["refresh_token"]), expires_at, token.seed)

    async def keep_fresh(self) -> None:
        """Refresh ahead of expiry in the background, so citizens' replies never wait for it."""
        while True:
            try:
                await self.access_token()
                token = await self.current()
                delay = token.expires_at - REFRESH_MARGIN - time.time()
            except Exception:  # keep the loop alive whatever one pass meets; it is logged
                log.exception("keeping the Zalo access token fresh failed")
                delay = FAILED_REFRESH_PAUSE
            await asyncio.sleep(max(delay, FAILED_REFRESH_PAUSE))

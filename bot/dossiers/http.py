"""Dossiers from the provincial one-stop-shop's lookup API over HTTP (shape: `bot.dossiers.igate`).

`GET {DOSSIER_API_URL}/pa/dossier-search/dvc?code=…` with `Authorization: Bearer {DOSSIER_API_TOKEN}`.
Timeouts, connection errors and 5xx answers are retried DOSSIER_API_RETRIES times with a short
backoff, each attempt bounded by DOSSIER_API_TIMEOUT seconds. Not found is an empty result (or a
404); refused credentials, other errors and malformed answers raise SourceUnavailable.

Only a result whose code is exactly the one asked for is used, in case the portal's search matches
loosely.
"""

from __future__ import annotations

import logging
import time

import httpx

from bot.dossiers.codes import MalformedCode, parse_code
from bot.dossiers.igate import SEARCH_PATH, dossier_from_json, page_items
from bot.dossiers.model import Dossier
from bot.dossiers.source import SourceUnavailable
from bot.settings import Settings

log = logging.getLogger("motcua.dossiers.http")
_RETRIED_STATUSES = frozenset({500, 502, 503, 504})


class HttpDossierSource:
    """A DossierSource backed by the portal's lookup API."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 5.0,
        retries: int = 2,
        backoff: float = 0.2,
    ) -> None:
        if not base_url:
            raise ValueError("the dossier API needs a base URL (DOSSIER_API_URL)")
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=timeout,
        )
        self._retries = retries
        self._backoff = backoff

    @classmethod
    def from_settings(cls, settings: Settings) -> HttpDossierSource:
        return cls(
            settings.dossier_api_url,
            settings.dossier_api_token,
            timeout=settings.dossier_api_timeout,
            retries=settings.dossier_api_retries,
        )

    def get(self, code: str) -> Dossier | None:
        response = self._search(code)
        if response.status_code == httpx.codes.NOT_FOUND:
            return None
        try:
            items = page_items(response.json())
            matching = [item for item in items if _canonical(item.get("code")) == code]
            return dossier_from_json(matching[0]) if matching else None
        except ValueError as exc:  # not JSON, or a PortalFormatError
            raise SourceUnavailable(f"unexpected answer from the dossier API: {exc}") from exc

    def close(self) -> None:
        self._client.close()

    def _search(self, code: str) -> httpx.Response:
        """The API's answer (2xx or 404), after retrying what may pass; SourceUnavailable otherwise."""
        failure = ""
        for attempt in range(self._retries + 1):
            if attempt:
                time.sleep(self._backoff * 2 ** (attempt - 1))
            try:
                response = self._client.get(SEARCH_PATH, params={"code": code})
            except httpx.TransportError as exc:
                failure = type(exc).__name__
            else:
                if response.status_code in _RETRIED_STATUSES:
                    failure = f"HTTP {response.status_code}"
                elif response.is_success or response.status_code == httpx.codes.NOT_FOUND:
                    return response
                else:
                    raise SourceUnavailable(f"the dossier API refused the request: HTTP {response.status_code}")
            log.warning("dossier API attempt %d/%d failed: %s", attempt + 1, self._retries + 1, failure)
        raise SourceUnavailable(f"the dossier API did not answer after {self._retries + 1} attempts: {failure}")


def _canonical(code: object) -> str | None:
    try:
        return parse_code(code).code if isinstance(code, str) else None
    except MalformedCode:
        return None

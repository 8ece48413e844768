"""A stand-in for the portal's dossier lookup API (`bot.dossiers.igate`), for tests and local trials.

Serves dossiers from any DossierSource (normally the SQL store) and refuses requests without the
bearer token: `python -m bot dossiers fake-api --port 8081`.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import Depends, FastAPI, Header, HTTPException

from bot.dossiers.codes import MalformedCode, parse_code
from bot.dossiers.igate import SEARCH_PATH, dossier_to_json, page
from bot.dossiers.source import DossierSource, SourceUnavailable


def create_app(source: DossierSource, token: str) -> FastAPI:
    """The fake portal serving `source`, accepting only `Authorization: Bearer <token>`."""
    if not token:
        raise ValueError("the fake dossier API needs a token")

    def authorised(authorization: str = Header("")) -> None:
        if not hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode()):
            raise HTTPException(status_code=401, detail="invalid bearer token")

    app = FastAPI(title="Fake one-stop-shop dossier search", dependencies=[Depends(authorised)])

    @app.get(SEARCH_PATH)
    def search(code: str) -> dict[str, Any]:
        try:
            dossier = source.get(parse_code(code).code)
        except MalformedCode:
            dossier = None
        except SourceUnavailable:
            raise HTTPException(status_code=503, detail="dossier store unavailable") from None
        return page([dossier_to_json(dossier)] if dossier else [])

    return app

"""`python -m bot.internal.action_server`: rasa_sdk's action server, bound to INTERNAL_HOST, refusing calls
without `Authorization: Bearer ACTION_SERVER_TOKEN` (Rasa sends it: see the endpoints the launcher writes).

rasa_sdk itself listens on every interface with open CORS and no authentication; a forged tracker posted to
its webhook would run any action, a dossier lookup included, outside every limit. `/health` stays open: it
says only that the server is up.
"""

from __future__ import annotations

import argparse
import logging

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.internal import same_secret
from bot.settings import Settings

OPEN_PATHS = frozenset({"/health"})


def secured_app(actions: str, token: str) -> Sanic:
    """rasa_sdk's app for the `actions` package, without CORS, behind the token."""
    if not token:
        raise SystemExit("ACTION_SERVER_TOKEN is not set: the action server refuses to run without a token")
    app = create_app(actions, cors_origins=None)

    @app.middleware("request")
    async def authorise(request: Request) -> HTTPResponse | None:
        scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
        if request.path in OPEN_PATHS or (scheme.lower() == "bearer" and same_secret(token, given)):
            return None
        return response.json({"error": "unauthorised"}, status=401)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="MotCua's action server (rasa_sdk), internal only")
    parser.add_argument("--actions", default="actions")
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args()
    settings = Settings.from_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = secured_app(args.actions, settings.action_server_token)
    app.run(settings.internal_host, args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()

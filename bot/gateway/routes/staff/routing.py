"""The console's routers: every response carries the security headers, every refusal a Vietnamese message."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.gateway.routes.staff.security import PREFIX, SECURITY_HEADERS
from bot.handoff.accounts import InvalidAccount, NotAllowed
from bot.handoff.desk import HandoffError, UnknownConversation

ERROR_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (UnknownConversation, 404),
    (HandoffError, 409),
    (NotAllowed, 403),
    (InvalidAccount, 422),
)
HANDLED_ERRORS = tuple(kind for kind, _ in ERROR_STATUS)


class ConsoleRoute(APIRoute):
    """Every console response carries the security headers; refusals and the domain's errors become
    {"detail": <Vietnamese message>} with their status."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def secured(request: Request) -> Response:
            try:
                response = await handler(request)
            except StarletteHTTPException as error:
                response = JSONResponse({"detail": error.detail}, error.status_code, headers=error.headers)
            except HANDLED_ERRORS as error:
                status = next(code for kind, code in ERROR_STATUS if isinstance(error, kind))
                response = JSONResponse({"detail": str(error)}, status)
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return secured


def console_router() -> APIRouter:
    """A router for one part of the console, below /staff."""
    return APIRouter(prefix=PREFIX, route_class=ConsoleRoute, include_in_schema=False, tags=["staff console"])

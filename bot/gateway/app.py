"""The gateway's app factory: `uvicorn bot.gateway.app:create_app --factory`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from bot.gateway.channels import build_channels
from bot.gateway.conversations import Gateway
from bot.gateway.rasa import RasaClient
from bot.gateway.routes import health, procedures, staff
from bot.gateway.staff_desk import StaffDesk
from bot.gateway.state import open_state
from bot.services import Services
from bot.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    services = services or Services.build(settings)
    rasa = RasaClient(settings.rasa_url, settings.rasa_timeout, settings.rasa_concurrency)
    gateway = Gateway(settings, open_state(settings.redis_url), rasa)
    channels = build_channels(settings, gateway)
    desk = StaffDesk.build(settings, gateway, services)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log.info("gateway state store: %s", gateway.state.description)
        for channel in channels:
            await channel.start()
        retrying = asyncio.create_task(gateway.retry_forever())
        try:
            yield
        finally:
            retrying.cancel()
            for channel in channels:
                await channel.stop()
            await gateway.rasa.close()
            await gateway.state.close()
            desk.records.close()

    app = FastAPI(title="MotCua gateway", lifespan=lifespan)
    app.state.settings = settings
    app.state.gateway = gateway
    app.state.services = services
    desk.attach(app)
    app.include_router(health.router)
    app.include_router(procedures.router)
    app.include_router(staff.router)
    for channel in channels:
        if (router := channel.router()) is not None:
            app.include_router(router)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(Exception, _unexpected_error)
    return app


async def _invalid_request(request: Request, error: Exception) -> JSONResponse:
    problems = error.errors() if isinstance(error, RequestValidationError) else []
    fields = sorted({".".join(p for p in problem["loc"][1:] if isinstance(p, str)) or "body" for problem in problems})
    return JSONResponse({"detail": "Yêu cầu không hợp lệ.", "fields": fields}, status_code=422)


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return JSONResponse({"detail": "Hệ thống gặp sự cố, anh/chị vui lòng thử lại sau ạ."}, status_code=500)

"""The gateway's app factory: `uvicorn bot.gateway.app:create_app --factory`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from bot.gateway.channels import build_channels
from bot.gateway.clients import ClientAddresses
from bot.gateway.conversations import Gateway
from bot.gateway.edge import Edge
from bot.gateway.rasa import RasaClient
from bot.gateway.routes import health, procedures, staff
from bot.gateway.staff_desk import StaffDesk
from bot.gateway.state import open_state
from bot.keys import secret_key
from bot.retention import Retention
from bot.services import ReloadingServices, Services
from bot.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    # Given services stay fixed (tests); otherwise they follow catalogue re-imports without a restart.
    current_services = (lambda: services) if services else ReloadingServices(settings).get
    rasa = RasaClient(settings.rasa_url, settings.rasa_timeout, settings.rasa_concurrency, settings.rasa_token)
    gateway = Gateway(settings, open_state(settings.redis_url), rasa)
    clients = ClientAddresses(settings.trusted_proxies, secret_key(settings))
    channels = build_channels(settings, gateway, clients)
    desk = StaffDesk.build(settings, gateway, lambda: current_services().catalogue)
    retention = Retention.from_settings(desk.records, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log.info("gateway state store: %s", gateway.state.description)
        for channel in channels:
            await channel.start()
        retrying = asyncio.create_task(gateway.retry_forever())
        sweeping = asyncio.create_task(_every(settings.retention_sweep_interval, retention.sweep))
        try:
            yield
        finally:
            retrying.cancel()
            sweeping.cancel()
            for channel in channels:
                await channel.stop()
            await gateway.rasa.close()
            await gateway.state.close()
            desk.records.close()

    docs = {"docs_url": None, "redoc_url": None, "openapi_url": "/openapi.json" if settings.api_docs else None}
    app = FastAPI(title="MotCua gateway", lifespan=lifespan, **docs)
    app.router.redirect_slashes = False  # its redirects are absolute URLs built from the Host header
    app.add_middleware(Edge, settings=settings)
    app.state.settings = settings
    app.state.clients = clients
    app.state.gateway = gateway
    app.state.current_services = current_services
    desk.attach(app)
    app.include_router(health.router)
    app.include_router(procedures.router)
    app.include_router(staff.router)
    for channel in channels:
        if (router := channel.router()) is not None:
            app.include_router(router)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
    return app


async def _invalid_request(request: Request, error: Exception) -> JSONResponse:
    problems = error.errors() if isinstance(error, RequestValidationError) else []
    fields = sorted({".".join(p for p in problem["loc"][1:] if isinstance(p, str)) or "body" for problem in problems})
    return JSONResponse({"detail": "Yêu cầu không hợp lệ.", "fields": fields}, status_code=422)


async def _every(seconds: float, work: Callable[[], Awaitable[object]]) -> None:
    """Run `work` now and then every `seconds`; a failed run is logged and the next one still comes."""
    while True:
        try:
            await work()
        except Exception:  # keep the loop alive whatever one run meets; it is logged
            log.exception("periodic work %s failed", getattr(work, "__qualname__", work))
        await asyncio.sleep(seconds)


HTTP_ERRORS = {
    400: "Yêu cầu không hợp lệ.",
    401: "Vui lòng đăng nhập.",
    403: "Anh/chị không có quyền thực hiện yêu cầu này.",
    404: "Không tìm thấy địa chỉ này.",
    405: "Địa chỉ này không nhận phương thức yêu cầu đó.",
    413: "Nội dung gửi lên quá lớn.",
    415: "Định dạng nội dung không được hỗ trợ.",
    429: "Có quá nhiều yêu cầu. Anh/chị vui lòng thử lại sau ít phút.",
}


async def _http_error(request: Request, error: HTTPException) -> Response:
    """Starlette's English defaults ("Not Found", "Method Not Allowed") in Vietnamese; routes' own words kept."""
    if error.detail == HTTPStatus(error.status_code).phrase:
        default = "Yêu cầu không được chấp nhận."
        error = HTTPException(error.status_code, HTTP_ERRORS.get(error.status_code, default), error.headers)
    return await http_exception_handler(request, error)


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return JSONResponse({"detail": "Hệ thống gặp sự cố, anh/chị vui lòng thử lại sau ạ."}, status_code=500)

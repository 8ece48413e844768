"""`/healthz` (the process is up) and `/readyz` (what it depends on answers)."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


async def _action_server_up(url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=3) as client:
            return (await client.get(f"{url}/health")).status_code == 200
    except httpx.HTTPError:
        return False


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    gateway = request.app.state.gateway
    checks = {
        "rasa": await gateway.rasa.ready(),
        "action_server": await _action_server_up(gateway.settings.action_server_url),
        "state": await gateway.state.ping(),
    }
    failing = [name for name, ok in checks.items() if not ok]
    body = {"status": "ready" if not failing else "not ready", "checks": checks, "failing": failing}
    body["state_store"] = gateway.state.kind  # never its address
    return JSONResponse(body, status_code=200 if not failing else 503)

"""A reverse proxy in front of the real Rasa that a test can make fail or hang."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI, Request, Response


class FaultyProxy:
    """Forwards every request to `target`; `mode` is "up", "down" (503) or "slow" (hangs `delay` seconds)."""

    def __init__(self, target: str, delay: float = 5.0) -> None:
        self.target = target
        self.delay = delay
        self.mode = "up"
        self.app = FastAPI()
        self.app.add_api_route("/{path:path}", self._forward, methods=["GET", "POST", "PUT"])

    async def _forward(self, path: str, request: Request) -> Response:
        if self.mode == "down":
            return Response("Service Unavailable", status_code=503)
        if self.mode == "slow":
            await asyncio.sleep(self.delay)
        async with httpx.AsyncClient(base_url=self.target, timeout=60) as client:
            upstream = await client.request(
                request.method,
                f"/{path}",
                params=request.query_params,
                content=await request.body(),
                headers={"content-type": request.headers.get("content-type", "application/json")},
            )
        return Response(upstream.content, upstream.status_code, media_type=upstream.headers.get("content-type"))

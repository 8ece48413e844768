"""`GET /api/procedures/search`: catalogue search as JSON, the same results as the CLI."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

router = APIRouter(prefix="/api/procedures", tags=["catalogue"])


@router.get("/search")
async def search(
    request: Request, q: str = Query(..., min_length=1, max_length=500), limit: int = Query(5, ge=1, le=50)
) -> dict[str, Any]:
    result = request.app.state.current_services().index.search(q, limit)
    return {
        "query": q,
        "status": result.status.value,
        "results": [
            {"code": hit.procedure.code, "name": hit.procedure.name, "score": hit.score} for hit in result.hits
        ],
    }

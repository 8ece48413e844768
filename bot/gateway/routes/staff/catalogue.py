"""The admin's catalogue: what the bot serves, and a re-import of the configured source (`catalogue sync` from
the console). The bot's processes pick the new catalogue up within seconds, without a restart."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from bot.catalogue.importer import ImportReport
from bot.catalogue.sync import is_current, sync_catalogue
from bot.gateway.routes.staff.routing import console_router
from bot.gateway.routes.staff.security import AdminSession
from bot.handoff.records import utc_now
from bot.settings import Settings

NO_SOURCE = "Chưa cấu hình nguồn danh mục (biến MOTCUA_CATALOGUE_SOURCE); trợ lý ảo đang dùng danh mục biên soạn sẵn."
BUSY = "Đang nhập danh mục, anh/chị chờ lần nhập này xong rồi thử lại."

router = console_router()
_importing = threading.Lock()


def _source(settings: Settings) -> str | None:
    return str(settings.catalogue_source) if settings.catalogue_source else None


@router.get("/api/catalogue")
def catalogue_status(request: Request, session: AdminSession) -> dict[str, Any]:
    settings: Settings = request.app.state.settings
    catalogue = request.app.state.current_services().catalogue
    source = settings.catalogue_source
    return {
        "procedures": len(catalogue),
        "curated": len(catalogue.curated_codes),
        "source": _source(settings),
        "up_to_date": is_current(source, settings.imported_catalogue) if source and source.exists() else None,
    }


def _import(settings: Settings) -> ImportReport:
    if not _importing.acquire(blocking=False):
        raise HTTPException(409, BUSY)
    try:
        report = sync_catalogue(settings.catalogue_source, settings.imported_catalogue, force=True).report
    except (FileNotFoundError, ValueError) as error:
        raise HTTPException(422, f"Không nhập được danh mục ({error}); trợ lý ảo vẫn dùng danh mục cũ.") from error
    finally:
        _importing.release()
    assert report is not None  # a forced sync always imports
    return report


@router.post("/api/catalogue/import")
async def import_catalogue(request: Request, session: AdminSession) -> dict[str, Any]:
    settings: Settings = request.app.state.settings
    if settings.catalogue_source is None:
        raise HTTPException(409, NO_SOURCE)
    report = await run_in_threadpool(_import, settings)
    detail = f"{report.imported} thủ tục, {len(report.rejected)} bản ghi bị loại"
    request.app.state.records.add_audit(session.staff.id, "import_catalogue", utc_now(), detail=detail)
    return {
        "imported": report.imported,
        "rejected": [{"file": item.file, "reason": item.reason} for item in report.rejected],
        "fields": {
            name: {status.value: count for status, count in counts.items()} for name, counts in report.fields.items()
        },
        "message": f"Đã nhập {detail}. Trợ lý ảo dùng danh mục mới sau vài giây, không cần khởi động lại.",
    }

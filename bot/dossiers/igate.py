"""The provincial one-stop-shop's dossier JSON, modelled on HCMC's portal (VNPT iGate), and its mapping.

Both directions live here, so a deployment whose portal differs adapts this one module.

    GET {base}/pa/dossier-search/dvc?code=000.00.31.H29-261105-0012
    Authorization: Bearer <token>

    200 {"content": [<dossier>], "totalElements": 1}       (not found: "content": [])

    <dossier> = {
      "id": "6731a0c2f1e4b52d9c0e7a11",
      "code": "000.00.31.H29-261105-0012",
      "procedure": {"code": "1.001193",
                    "translate": [{"languageId": 228, "name": "Đăng ký khai sinh"},   # 228: Vietnamese
                                  {"languageId": 46, "name": "Birth registration"}]},
      "applicant": {"data": {"fullname": "Nguyễn Văn An", "phoneNumber": "0903123456"}},
      "agency": {"code": "000.21.31.H29", "name": "Ủy ban nhân dân phường Sài Gòn"},     # handling office
      "applyMethod": {"id": 0, "name": "Trực tiếp"},
      "dossierStatus": {"id": 2, "name": "Đang xử lý"},     # names: STATUS_LABELS, any case or accents
      "appliedDate": "2026-11-05T09:12:00.000+0700",
      "appointmentDate": "2026-11-12T17:00:00.000+0700",
      "completedDate": null,
      "processingLog": [{"date": "2026-11-05T09:12:00.000+0700", "agency": {"name": "Bộ phận Một cửa"},
                         "position": "Cán bộ tiếp nhận", "action": "Tiếp nhận hồ sơ", "comment": null}],
      "additionalRequirement": {"documents": [{"name": "Giấy chứng sinh"}]},       # chờ bổ sung only
      "returnedPlace": {"name": "Trung tâm Phục vụ hành chính công phường Sài Gòn"}
    }

Times carry an offset and are read in Vietnam time. The status is matched by name; unknown fields
are ignored.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Any

from bot.dossiers.codes import parse_code
from bot.dossiers.model import STATUS_LABELS, Applicant, Dossier, LogEntry, ProcedureRef, Status
from bot.dossiers.workdays import VIETNAM_TZ
from bot.text.normalize import fold

VIETNAMESE = 228
SEARCH_PATH = "/pa/dossier-search/dvc"
_STATUS_BY_NAME = {fold(label): status for status, label in STATUS_LABELS.items()}
_STATUS_IDS = {status: number for number, status in enumerate(Status, start=1)}
_OFFSET_WITHOUT_COLON = re.compile(r"([+-]\d{2})(\d{2})$")


class PortalFormatError(ValueError):
    """A portal answer that does not have the expected shape."""


def page(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The search answer around dossier objects."""
    return {"content": items, "totalElements": len(items)}


def page_items(body: object) -> list[dict[str, Any]]:
    """The dossier objects of a search answer."""
    if not isinstance(body, dict) or not isinstance(body.get("content"), list):
        raise PortalFormatError("a search answer has a 'content' list")
    return body["content"]


def dossier_from_json(item: dict[str, Any]) -> Dossier:
    """Map one portal dossier object to the model; raises PortalFormatError on a malformed object."""
    try:
        return Dossier(
            code=parse_code(item["code"]).code,
            procedure=ProcedureRef(item["procedure"]["code"], _vietnamese(item["procedure"]["translate"])),
            applicant=Applicant(item["applicant"]["data"]["fullname"], item["applicant"]["data"].get("phoneNumber")),
            received=_date(item["appliedDate"]),
            appointment=_date(item["appointmentDate"]),
            completed=_date(item["completedDate"]) if item.get("completedDate") else None,
            office=item["agency"]["name"],
            status=_STATUS_BY_NAME[fold(item["dossierStatus"]["name"])],
            log=tuple(_log_entry(entry) for entry in item.get("processingLog") or []),
            supplements=tuple(doc["name"] for doc in (item.get("additionalRequirement") or {}).get("documents", [])),
            pickup_place=(item.get("returnedPlace") or {}).get("name"),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PortalFormatError(f"unexpected dossier object: {type(exc).__name__} {exc}") from exc


def dossier_to_json(dossier: Dossier) -> dict[str, Any]:
    """The portal object for a dossier (the fake portal serves these)."""
    return {
        "id": hashlib.sha1(dossier.code.encode()).hexdigest()[:24],
        "code": dossier.code,
        "procedure": {
            "code": dossier.procedure.code,
            "translate": [{"languageId": VIETNAMESE, "name": dossier.procedure.name}],
        },
        "applicant": {"data": {"fullname": dossier.applicant.full_name, "phoneNumber": dossier.applicant.phone}},
        "agency": {"name": dossier.office},
        "applyMethod": {"id": 0, "name": "Trực tiếp"},
        "dossierStatus": {"id": _STATUS_IDS[dossier.status], "name": dossier.status.label.capitalize()},
        "appliedDate": _timestamp(dossier.received, 8),
        "appointmentDate": _timestamp(dossier.appointment, 17),
        "completedDate": _timestamp(dossier.completed, 16) if dossier.completed else None,
        "processingLog": [
            {
                "date": entry.time.replace(tzinfo=VIETNAM_TZ).strftime("%Y-%m-%dT%H:%M:%S.000%z"),
                "agency": {"name": entry.office},
                "position": entry.role,
                "action": entry.action,
                "comment": entry.note,
            }
            for entry in dossier.log
        ],
        "additionalRequirement": {"documents": [{"name": name} for name in dossier.supplements]},
        "returnedPlace": {"name": dossier.pickup_place} if dossier.pickup_place else None,
    }


def _vietnamese(translations: list[dict[str, Any]]) -> str:
    names = {t.get("languageId"): t["name"] for t in translations}
    return names.get(VIETNAMESE) or translations[0]["name"]


def _datetime(text: str) -> datetime:
    moment = datetime.fromisoformat(_OFFSET_WITHOUT_COLON.sub(r"\1:\2", text.replace("Z", "+00:00")))
    return moment.astimezone(VIETNAM_TZ).replace(tzinfo=None) if moment.tzinfo else moment


def _date(text: str) -> date:
    return _datetime(text).date()


def _timestamp(day: date, hour: int) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=VIETNAM_TZ).strftime("%Y-%m-%dT%H:%M:%S.000%z")


def _log_entry(entry: dict[str, Any]) -> LogEntry:
    return LogEntry(
        time=_datetime(entry["date"]),
        office=entry["agency"]["name"],
        action=entry["action"],
        role=entry.get("position"),
        note=entry.get("comment"),
    )

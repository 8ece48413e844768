"""Importing dossiers from a CSV or JSON file: bad rows are reported with their line and skipped.

CSV (UTF-8, comma-separated, a header row) has these columns; JSON is a list of objects with the
same keys. Starred columns are required.

    code*            dossier code; messy forms are normalised ("38.98.h29-210519-3")
    procedure_code*  catalogue code of the procedure, e.g. 1.001193
    procedure_name*  its name, e.g. Đăng ký khai sinh
    applicant_name*  full name
    applicant_phone  any common form ("0903 123 456", "+84903123456")
    received*        date received: 2026-11-05 or 05/11/2026
    appointment*     appointment date (ngày hẹn trả), same formats
    completed        date completed; required for da_co_ket_qua, da_tra_ket_qua, tu_choi
    office*          handling office
    status*          da_tiep_nhan, dang_xu_ly, cho_bo_sung, tam_dung, da_co_ket_qua, da_tra_ket_qua,
                     tu_choi, da_rut — or their Vietnamese names ("Đang xử lý")
    supplements      papers requested: in CSV one per line of the cell; in JSON a list of strings
    pickup_place     where the result is collected
    log              processing log: in CSV one entry per line of the cell,
                     `2026-11-05 09:12 | office | action | officer role | note` (role and note optional);
                     in JSON a list of {"time", "office", "action", "role", "note"}

An existing dossier with the same code is replaced. A row repeating an earlier row's code is rejected.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.dossiers.codes import MalformedCode, parse_code
from bot.dossiers.model import STATUS_LABELS, Applicant, Dossier, LogEntry, ProcedureRef, Status
from bot.dossiers.privacy import phone_digits
from bot.text.normalize import fold

REQUIRED = ("code", "procedure_code", "procedure_name", "applicant_name", "received", "appointment", "office", "status")
OPTIONAL = ("applicant_phone", "completed", "supplements", "pickup_place", "log")
NEED_COMPLETED = frozenset({Status.RESULT_READY, Status.RESULT_RETURNED, Status.REJECTED})
_STATUSES = {fold(label): status for status, label in STATUS_LABELS.items()} | {s.value: s for s in Status}
_LOG_FIELDS = ("time", "office", "action", "role", "note")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")


@dataclass
class ImportReport:
    """The valid dossiers of a file, and one message per rejected row (`file:line: reason`)."""

    dossiers: list[Dossier] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_dossiers(path: Path) -> ImportReport:
    """Read and validate a CSV or JSON dossier file."""
    report = ImportReport()
    seen: dict[str, int] = {}
    try:
        records = list(_json_records(path) if path.suffix.lower() == ".json" else _csv_records(path))
    except (OSError, ValueError, csv.Error) as exc:
        report.errors.append(f"{path}: unreadable: {exc}")
        return report
    for line, record in records:
        try:
            dossier = _to_dossier(record)
            if dossier.code in seen:
                raise ValueError(f"code {dossier.code} repeats line {seen[dossier.code]}")
        except ValueError as exc:
            report.errors.append(f"{path}:{line}: {exc}")
            continue
        seen[dossier.code] = line
        report.dossiers.append(dossier)
    return report


def _csv_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"the header lacks {', '.join(missing)}")
        line = reader.line_num + 1
        for row in reader:
            yield line, row
            line = reader.line_num + 1  # a quoted cell may span lines


def _json_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """The objects of a JSON list, each with the line it starts on."""
    text = path.read_text(encoding="utf-8-sig")
    decoder = json.JSONDecoder()
    position = _skip_space(text, 0)
    if text[position : position + 1] != "[":
        raise ValueError("a JSON dossier file holds a list of objects")
    position = _skip_space(text, position + 1)
    while text[position : position + 1] != "]":
        record, end = decoder.raw_decode(text, position)
        yield text.count("\n", 0, position) + 1, record
        position = _skip_space(text, end)
        if text[position : position + 1] == ",":
            position = _skip_space(text, position + 1)
        elif text[position : position + 1] != "]":
            raise ValueError(f"expected ',' or ']' on line {text.count(chr(10), 0, position) + 1}")


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _to_dossier(record: object) -> Dossier:
    """Validate one record of the import layout; raises ValueError naming the field at fault."""
    if not isinstance(record, dict):
        raise ValueError("a dossier record is an object")
    if None in record:
        raise ValueError("the row has more cells than the header has columns")
    unknown = set(record) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
    value = {name: _text(record, name) for name in (*REQUIRED, "applicant_phone", "completed", "pickup_place")}
    missing = [name for name in REQUIRED if not value[name]]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    try:
        code = parse_code(value["code"]).code
    except MalformedCode as exc:
        raise ValueError(f"code {value['code']!r} is malformed ({exc.problem.value})") from None
    status = _STATUSES.get(fold(value["status"]))
    if status is None:
        raise ValueError(f"unknown status {value['status']!r}")
    completed = _date(value["completed"], "completed") if value["completed"] else None
    if completed is None and status in NEED_COMPLETED:
        raise ValueError(f"status {status.value} needs a completed date")
    return Dossier(
        code=code,
        procedure=ProcedureRef(value["procedure_code"], value["procedure_name"]),
        applicant=Applicant(value["applicant_name"], _phone(value["applicant_phone"])),
        received=_date(value["received"], "received"),
        appointment=_date(value["appointment"], "appointment"),
        completed=completed,
        office=value["office"],
        status=status,
        log=tuple(_log(record.get("log"))),
        supplements=tuple(_lines(record.get("supplements"), "supplements")),
        pickup_place=value["pickup_place"] or None,
    )


def _text(record: dict[str, Any], name: str) -> str:
    item = record.get(name)
    if item is not None and not isinstance(item, str):
        raise ValueError(f"{name} must be text")
    return (item or "").strip()


def _date(text: str, name: str) -> date:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{name} {text!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")


def _phone(text: str) -> str | None:
    if not text:
        return None
    digits = phone_digits(text)
    if not 9 <= len(digits) <= 11:
        raise ValueError(f"applicant_phone {text!r} is not a phone number")
    return digits


def _lines(item: object, name: str) -> list[str]:
    """A list given as a JSON list of strings or as the lines of a CSV cell."""
    if item is None:
        return []
    if isinstance(item, str):
        return [line.strip() for line in item.splitlines() if line.strip()]
    if isinstance(item, list) and all(isinstance(entry, str) for entry in item):
        return [entry.strip() for entry in item if entry.strip()]
    raise ValueError(f"{name} must be a list of texts")


def _log(item: object) -> list[LogEntry]:
    if isinstance(item, list) and all(isinstance(entry, dict) for entry in item):
        return [_log_entry(entry) for entry in item]
    return [_log_entry(_log_line(line)) for line in _lines(item, "log")]


def _log_line(line: str) -> dict[str, str]:
    fields = [part.strip() for part in line.split("|")]
    if not 3 <= len(fields) <= len(_LOG_FIELDS):
        raise ValueError(f"log entry {line!r} is not 'time | office | action | role | note'")
    return dict(zip(_LOG_FIELDS[: len(fields)], fields, strict=True))


def _log_entry(entry: dict[str, Any]) -> LogEntry:
    for name in ("time", "office", "action"):
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise ValueError(f"a log entry lacks its {name}")
    return LogEntry(
        time=_time(entry["time"].strip()),
        office=entry["office"].strip(),
        action=entry["action"].strip(),
        role=(entry.get("role") or "").strip() or None,
        note=(entry.get("note") or "").strip() or None,
    )


def _time(text: str) -> datetime:
    for pattern in _TIME_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError(f"log time {text!r} is not 'YYYY-MM-DD HH:MM'")

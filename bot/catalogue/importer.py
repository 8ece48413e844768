"""Import the National Public Service Portal's records (one JSON object per file) into catalogue procedures.

Every file ends either imported or rejected with a reason; the report counts, per field, how many
records were parsed into structure, kept as raw text, or empty. For `fee` and `time`, parsed means
an amount or a duration on some channel, raw text that the channels give them only as wording.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from tqdm import tqdm

from bot.catalogue import portal
from bot.catalogue.model import CODE_PATTERN, Agencies, ChannelOption, Level, Procedure, Source
from bot.catalogue.portal import Status

ORIGIN = "national"
REPORTED_FIELDS = (
    "levels",
    "subjects",
    "agencies",
    "conditions",
    "channels",
    "fee",
    "time",
    "documents",
    "steps",
    "results",
    "legal_basis",
)


class Rejected(Exception):
    """A record that cannot be imported; the message is the reason."""


@dataclass(frozen=True)
class Rejection:
    file: str
    reason: str


@dataclass
class ImportReport:
    """What happened to each file and how well each field parsed."""

    source: str = ""
    files: int = 0
    imported: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    fields: dict[str, Counter[Status]] = field(default_factory=lambda: {name: Counter() for name in REPORTED_FIELDS})

    def count(self, statuses: dict[str, Status]) -> None:
        """Add one imported record's field statuses."""
        self.imported += 1
        for name, status in statuses.items():
            self.fields[name][status] += 1

    def reject(self, file: str, reason: str) -> None:
        self.rejected.append(Rejection(file, reason))

    def render(self) -> str:
        """The report as plain text."""
        lines = [
            f"Import of {self.source}",
            f"Files: {self.files}   imported: {self.imported}   rejected: {len(self.rejected)}",
            "",
            f"{'field':<12} {'parsed':>7} {'raw text':>9} {'empty':>7} {'parsed %':>9}",
        ]
        for name, counts in self.fields.items():
            share = f"{counts[Status.PARSED] / self.imported:.1%}" if self.imported else "-"
            lines.append(
                f"{name:<12} {counts[Status.PARSED]:>7} {counts[Status.RAW]:>9} {counts[Status.EMPTY]:>7} {share:>9}"
            )
        lines.append("(fee, time: parsed = an amount / a duration on some channel; raw text = wording only)")
        if self.rejected:
            lines += ["", "Rejected:"] + [f"  {r.file}: {r.reason}" for r in self.rejected]
        return "\n".join(lines)


@dataclass
class ImportResult:
    procedures: list[Procedure]
    report: ImportReport


def portal_files(path: Path) -> list[Path]:
    """The record files: `path` itself, or every *.json under it. Raises if `path` does not exist."""
    if not path.exists():
        raise FileNotFoundError(path)
    return [path] if path.is_file() else sorted(path.rglob("*.json"))


def import_portal(path: Path, *, progress: bool = False) -> ImportResult:
    """Import a portal record file or folder; a progress bar goes to stderr when `progress`."""
    files = portal_files(path)
    report = ImportReport(source=str(path), files=len(files))
    procedures: dict[str, Procedure] = {}
    origins: dict[str, str] = {}
    for file in tqdm(files, disable=not progress, file=sys.stderr, unit="file", desc="import"):
        name = file.relative_to(path).as_posix() if path.is_dir() else file.name
        try:
            procedure, statuses = build_procedure(load_record(file))
            if procedure.code in procedures:
                raise Rejected(f"duplicate code {procedure.code} (already imported from {origins[procedure.code]})")
        except Rejected as rejected:
            report.reject(name, str(rejected))
            continue
        except Exception as error:  # a parser bug must not stop the import nor lose the file
            report.reject(name, f"parser error: {type(error).__name__}: {error}")
            continue
        procedures[procedure.code], origins[procedure.code] = procedure, name
        report.count(statuses)
    return ImportResult(list(procedures.values()), report)


def load_record(file: Path) -> dict[str, str]:
    """The record of one file, its string values only. Raises Rejected when unreadable."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Rejected(f"unreadable JSON: {error}") from error
    if not isinstance(data, dict):
        raise Rejected(f"unreadable JSON: expected an object, found {type(data).__name__}")
    return {key: value for key, value in data.items() if isinstance(value, str)}


def build_procedure(record: dict[str, str]) -> tuple[Procedure, dict[str, Status]]:
    """The procedure of one portal record and how each reported field parsed. Raises Rejected."""
    code, name = _identity(record)
    channels = portal.parse_channels(record.get("cach_thuc_thuc_hien"))
    documents = portal.parse_documents(record.get("thanh_phan_ho_so"))
    steps = portal.parse_steps(record.get("trinh_tu_thuc_hien"))
    results = portal.parse_results(record.get("ket_qua_xu_ly"))
    legal_basis = portal.parse_legal_basis(record.get("can_cu_phap_ly"))
    structured = {
        "channels": channels,
        "documents": documents,
        "steps": steps,
        "results": results,
        "legal_basis": legal_basis,
    }
    levels = portal.parse_levels(record.get("cap_thuc_hien"))
    subjects = portal.split_list(record.get("doi_tuong_thuc_hien"))
    agencies = _agencies(record)
    conditions = portal.clean_text(record.get("yeu_cau_dieu_kien"))
    try:
        procedure = Procedure(
            code=code,
            name=name,
            field=portal.one_line(record.get("linh_vuc")) or "",
            levels=levels or [Level.OTHER],
            kind=portal.one_line(record.get("loai_thu_tuc")),
            decision=portal.one_line(record.get("so_quyet_dinh")),
            agencies=agencies,
            channels=channels.items,
            documents=documents.items,
            documents_text=documents.text,
            steps=steps.items,
            subjects=subjects,
            conditions=conditions,
            results=results.items,
            legal_basis=legal_basis.items,
            source=_source(record.get("detail_url")),
            unverified=portal.doubtful_aspects(channels.items),
            unparsed=[field_name for field_name, parsed in structured.items() if parsed.status is Status.RAW],
        )
    except ValidationError as error:
        raise Rejected(f"invalid record: {_first_error(error)}") from error
    statuses = {field_name: parsed.status for field_name, parsed in structured.items()}
    statuses |= {
        "fee": _figure_status(channels.items, "fee", "amount"),
        "time": _figure_status(channels.items, "time", "value"),
        "levels": _presence(levels),
        "subjects": _presence(subjects),
        "agencies": _presence(agencies.dict(exclude_defaults=True)),
        "conditions": _presence(conditions),
    }
    return procedure, statuses


def _identity(record: dict[str, str]) -> tuple[str, str]:
    """Code and name of a record that holds the procedure it claims to. Raises Rejected."""
    code, name = portal.one_line(record.get("ma_thu_tuc")), portal.one_line(record.get("ten_thu_tuc"))
    if not code:
        raise Rejected("missing code (ma_thu_tuc)")
    if not name:
        raise Rejected("missing name (ten_thu_tuc)")
    if not re.fullmatch(CODE_PATTERN, code):
        raise Rejected(f"invalid code {code!r}")
    if not portal.names_code(record.get("raw_text"), code):
        other = portal.page_code(record.get("raw_text"))
        found = f"the page text is for procedure {other}" if other else "the page text names no procedure code"
        raise Rejected(f"wrong procedure: record says {code} but {found}")
    return code, name


def _agencies(record: dict[str, str]) -> Agencies:
    return Agencies(
        executing=portal.split_list(record.get("co_quan_thuc_hien")),
        competent=portal.split_list(record.get("co_quan_co_tham_quyen")),
        receiving=portal.clean_text(record.get("dia_chi_tiep_nhan")),
        authorised=portal.split_list(record.get("co_quan_duoc_uy_quyen")),
        coordinating=portal.split_list(record.get("co_quan_phoi_hop")),
    )


def _source(url: str | None) -> Source:
    """The portal page as source; a malformed address is left out."""
    try:
        return Source(url=portal.one_line(url), origin=ORIGIN)
    except ValidationError:
        return Source(origin=ORIGIN)


def _figure_status(options: list[ChannelOption], aspect: str, figure: str) -> Status:
    """Parsed when some channel gives `aspect` as a figure, raw when only as text, else empty."""
    cells = [cell for option in options if (cell := getattr(option, aspect))]
    if any(getattr(cell, figure) is not None for cell in cells):
        return Status.PARSED
    return Status.RAW if cells else Status.EMPTY


def _presence(value: object) -> Status:
    return Status.PARSED if value else Status.EMPTY


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    return f"{'.'.join(map(str, first['loc']))}: {first['msg']}"


def write_catalogue(procedures: list[Procedure], out: Path) -> None:
    """Write the procedures as a JSON list that `Procedure.parse_obj` loads back."""
    out.parent.mkdir(parents=True, exist_ok=True)
    records = [json.loads(p.json(exclude_none=True)) for p in procedures]
    out.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def run_import(path: Path, out: Path, progress: bool = True) -> int:
    """CLI entry: import `path`, write the catalogue to `out`, print the report. 1 if nothing was imported."""
    try:
        result = import_portal(path, progress=progress)
    except FileNotFoundError:
        print(f"No such file or folder: {path}", file=sys.stderr)
        return 1
    print(result.report.render())
    if not result.procedures:
        print(f"Nothing imported; {out} left unchanged.")
        return 1
    write_catalogue(result.procedures, out)
    print(f"Wrote {len(result.procedures)} procedures to {out}")
    return 0

"""Keeping the imported catalogue in step with its configured source (`MOTCUA_CATALOGUE_SOURCE`).

The source is a folder or file of portal records. Its fingerprint (every file's path, size and
modification time, and the code that parses them) is stored beside the imported catalogue; the source
is re-imported only when the fingerprint changed, so `make run` costs seconds after the first time and
a better parser is applied at the next start.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from bot.catalogue.importer import ImportReport, import_portal, portal_files, write_catalogue


@dataclass(frozen=True)
class SyncResult:
    """What a sync did: `report` is None when the import was already up to date."""

    catalogue: Path
    report: ImportReport | None


# The code an import depends on: a change to any of it means the import must be redone.
PARSER_FILES = tuple(Path(__file__).with_name(name) for name in ("portal.py", "importer.py", "model.py"))


def fingerprint(source: Path) -> str:
    """A digest of every record file's relative path, size and modification time under `source`, and of the
    parser's code."""
    digest = hashlib.sha256()
    for code in PARSER_FILES:
        digest.update(code.read_bytes())
    for file in portal_files(source):
        stat = file.stat()
        digest.update(f"{file.relative_to(source) if source.is_dir() else file.name}\0{stat.st_size}\0".encode())
        digest.update(f"{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _stamp_path(catalogue: Path) -> Path:
    return catalogue.with_suffix(".source.json")


def _stamp(source: Path, digest: str) -> dict[str, str]:
    return {"source": str(source.resolve()), "fingerprint": digest}


def is_current(source: Path, catalogue: Path) -> bool:
    """True when `catalogue` was imported from `source` as it is now."""
    try:
        stored = json.loads(_stamp_path(catalogue).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return catalogue.exists() and stored == _stamp(source, fingerprint(source))


def sync_catalogue(source: Path, catalogue: Path, force: bool = False) -> SyncResult:
    """Import `source` into `catalogue` unless it is current (or `force`). Raises FileNotFoundError, and
    ValueError when nothing could be imported (the previous catalogue is kept)."""
    if not force and is_current(source, catalogue):
        return SyncResult(catalogue, None)
    digest = fingerprint(source)
    result = import_portal(source)
    if not result.procedures:
        raise ValueError(f"no procedure could be imported from {source}")
    partial = catalogue.with_suffix(".partial")
    write_catalogue(result.procedures, partial)
    partial.replace(catalogue)  # atomic: a running bot never reads a half-written catalogue
    _stamp_path(catalogue).write_text(json.dumps(_stamp(source, digest)), encoding="utf-8")
    return SyncResult(catalogue, result.report)

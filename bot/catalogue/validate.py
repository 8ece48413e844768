"""`catalogue check`: validate catalogue files and report every error with its file and record."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from bot.catalogue.model import Procedure
from bot.catalogue.search import content_tokens
from bot.catalogue.store import catalogue_files, read_records


@dataclass(frozen=True)
class CatalogueError:
    file: Path
    record: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.message}"


def _record_label(index: int, data: object) -> str:
    code = data.get("code") if isinstance(data, dict) else None
    return f"record {index + 1}" + (f" ({code})" if code else "")


def _pydantic_errors(file: Path, label: str, error: ValidationError) -> list[CatalogueError]:
    return [
        CatalogueError(file, label, f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}")
        for item in error.errors()
    ]


def _cross_record_errors(procedures: list[tuple[Path, str, Procedure]]) -> list[CatalogueError]:
    """Duplicate codes, and one alias claimed by two procedures (search could not tell them apart)."""
    errors: list[CatalogueError] = []
    by_code: dict[str, list[tuple[Path, str]]] = defaultdict(list)
    alias_owner: dict[tuple[str, ...], str] = {}
    for file, label, procedure in procedures:
        by_code[procedure.code].append((file, label))
        for alias in procedure.aliases:
            key = tuple(content_tokens(alias))
            owner = alias_owner.setdefault(key, procedure.code)
            if owner != procedure.code:
                errors.append(CatalogueError(file, label, f"alias '{alias}' is also an alias of {owner}"))
    for code, places in by_code.items():
        for file, label in places[1:]:
            first_file, first_label = places[0]
            errors.append(CatalogueError(file, label, f"duplicate code {code} (first in {first_file}: {first_label})"))
    return errors


def check_catalogue(path: Path) -> tuple[int, list[CatalogueError]]:
    """Validate every catalogue file under `path`; return the number of valid records and all errors."""
    errors: list[CatalogueError] = []
    valid: list[tuple[Path, str, Procedure]] = []
    files = catalogue_files(path)
    if not files:
        return 0, [CatalogueError(path, "-", "no catalogue files (*.yml, *.yaml, *.json) found")]
    for file in files:
        try:
            records = list(read_records(file))
        except Exception as error:  # unreadable file: report and go on with the others
            errors.append(CatalogueError(file, "file", f"cannot read: {error}"))
            continue
        for record in records:
            label = _record_label(record.index, record.data)
            try:
                valid.append((file, label, Procedure.parse_obj(record.data)))
            except ValidationError as error:
                errors.extend(_pydantic_errors(file, label, error))
    errors.extend(_cross_record_errors(valid))
    return len(valid), errors

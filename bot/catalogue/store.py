"""Loading the runtime catalogue: curated YAML files plus imported JSON sets, curated winning."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.catalogue.model import Procedure
from bot.settings import Settings


@dataclass(frozen=True)
class RawRecord:
    """A record as read from a file, before validation."""

    path: Path
    index: int
    data: object


def catalogue_files(path: Path) -> list[Path]:
    """Catalogue files under a folder (or the file itself): *.yml, *.yaml, *.json."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.suffix in {".yml", ".yaml", ".json"})


def read_records(path: Path) -> Iterator[RawRecord]:
    """Yield the raw records of one catalogue file (a YAML or JSON list). Raises on unreadable files."""
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(data, list):
        raise ValueError("a catalogue file holds a list of procedure records")
    for index, item in enumerate(data):
        yield RawRecord(path, index, item)


def load_procedures(paths: Iterable[Path]) -> list[Procedure]:
    """Validated procedures of every catalogue file under the given paths."""
    return [
        Procedure.parse_obj(record.data)
        for path in paths
        for file in catalogue_files(path)
        for record in read_records(file)
    ]


class Catalogue:
    """Procedures by code. Curated records win over imported ones with the same code."""

    def __init__(self, curated: list[Procedure], imported: Iterable[Procedure] = ()) -> None:
        self._by_code: dict[str, Procedure] = {p.code: p for p in imported}
        self._by_code.update({p.code: p for p in curated})
        self.curated_codes = frozenset(p.code for p in curated)

    @classmethod
    def load(cls, settings: Settings) -> Catalogue:
        return cls(load_procedures([settings.curated_dir]), load_procedures(settings.catalogue_files))

    def get(self, code: str) -> Procedure | None:
        return self._by_code.get(code)

    def __iter__(self) -> Iterator[Procedure]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def is_curated(self, code: str) -> bool:
        return code in self.curated_codes

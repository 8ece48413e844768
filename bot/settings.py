"""Settings from the environment, in one typed object. Every variable has an embedded default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CURATED_DIR = Path(__file__).resolve().parent / "catalogue" / "curated"


def _paths(value: str) -> list[Path]:
    return [Path(part.strip()) for part in value.split(",") if part.strip()]


@dataclass(frozen=True)
class Settings:
    """What a deployment configures. Read with `Settings.from_env()`."""

    curated_dir: Path = CURATED_DIR
    catalogue_imports: list[Path] = field(default_factory=list)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        return cls(
            curated_dir=Path(env.get("MOTCUA_CURATED_DIR", str(CURATED_DIR))),
            catalogue_imports=_paths(env.get("MOTCUA_CATALOGUE_IMPORTS", "")),
        )

"""Settings from the environment, in one typed object. Every variable has an embedded default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CURATED_DIR = Path(__file__).resolve().parent / "catalogue" / "curated"
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'motcua.db'}"
DOSSIER_SOURCES = ("sql", "http")


def _paths(value: str) -> list[Path]:
    return [Path(part.strip()) for part in value.split(",") if part.strip()]


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _choice(value: str, choices: tuple[str, ...], name: str) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """What a deployment configures. Read with `Settings.from_env()`."""

    curated_dir: Path = CURATED_DIR
    catalogue_imports: list[Path] = field(default_factory=list)
    database_url: str = DEFAULT_DATABASE_URL
    dossier_source: str = "sql"  # "sql": the database above; "http": the portal's lookup API
    dossier_api_url: str = ""
    dossier_api_token: str = ""
    dossier_api_timeout: float = 5.0  # seconds per attempt
    dossier_api_retries: int = 2
    dossier_lookups_per_hour: int = 10  # per conversation
    dossier_full_details_with_phone: bool = False

    @property
    def uses_sample_database(self) -> bool:
        """True on the embedded default: dossiers from the local SQLite file, which `make run` seeds."""
        return self.dossier_source == "sql" and self.database_url == DEFAULT_DATABASE_URL

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        return cls(
            curated_dir=Path(env.get("MOTCUA_CURATED_DIR", str(CURATED_DIR))),
            catalogue_imports=_paths(env.get("MOTCUA_CATALOGUE_IMPORTS", "")),
            database_url=env.get("DATABASE_URL", DEFAULT_DATABASE_URL),
            dossier_source=_choice(env.get("DOSSIER_SOURCE", "sql"), DOSSIER_SOURCES, "DOSSIER_SOURCE"),
            dossier_api_url=env.get("DOSSIER_API_URL", ""),
            dossier_api_token=env.get("DOSSIER_API_TOKEN", ""),
            dossier_api_timeout=float(env.get("DOSSIER_API_TIMEOUT", "5")),
            dossier_api_retries=int(env.get("DOSSIER_API_RETRIES", "2")),
            dossier_lookups_per_hour=int(env.get("DOSSIER_LOOKUPS_PER_HOUR", "10")),
            dossier_full_details_with_phone=_flag(env.get("DOSSIER_FULL_DETAILS_WITH_PHONE", "")),
        )

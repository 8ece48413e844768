"""The domain services a process needs, built once from settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.catalogue.search import ProcedureIndex
from bot.catalogue.store import Catalogue
from bot.dossiers.lookup import DossierLookup
from bot.settings import Settings


@dataclass(frozen=True)
class Services:
    settings: Settings
    catalogue: Catalogue
    index: ProcedureIndex

    @classmethod
    def build(cls, settings: Settings) -> Services:
        catalogue = Catalogue.load(settings)
        return cls(settings, catalogue, ProcedureIndex(catalogue))


@lru_cache(maxsize=1)
def default_dossier_lookup() -> DossierLookup:
    """The dossier lookup of this process (its rate-limit counts live as long as the process)."""
    return DossierLookup.from_settings(Settings.from_env())


@lru_cache(maxsize=1)
def default_services() -> Services:
    """Services for this process, from the environment (the action server builds them once)."""
    return Services.build(Settings.from_env())

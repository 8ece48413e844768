"""The domain services a process needs, built once from settings."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

from bot.catalogue.search import ProcedureIndex
from bot.catalogue.store import Catalogue, catalogue_files
from bot.dossiers.lookup import DossierLookup
from bot.settings import Settings

log = logging.getLogger(__name__)
RELOAD_CHECK_SECONDS = 5.0


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


def catalogue_version(settings: Settings) -> tuple[tuple[str, int, int], ...]:
    """What the catalogue is built from, as (file, size, modification time): a change means a reload."""
    files = [file for path in [settings.curated_dir, *settings.catalogue_files] for file in catalogue_files(path)]
    return tuple((str(file), (stat := file.stat()).st_size, stat.st_mtime_ns) for file in files if file.exists())


class ReloadingServices:
    """The services of a long-running process, rebuilt when a catalogue file changes (checked at most every
    `interval` seconds), so a re-import is served without a restart. A catalogue that fails to load is
    logged and the previous one kept."""

    def __init__(self, settings: Settings, interval: float = RELOAD_CHECK_SECONDS) -> None:
        self._settings, self._interval = settings, interval
        self._version = catalogue_version(settings)
        self._services = Services.build(settings)
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    def get(self) -> Services:
        if time.monotonic() - self._checked < self._interval:
            return self._services
        with self._lock:
            self._checked = time.monotonic()
            version = catalogue_version(self._settings)
            if version != self._version:
                try:
                    self._services = Services.build(self._settings)
                    log.info("catalogue reloaded: %d procedures", len(self._services.catalogue))
                except Exception:  # a broken file must not take the bot down: keep serving the last catalogue
                    log.exception("catalogue reload failed; keeping the previous catalogue")
                self._version = version
        return self._services


@lru_cache(maxsize=1)
def _process_services() -> ReloadingServices:
    return ReloadingServices(Settings.from_env())


def default_services() -> Services:
    """Services for this process, from the environment, following catalogue changes."""
    return _process_services().get()

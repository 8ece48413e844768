"""Where dossiers come from: the interface every source implements, and its one failure."""

from __future__ import annotations

from typing import Protocol

from bot.dossiers.model import Dossier


class SourceUnavailable(Exception):
    """The source cannot answer now: down, too slow, refusing our credentials, or answering nonsense."""


class DossierSource(Protocol):
    """A read-only view of dossiers by canonical code. Raises SourceUnavailable when it cannot answer."""

    def get(self, code: str) -> Dossier | None:
        """The dossier with this canonical code, or None when there is none."""

    def close(self) -> None:
        """Release connections."""

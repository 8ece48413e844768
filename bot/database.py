"""SQL plumbing shared by the stores: engines for SQLite or PostgreSQL, and the schema-version check.

Each store owns its tables, `metadata.create_all` makes them on first use, and a one-row version
table makes a database written by another schema version fail loudly instead of being misread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, create_engine, event, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import QueuePool, StaticPool


class SchemaMismatch(RuntimeError):
    """The database was written by another schema version."""


def open_engine(url: str) -> Engine:
    """An engine for a `sqlite://` or `postgresql://` URL (other databases are refused)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, future=True)
    if parsed.get_backend_name() != "sqlite":
        raise ValueError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql")
    options = {"connect_args": {"check_same_thread": False}, "future": True}
    if parsed.database in (None, "", ":memory:"):
        return create_engine(url, poolclass=StaticPool, **options)  # one connection: the memory database
    Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # Pooled connections may serve several threads in turn (web servers answer from thread pools).
    engine = create_engine(url, poolclass=QueuePool, **options)
    event.listen(engine, "connect", _sqlite_file_pragmas)
    return engine


def _sqlite_file_pragmas(connection: Any, _record: Any) -> None:
    """Write-ahead logging: readers never wait for the writer, and a commit costs no full-file sync
    (synchronous=NORMAL is still crash-safe in WAL mode). The gateway writes a transcript row per turn."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def ensure_schema(engine: Engine, metadata: MetaData, version_table: Table, version: int) -> None:
    """Create missing tables; refuse a database whose recorded schema version differs from `version`."""
    metadata.create_all(engine)
    with engine.begin() as connection:
        found = connection.execute(select(version_table.c.version)).scalars().all()
        if not found:
            connection.execute(version_table.insert().values(version=version))
        elif found != [version]:
            raise SchemaMismatch(f"{version_table.name}: version {found}, this code reads version {version}")

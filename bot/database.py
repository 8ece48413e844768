"""SQL plumbing shared by the stores: engines for SQLite or PostgreSQL, and the schema-version check.

Each store owns its tables, `metadata.create_all` makes them on first use, and a one-row version
table makes a database written by another schema version fail loudly instead of being misread.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData, Table, create_engine, select
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
    return create_engine(url, poolclass=QueuePool, **options)


def ensure_schema(engine: Engine, metadata: MetaData, version_table: Table, version: int) -> None:
    """Create missing tables; refuse a database whose recorded schema version differs from `version`."""
    metadata.create_all(engine)
    with engine.begin() as connection:
        found = connection.execute(select(version_table.c.version)).scalars().all()
        if not found:
            connection.execute(version_table.insert().values(version=version))
        elif found != [version]:
            raise SchemaMismatch(f"{version_table.name}: version {found}, this code reads version {version}")

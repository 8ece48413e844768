"""The SQL dossier store: a SQLite file by default, PostgreSQL when DATABASE_URL says `postgresql://…`.

One table, one row per dossier, keyed by the canonical code (the primary key is the index every
lookup uses). The processing log and the supplement list are only ever read with their dossier, so
they are JSON columns of that row: a lookup is one indexed read.

Schema management: `metadata.create_all` plus a one-row `schema_version` table, not Alembic. With a
single table, create-if-missing covers first use, and the version row makes a database written by
another schema version fail loudly instead of being misread. When the schema changes, bump
SCHEMA_VERSION and add the upgrade step before `ensure_schema` (or adopt Alembic if steps accumulate).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import JSON, Column, Date, Integer, MetaData, String, Table, Text, select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import DBAPIError

from bot.database import ensure_schema, open_engine
from bot.dossiers.model import Applicant, Dossier, LogEntry, ProcedureRef, Status
from bot.dossiers.source import SourceUnavailable

SCHEMA_VERSION = 1
_BATCH = 1000

metadata = MetaData()
dossiers = Table(
    "dossiers",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("procedure_code", String(20), nullable=False),
    Column("procedure_name", Text, nullable=False),
    Column("applicant_name", Text, nullable=False),
    Column("applicant_phone", String(20)),
    Column("received", Date, nullable=False),
    Column("appointment", Date, nullable=False),
    Column("completed", Date),
    Column("office", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("log", JSON, nullable=False),
    Column("supplements", JSON, nullable=False),
    Column("pickup_place", Text),
)
schema_version = Table("schema_version", metadata, Column("version", Integer, primary_key=True, autoincrement=False))


class SqlDossierStore:
    """Dossiers in a SQL database; the schema is created on first use."""

    def __init__(self, url: str) -> None:
        self._engine = open_engine(url)
        try:
            ensure_schema(self._engine, metadata, schema_version, SCHEMA_VERSION)
        except DBAPIError as exc:
            raise SourceUnavailable(f"dossier database unreachable: {type(exc.orig).__name__}") from exc

    def get(self, code: str) -> Dossier | None:
        with self._connection() as connection:
            row = connection.execute(select(dossiers).where(dossiers.c.code == code)).first()
        return _dossier(row) if row else None

    def save(self, records: Iterable[Dossier]) -> int:
        """Insert or replace dossiers by code (unique among `records`), in one transaction; returns the count.

        Delete-then-insert rather than ON CONFLICT: a plain multi-row INSERT is what psycopg2 batches
        into few statements (execute_values), and it reads the same on both databases.
        """
        written = 0
        with self._engine.begin() as connection:
            for batch in _batches(records):
                connection.execute(dossiers.delete().where(dossiers.c.code.in_([d.code for d in batch])))
                connection.execute(dossiers.insert(), [_row(dossier) for dossier in batch])
                written += len(batch)
        return written

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """A connection whose driver errors surface as SourceUnavailable."""
        try:
            with self._engine.connect() as connection:
                yield connection
        except DBAPIError as exc:
            raise SourceUnavailable(f"dossier database error: {type(exc.orig).__name__}") from exc


def _batches(records: Iterable[Dossier]) -> Iterator[list[Dossier]]:
    iterator = iter(records)
    while batch := list(islice(iterator, _BATCH)):
        yield batch


def _row(dossier: Dossier) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "applicant_name": dossier.applicant.full_name,
        "applicant_phone": dossier.applicant.phone,
        "received": dossier.received,
        "appointment": dossier.appointment,
        "completed": dossier.completed,
        "office": dossier.office,
        "status": dossier.status.value,
        "log": [
            {"time": e.time.isoformat(), "office": e.office, "action": e.action, "role": e.role, "note": e.note}
            for e in dossier.log
        ],
        "supplements": list(dossier.supplements),
        "pickup_place": dossier.pickup_place,
    }


def _dossier(row: Row) -> Dossier:
    return Dossier(
        code=row.code,
        procedure=ProcedureRef(row.procedure_code, row.procedure_name),
        applicant=Applicant(row.applicant_name, row.applicant_phone),
        received=row.received,
        appointment=row.appointment,
        completed=row.completed,
        office=row.office,
        status=Status(row.status),
        log=tuple(
            LogEntry(datetime.fromisoformat(e["time"]), e["office"], e["action"], e["role"], e["note"]) for e in row.log
        ),
        supplements=tuple(row.supplements),
        pickup_place=row.pickup_place,
    )

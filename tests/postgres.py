"""A throwaway schema on the local PostgreSQL, for tests and benchmarks that need the real server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


@contextmanager
def scratch_schema(prefix: str) -> Iterator[str | None]:
    """A DATABASE_URL whose search_path is a new, uniquely named schema, dropped afterwards;
    None when PostgreSQL is unreachable (the caller skips and says why)."""
    admin = sa.create_engine(POSTGRES)
    try:
        admin.connect().close()
    except sa.exc.OperationalError:
        admin.dispose()
        yield None
        return
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def database(kind: str, folder: Path, name: str) -> Iterator[str]:
    """A DATABASE_URL of `kind` ("sqlite": a file in `folder`; "postgresql": a scratch schema),
    for tests parametrised over both; skips when PostgreSQL is unreachable."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'{name}.db'}"
        return
    with scratch_schema(name) as url:
        if url is None:
            pytest.skip(f"PostgreSQL unreachable at {POSTGRES}")
        yield url

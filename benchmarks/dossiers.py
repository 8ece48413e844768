"""Dossier lookup benchmark: latency of lookups by code among 100,000 dossiers, in SQLite and PostgreSQL.

Two paths: a found code and a missing code (`get`). Baseline in the same run: the same lookups on a
plain dict of the same dossiers, in process.
Cleans up after itself: the SQLite file lives in a temporary folder, the PostgreSQL schema is dropped.

    PYTHONPATH=. .venv/bin/python benchmarks/dossiers.py [--count 100000] [--lookups 2000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.catalogue.store import load_procedures
from bot.dossiers.codes import parse_code
from bot.dossiers.model import Dossier
from bot.dossiers.seed import sample_dossiers
from bot.dossiers.sql import SqlDossierStore
from bot.dossiers.workdays import today_in_vietnam
from bot.settings import CURATED_DIR
from tests.postgres import POSTGRES, scratch_schema

Lookup = Callable[[str], object]


class DictSource:
    """The in-process baseline: the same lookup on a dict."""

    def __init__(self, dossiers: list[Dossier]) -> None:
        self._by_code = {d.code: d for d in dossiers}

    def get(self, code: str) -> Dossier | None:
        return self._by_code.get(code)


def missing_codes(dossiers: list[Dossier], count: int, rng: random.Random) -> list[str]:
    """Valid codes of the same offices and days that no dossier has."""
    existing = {d.code for d in dossiers}
    missing: list[str] = []
    while len(missing) < count:
        code = parse_code(rng.choice(dossiers).code)
        candidate = f"{code.office}-{code.date_part}-{rng.randint(5000, 9999):04d}"
        if candidate not in existing:
            missing.append(candidate)
    return missing


def latencies(lookup: Lookup, codes: list[str]) -> list[float]:
    for code in codes[:200]:  # warm caches and connection pools
        lookup(code)
    timings = []
    for code in codes:
        started = time.perf_counter()
        lookup(code)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def percentiles(timings: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(timings, n=100)
    return cuts[49], cuts[94]


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'dossiers.db'}"


def measure(name: str, source, found: list[str], missing: list[str], rows: list[tuple[str, str, float, float]]) -> None:
    for path, codes in (("found", found), ("not found", missing)):
        p50, p95 = percentiles(latencies(source.get, codes))
        rows.append((name, path, p50, p95))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=2_000)
    args = parser.parse_args()

    rng = random.Random(7)
    started = time.perf_counter()
    dossiers = sample_dossiers(load_procedures([CURATED_DIR]), args.count, today_in_vietnam())
    print(f"{len(dossiers):,} sample dossiers generated in {time.perf_counter() - started:.1f} s")
    found = [d.code for d in rng.sample(dossiers, args.lookups)]
    missing = missing_codes(dossiers, args.lookups, rng)

    rows: list[tuple[str, str, float, float]] = []
    measure("dict (baseline)", DictSource(dossiers), found, missing, rows)
    with sqlite_url() as sqlite, scratch_schema("bench_dossiers") as postgres:
        for name, url in (("SQLite", sqlite), ("PostgreSQL", postgres)):
            if url is None:
                print(f"{name} unreachable at {POSTGRES}: skipped")
                continue
            store = SqlDossierStore(url)
            try:
                started = time.perf_counter()
                store.save(dossiers)
                print(f"{name}: {len(dossiers):,} dossiers inserted in {time.perf_counter() - started:.1f} s")
                measure(name, store, found, missing, rows)
            finally:
                store.close()

    baseline = {path: p50 for name, path, p50, _ in rows if name == "dict (baseline)"}
    print(f"\n{args.lookups:,} lookups per path among {len(dossiers):,} dossiers; latency in ms")
    print(f"{'source':<16} {'path':<24} {'p50':>8} {'p95':>8} {'p50 / dict':>11}")
    for name, path, p50, p95 in rows:
        print(f"{name:<16} {path:<24} {p50:>8.3f} {p95:>8.3f} {p50 / baseline[path]:>10.0f}x")


if __name__ == "__main__":
    main()

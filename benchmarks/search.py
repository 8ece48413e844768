"""Search benchmark: top-1/top-3 accuracy and latency of procedure search on realistic queries.

Two catalogues: the curated one, and curated + the national portal records imported from
../shared/catalogue/national. Baseline in the same run: rapidfuzz WRatio over procedure names.

    PYTHONPATH=. .venv/bin/python benchmarks/search.py
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process, utils

from bot.catalogue.importer import import_portal
from bot.catalogue.search import ProcedureIndex
from bot.catalogue.store import Catalogue, load_procedures
from bot.settings import CURATED_DIR

ROOT = Path(__file__).resolve().parent.parent
# Two independently written query sets: the development set, and a hold-out set written without
# seeing the first set or the search code (used once, to choose among six scoring weightings).
QUERY_SETS = {
    "development": ROOT / "benchmarks" / "search_queries.yml",
    "hold-out": ROOT / "benchmarks" / "search_queries_holdout.yml",
}
NATIONAL = ROOT.parent / "shared" / "catalogue" / "national"
Ranker = Callable[[str], list[str]]


def ours(catalogue: Catalogue) -> Ranker:
    index = ProcedureIndex(catalogue)
    return lambda query: [hit.procedure.code for hit in index.search(query, limit=3).hits]


def wratio_baseline(catalogue: Catalogue) -> Ranker:
    names = {p.code: p.name for p in catalogue}
    return lambda query: [
        code
        for _, _, code in process.extract(query, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=3)
    ]


def evaluate(rank: Ranker, queries: list[dict]) -> dict[str, float]:
    top1: dict[str, list[bool]] = defaultdict(list)
    top3: dict[str, list[bool]] = defaultdict(list)
    timings = []
    for query in queries:
        started = time.perf_counter()
        codes = rank(query["text"])
        timings.append((time.perf_counter() - started) * 1000)
        for style in (query["style"], "all"):
            top1[style].append(bool(codes) and codes[0] in query["expected"])
            top3[style].append(any(code in query["expected"] for code in codes[:3]))
    figures = {f"top1 {s}": sum(v) / len(v) for s, v in top1.items()}
    figures.update({f"top3 {s}": sum(v) / len(v) for s, v in top3.items()})
    figures["p50 ms"] = statistics.median(timings)
    figures["p95 ms"] = statistics.quantiles(timings, n=20)[18]
    return figures


def report(title: str, catalogue: Catalogue, queries: list[dict]) -> None:
    print(f"\n{title}: {len(catalogue)} procedures, {len(queries)} queries")
    ours_figures = evaluate(ours(catalogue), queries)
    base_figures = evaluate(wratio_baseline(catalogue), queries)
    print(f"  {'figure':<24} {'ours':>8} {'WRatio':>8} {'ratio':>7}")
    for key in sorted(ours_figures):
        ratio = ours_figures[key] / base_figures[key] if base_figures[key] else float("inf")
        print(f"  {key:<24} {ours_figures[key]:>8.3f} {base_figures[key]:>8.3f} {ratio:>7.2f}")


def main() -> None:
    curated = load_procedures([CURATED_DIR])
    catalogues = {"curated catalogue": Catalogue(curated)}
    if NATIONAL.is_dir():
        catalogues["curated + national records"] = Catalogue(curated, import_portal(NATIONAL).procedures)
    else:
        print(f"{NATIONAL} not found: skipped the run with national records")
    for set_name, path in QUERY_SETS.items():
        queries = yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]
        for catalogue_name, catalogue in catalogues.items():
            report(f"{set_name} queries, {catalogue_name}", catalogue, queries)


if __name__ == "__main__":
    main()

"""Search benchmark: top-1/top-3 accuracy and latency of procedure search on realistic queries, and the
calibration of its status (when is a match "clear").

Two catalogues: the curated one, and curated + the national portal records imported from
../shared/catalogue/national. Baselines in the same run: rapidfuzz WRatio over procedure names (ranking);
the status from scores alone, without the evidence check, as on the release before it (calibration).

Calibration figures: false clear = share of messages naming no procedure (benchmarks/no_procedure.yml,
its development and held-out halves reported apart) that get a "clear" match; false match = share of them
that get any match (clear, or ambiguous: a question back about procedures they did not name); clear-but-wrong
= share of "clear" matches on the query sets whose procedure is not an expected one; clear-right = share of
queries answered clear and right; missed = share of queries that get no match at all.

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
from bot.catalogue.search import MatchStatus, ProcedureIndex, SearchResult, score_status
from bot.catalogue.store import Catalogue, load_procedures
from bot.settings import CURATED_DIR

ROOT = Path(__file__).resolve().parent.parent
# Two independently written query sets: the development set, and a hold-out set written without
# seeing the first set or the search code (used once, to choose among six scoring weightings).
QUERY_SETS = {
    "development": ROOT / "benchmarks" / "search_queries.yml",
    "hold-out": ROOT / "benchmarks" / "search_queries_holdout.yml",
}
NO_PROCEDURE = ROOT / "benchmarks" / "no_procedure.yml"
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


Status = Callable[[SearchResult], MatchStatus]
STATUSES: dict[str, Status] = {
    "ours": lambda result: result.status,
    "scores only": lambda result: score_status(result.hits),  # the release before the evidence check
}


def calibration(index: ProcedureIndex, status: Status, negatives: list[str], queries: list[dict]) -> dict[str, float]:
    """False clear on messages naming no procedure; clear-but-wrong and clear-right on queries naming one."""
    negative_statuses = [status(index.search(text)) for text in negatives]
    clear, wrong, missed = 0, 0, 0
    for query in queries:
        result = index.search(query["text"])
        if status(result) is MatchStatus.CLEAR:
            clear += 1
            wrong += result.hits[0].procedure.code not in query["expected"]
        missed += status(result) is MatchStatus.NONE
    return {
        "false clear": negative_statuses.count(MatchStatus.CLEAR) / len(negatives),
        "false match": sum(s is not MatchStatus.NONE for s in negative_statuses) / len(negatives),
        "clear-but-wrong": wrong / clear if clear else 0.0,
        "clear-right": (clear - wrong) / len(queries),
        "missed": missed / len(queries),
    }


def report_calibration(catalogue_name: str, catalogue: Catalogue, query_sets: dict[str, list[dict]]) -> None:
    negatives = yaml.safe_load(NO_PROCEDURE.read_text(encoding="utf-8"))
    index = ProcedureIndex(catalogue)
    print(f"\ncalibration, {catalogue_name}")
    print(f"  {'part':<12} {'figure':<16} {'ours':>8} {'scores only':>12} {'ratio':>7}")
    for part in ("development", "holdout"):
        queries = query_sets["development" if part == "development" else "hold-out"]
        figures = {name: calibration(index, status, negatives[part], queries) for name, status in STATUSES.items()}
        for key in figures["ours"]:
            ours_value, base_value = figures["ours"][key], figures["scores only"][key]
            ratio = ours_value / base_value if base_value else float("nan")
            print(f"  {part:<12} {key:<16} {ours_value:>8.3f} {base_value:>12.3f} {ratio:>7.2f}")


def main() -> None:
    curated = load_procedures([CURATED_DIR])
    catalogues = {"curated catalogue": Catalogue(curated)}
    if NATIONAL.is_dir():
        catalogues["curated + national records"] = Catalogue(curated, import_portal(NATIONAL).procedures)
    else:
        print(f"{NATIONAL} not found: skipped the run with national records")
    query_sets = {name: yaml.safe_load(path.read_text("utf-8"))["queries"] for name, path in QUERY_SETS.items()}
    for set_name, queries in query_sets.items():
        for catalogue_name, catalogue in catalogues.items():
            report(f"{set_name} queries, {catalogue_name}", catalogue, queries)
    for catalogue_name, catalogue in catalogues.items():
        report_calibration(catalogue_name, catalogue, query_sets)


if __name__ == "__main__":
    main()

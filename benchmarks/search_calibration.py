"""Search calibration of one tree, for the conversation benchmark: false clear on messages naming no procedure
(benchmarks/no_procedure.yml), top-1 and clear-but-wrong on messages naming one (benchmarks/search_queries*.yml),
development and held-out parts, over the curated catalogue and over curated + the national sample.

The figures come from benchmarks/search.py. Imported, they are the work tree's; run as a script with a
baseline's worktree as working directory and PYTHONPATH, they are that tree's, printed as JSON.

    python benchmarks/search_calibration.py --national ../shared/catalogue/national
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from benchmarks.search import NO_PROCEDURE, QUERY_SETS, STATUSES, calibration, evaluate, ours
from bot.catalogue.importer import import_portal
from bot.catalogue.search import ProcedureIndex
from bot.catalogue.store import Catalogue, load_procedures
from bot.settings import CURATED_DIR

PARTS = {"development": "development", "holdout": "hold-out"}  # no_procedure.yml's part: its query set
Calibration = dict[str, dict[str, dict[str, float]]]  # catalogue → part → figure → value


def catalogues(national: Path | None) -> dict[str, Catalogue]:
    """The curated catalogue, and curated + the national sample when its folder is there."""
    curated = load_procedures([CURATED_DIR])
    found = {"curated": Catalogue(curated)}
    if national is not None and national.is_dir():
        found["curated + national"] = Catalogue(curated, import_portal(national).procedures)
    return found


def figures(national: Path | None) -> Calibration:
    """False clear, clear-but-wrong, clear-right and top-1 per catalogue and part."""
    negatives = yaml.safe_load(NO_PROCEDURE.read_text(encoding="utf-8"))
    query_sets = {name: yaml.safe_load(path.read_text("utf-8"))["queries"] for name, path in QUERY_SETS.items()}
    result: Calibration = {}
    for name, catalogue in catalogues(national).items():
        index, rank = ProcedureIndex(catalogue), ours(catalogue)
        result[name] = {}
        for part, query_set in PARTS.items():
            queries = query_sets[query_set]
            result[name][part] = calibration(index, STATUSES["ours"], negatives[part], queries)
            result[name][part]["top-1"] = evaluate(rank, queries)["top1 all"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", type=Path, help="the national portal's records (a folder)")
    print(json.dumps(figures(parser.parse_args().national)))


if __name__ == "__main__":
    main()

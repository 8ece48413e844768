"""Command line: `python -m bot catalogue check|import|search`, and the commands later modules add."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from bot.catalogue.search import ProcedureIndex, SearchResult
from bot.catalogue.store import Catalogue
from bot.settings import PROJECT_ROOT, Settings

Handler = Callable[[argparse.Namespace], int]


def _catalogue() -> Catalogue:
    return Catalogue.load(Settings.from_env())


def _catalogue_check(args: argparse.Namespace) -> int:
    from bot.catalogue.validate import check_catalogue

    path = Path(args.path) if args.path else Settings.from_env().curated_dir
    valid, errors = check_catalogue(path)
    for error in errors:
        print(error)
    print(f"{valid} valid records, {len(errors)} errors in {path}")
    return 1 if errors else 0


def _catalogue_import(args: argparse.Namespace) -> int:
    from bot.catalogue.importer import run_import

    return run_import(Path(args.path), Path(args.out), progress=not args.quiet)


def _render(result: SearchResult, as_json: bool) -> str:
    rows = [{"code": h.procedure.code, "name": h.procedure.name, "score": h.score} for h in result.hits]
    if as_json:
        return json.dumps(rows, ensure_ascii=False)
    lines = [f"[{result.status.value}]"] + [f"{r['score']:6.2f}  {r['code']}  {r['name']}" for r in rows]
    return "\n".join(lines)


def _catalogue_search(args: argparse.Namespace) -> int:
    index = ProcedureIndex(_catalogue())
    queries = (line.rstrip("\n") for line in sys.stdin) if args.query == "-" else [args.query]
    for query in queries:
        print(_render(index.search(query, args.limit), args.json), flush=True)
    return 0


def _nlu_generate(args: argparse.Namespace) -> int:
    from bot.nlu.generate import generate

    counts = generate(PROJECT_ROOT / "nlu_data" / "nlu", PROJECT_ROOT / "nlu_data" / "generated", _catalogue())
    print(f"{counts['hand_written']} hand-written examples, {counts['variants']} generated variants")
    return 0


def _run(args: argparse.Namespace) -> int:
    from bot.launcher import run

    return run()


def _chat(args: argparse.Namespace) -> int:
    from bot.chat import chat

    return chat(args.url)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="MotCua command line")
    commands = parser.add_subparsers(dest="command", required=True)

    catalogue = commands.add_parser("catalogue", help="the procedure catalogue").add_subparsers(
        dest="action", required=True
    )
    check = catalogue.add_parser("check", help="validate catalogue files")
    check.add_argument("path", nargs="?", help="file or folder (default: the curated catalogue)")
    check.set_defaults(handler=_catalogue_check)

    importer = catalogue.add_parser("import", help="import national portal records")
    importer.add_argument("path", help="a portal record file or a folder of them")
    importer.add_argument("--out", default=str(PROJECT_ROOT / "var" / "catalogue" / "national.json"))
    importer.add_argument("--quiet", action="store_true", help="no progress bar")
    importer.set_defaults(handler=_catalogue_import)

    search = catalogue.add_parser("search", help="find procedures for a question")
    search.add_argument("query", help="the question, or - to read one per line from stdin")
    search.add_argument("--json", action="store_true", help="print a JSON list of {code, name, score}")
    search.add_argument("--limit", type=int, default=5)
    search.set_defaults(handler=_catalogue_search)

    commands.add_parser("run", help="train if needed and start Rasa and the action server").set_defaults(handler=_run)
    chat = commands.add_parser("chat", help="chat with the running assistant in the terminal")
    chat.add_argument("--url", default="http://localhost:5005/webhooks/rest/webhook")
    chat.set_defaults(handler=_chat)

    nlu = commands.add_parser("nlu", help="training data").add_subparsers(dest="action", required=True)
    nlu.add_parser("generate", help="write nlu_data/generated/ from the catalogue and examples").set_defaults(
        handler=_nlu_generate
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args)

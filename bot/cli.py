"""Command line: `python -m bot catalogue check|import|search`, and the commands later modules add."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.catalogue.search import ProcedureIndex, SearchResult
from bot.catalogue.store import Catalogue
from bot.handoff.cli import register as register_staff_commands
from bot.retention import register as register_data_commands
from bot.settings import PROJECT_ROOT, Settings

if TYPE_CHECKING:
    from telegram import Bot

    from bot.dossiers.model import Dossier
    from bot.dossiers.sql import SqlDossierStore

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


def _catalogue_diff(args: argparse.Namespace) -> int:
    from bot.catalogue.diff import Outcome, diff_catalogue, render
    from bot.catalogue.store import load_procedures

    path = Path(args.path)
    if not path.exists():
        print(f"No such file or folder: {path}")
        return 2
    report = diff_catalogue(load_procedures([Settings.from_env().curated_dir]), path)
    print(render(report))
    return 1 if args.strict and report.count(Outcome.UNMARKED) else 0


def _catalogue_sync(args: argparse.Namespace) -> int:
    from bot.catalogue.sync import sync_catalogue

    settings = Settings.from_env()
    source = Path(args.source) if args.source else settings.catalogue_source
    if source is None:
        print("No catalogue source: give one, or set MOTCUA_CATALOGUE_SOURCE.", file=sys.stderr)
        return 2
    try:
        result = sync_catalogue(source, settings.imported_catalogue, force=args.force)
    except (FileNotFoundError, ValueError) as error:
        print(f"Nothing imported ({error}); the previous catalogue is kept.", file=sys.stderr)
        return 1
    print(result.report.render() if result.report else f"{result.catalogue} is up to date with {source}.")
    if settings.catalogue_source is None:
        print("The bot serves it once MOTCUA_CATALOGUE_SOURCE is set (make run sets it when ../shared has one).")
    else:
        print("A running bot serves the new catalogue within seconds; no restart needed.")
    return 0


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


def _dossiers_store() -> SqlDossierStore:
    from bot.dossiers.sql import SqlDossierStore

    return SqlDossierStore(Settings.from_env().database_url)


def _dossiers_database() -> str:
    from sqlalchemy.engine import make_url

    return make_url(Settings.from_env().database_url).render_as_string(hide_password=True)


def _dossiers_seed(args: argparse.Namespace) -> int:
    from bot.dossiers.seed import sample_dossiers
    from bot.dossiers.workdays import today_in_vietnam

    catalogue = _catalogue()
    procedures = [procedure for procedure in catalogue if catalogue.is_curated(procedure.code)]
    store = _dossiers_store()
    samples = sample_dossiers(procedures, args.count)
    try:
        written = store.save(samples)
    finally:
        store.close()
    print(f"{written} sample dossiers written to {_dossiers_database()}; for example:")
    examples = {dossier.status: dossier for dossier in samples}
    for status, dossier in sorted(examples.items(), key=lambda item: item[0].value):
        print(f"  {dossier.code}  {status.label}{' (trễ hạn)' if dossier.is_late(today_in_vietnam()) else ''}")
    return 0


def _dossiers_import(args: argparse.Namespace) -> int:
    from bot.dossiers.importer import read_dossiers

    report = read_dossiers(Path(args.path))
    for error in report.errors:
        print(error)
    store = _dossiers_store()
    try:
        written = store.save(report.dossiers)
    finally:
        store.close()
    print(f"{written} dossiers imported into {_dossiers_database()}, {len(report.errors)} rows rejected")
    return 1 if report.errors else 0


def _dossiers_render(dossier: Dossier, unmasked: bool) -> str:
    from bot.dossiers.privacy import mask_name
    from bot.dossiers.workdays import today_in_vietnam

    today = today_in_vietnam()
    name = dossier.applicant.full_name if unmasked else mask_name(dossier.applicant.full_name)
    deadline = f"{dossier.days_late(today)} working days late" if dossier.is_late(today) else "not late"
    rows = [
        ("code", dossier.code),
        ("status", f"{dossier.status.label} ({dossier.status.value})"),
        ("procedure", f"{dossier.procedure.code} {dossier.procedure.name}"),
        ("applicant", name),
        ("phone", (dossier.applicant.phone or "-") if unmasked else "(hidden)"),
        ("office", dossier.office),
        ("received", f"{dossier.received:%d/%m/%Y}"),
        ("appointment", f"{dossier.appointment:%d/%m/%Y} ({deadline})"),
        ("completed", f"{dossier.completed:%d/%m/%Y}" if dossier.completed else "-"),
        ("pickup place", dossier.pickup_place or "-"),
        ("supplements", "; ".join(dossier.supplements) or "-"),
    ]
    lines = [f"{label:<13} {value}" for label, value in rows] + ["log"]
    for entry in dossier.latest_log(None):
        who = f"{entry.office}, {entry.role}" if entry.role else entry.office
        lines.append(f"  {entry.time:%d/%m/%Y %H:%M}  {entry.action} ({who}){f': {entry.note}' if entry.note else ''}")
    return "\n".join(lines)


def _dossiers_show(args: argparse.Namespace) -> int:
    from bot.dossiers.codes import MalformedCode, parse_code
    from bot.dossiers.lookup import open_source
    from bot.dossiers.source import SourceUnavailable

    try:
        code = parse_code(args.code).code
    except MalformedCode as exc:
        print(f"not a dossier code ({exc.problem.value}): {args.code}")
        return 2
    try:
        source = open_source(Settings.from_env())
        try:
            dossier = source.get(code)
        finally:
            source.close()
    except SourceUnavailable as exc:
        print(f"dossier source unavailable: {exc}")
        return 1
    print(_dossiers_render(dossier, args.unmasked) if dossier else f"no dossier {code}")
    return 0 if dossier else 1


def _dossiers_fake_api(args: argparse.Namespace) -> int:
    import uvicorn

    from bot.dossiers.fake_api import create_app

    token = args.token or Settings.from_env().dossier_api_token
    if not token:
        print("the fake API needs a token: set DOSSIER_API_TOKEN or pass --token")
        return 2
    store = _dossiers_store()
    try:
        uvicorn.run(create_app(store, token), host=args.host, port=args.port)
    finally:
        store.close()
    return 0


def _run(args: argparse.Namespace) -> int:
    from bot.launcher import run

    return run()


def _chat(args: argparse.Namespace) -> int:
    from bot.chat import chat

    return chat(args.url)


def _telegram_call(action: Callable[[Bot], Awaitable[str]]) -> int:
    """Run one Bot API call with TELEGRAM_BOT_TOKEN against TELEGRAM_API_URL and print what it did."""
    from telegram.error import TelegramError

    from connectors.telegram import make_bot

    settings = Settings.from_env()
    if not settings.telegram_bot_token:
        print("TELEGRAM_BOT_TOKEN is not set")
        return 2

    async def call() -> str:
        async with make_bot(settings) as bot:
            return await action(bot)

    try:
        print(asyncio.run(call()))
    except TelegramError as error:
        print(f"Telegram refused: {error}")
        return 1
    return 0


def _telegram_set_webhook(args: argparse.Namespace) -> int:
    from connectors.telegram import ALLOWED_UPDATES, SECRET_TOKEN, WEBHOOK_PATH

    settings = Settings.from_env()
    url = args.url or (f"{settings.public_url}{WEBHOOK_PATH}" if settings.public_url else "")
    secret = args.secret or settings.telegram_webhook_secret
    if not url:
        print(f"give the webhook URL (https://HOST{WEBHOOK_PATH}) or set PUBLIC_URL")
        return 2
    if not SECRET_TOKEN.fullmatch(secret):
        print("set TELEGRAM_WEBHOOK_SECRET (or --secret): 1-256 characters A-Z a-z 0-9 _ - (the gateway needs it)")
        return 2

    async def action(bot: Bot) -> str:
        await bot.set_webhook(url, allowed_updates=ALLOWED_UPDATES, secret_token=secret)
        return f"webhook set for @{bot.username}: {url} ({', '.join(ALLOWED_UPDATES)} updates, secret token header)"

    return _telegram_call(action)


def _telegram_delete_webhook(args: argparse.Namespace) -> int:
    async def action(bot: Bot) -> str:
        await bot.delete_webhook(drop_pending_updates=args.drop_pending)
        dropped = ", pending updates dropped" if args.drop_pending else ""
        return f"webhook deleted for @{bot.username}{dropped}; a gateway without PUBLIC_URL polls for updates"

    return _telegram_call(action)


def _telegram_info(args: argparse.Namespace) -> int:
    async def action(bot: Bot) -> str:
        info = await bot.get_webhook_info()
        error = f"{info.last_error_date:%Y-%m-%d %H:%M} UTC {info.last_error_message}" if info.last_error_date else "-"
        rows = [
            ("bot", f"@{bot.username}"),
            ("webhook", info.url or "(none: updates are polled)"),
            ("updates", ", ".join(info.allowed_updates or ()) or "(all but a few)"),
            ("pending", str(info.pending_update_count)),
            ("last error", error),
        ]
        return "\n".join(f"{label:<11} {value}" for label, value in rows)

    return _telegram_call(action)


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

    diff = catalogue.add_parser("diff", help="compare the curated catalogue with national portal records")
    diff.add_argument("path", help="a portal record file or a folder of them")
    diff.add_argument("--strict", action="store_true", help="exit 1 when a difference is not marked")
    diff.set_defaults(handler=_catalogue_diff)

    sync = catalogue.add_parser("sync", help="re-import the catalogue source the bot serves, when it changed")
    sync.add_argument("source", nargs="?", help="portal records (default: MOTCUA_CATALOGUE_SOURCE)")
    sync.add_argument("--force", action="store_true", help="import even when the source did not change")
    sync.set_defaults(handler=_catalogue_sync)

    search = catalogue.add_parser("search", help="find procedures for a question")
    search.add_argument("query", help="the question, or - to read one per line from stdin")
    search.add_argument("--json", action="store_true", help="print a JSON list of {code, name, score}")
    search.add_argument("--limit", type=int, default=5)
    search.set_defaults(handler=_catalogue_search)

    dossiers = commands.add_parser("dossiers", help="dossiers and their status").add_subparsers(
        dest="action", required=True
    )
    seed = dossiers.add_parser("seed", help="write sample dossiers to DATABASE_URL")
    seed.add_argument("--count", type=int, default=60, help="how many (default 60)")
    seed.set_defaults(handler=_dossiers_seed)

    dossier_import = dossiers.add_parser("import", help="import dossiers from a CSV or JSON file")
    dossier_import.add_argument("path", help="FILE.csv or FILE.json (layout: bot/dossiers/importer.py)")
    dossier_import.set_defaults(handler=_dossiers_import)

    show = dossiers.add_parser("show", help="print a dossier from the configured source")
    show.add_argument("code")
    show.add_argument("--unmasked", action="store_true", help="show the full name and phone")
    show.set_defaults(handler=_dossiers_show)

    fake_api = dossiers.add_parser("fake-api", help="serve DATABASE_URL's dossiers as the portal's lookup API")
    fake_api.add_argument("--host", default="127.0.0.1")
    fake_api.add_argument("--port", type=int, default=8081)
    fake_api.add_argument("--token", help="bearer token to require (default: DOSSIER_API_TOKEN)")
    fake_api.set_defaults(handler=_dossiers_fake_api)

    commands.add_parser("run", help="train if needed; start Rasa, the action server and the gateway").set_defaults(
        handler=_run
    )
    chat = commands.add_parser("chat", help="chat with the running assistant in the terminal")
    chat.add_argument("--url", default="http://localhost:8000/webhooks/rest/webhook", help="a REST channel")
    chat.set_defaults(handler=_chat)

    telegram = commands.add_parser("telegram", help="the Telegram bot's webhook").add_subparsers(
        dest="action", required=True
    )
    set_webhook = telegram.add_parser("set-webhook", help="have Telegram POST updates to the gateway")
    set_webhook.add_argument("url", nargs="?", help="default: PUBLIC_URL/webhooks/telegram")
    set_webhook.add_argument("--secret", help="the secret token header (default: TELEGRAM_WEBHOOK_SECRET)")
    set_webhook.set_defaults(handler=_telegram_set_webhook)
    delete_webhook = telegram.add_parser("delete-webhook", help="stop webhooks (to poll instead)")
    delete_webhook.add_argument("--drop-pending", action="store_true", help="drop updates Telegram still holds")
    delete_webhook.set_defaults(handler=_telegram_delete_webhook)
    info = telegram.add_parser("info", help="the webhook Telegram has, and its last error")
    info.set_defaults(handler=_telegram_info)

    register_staff_commands(commands)
    register_data_commands(commands)

    nlu = commands.add_parser("nlu", help="training data").add_subparsers(dest="action", required=True)
    nlu.add_parser("generate", help="write nlu_data/generated/ from the catalogue and examples").set_defaults(
        handler=_nlu_generate
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args)

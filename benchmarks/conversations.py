"""Conversation benchmark: multi-turn conversations through the real gateway's REST channel.

Reports task success (every turn of a conversation passes), the wrong-answer rate (a reply about a procedure or
dossier other than the one meant), the ask rate and the not-understood rate, per topic (questions, dossiers,
checklists, handoff) and per style (diacritics, plain, teencode, long). The conversations are the hand-written
ones of benchmarks/conversations/*.yml and those generated from the curated catalogue
(benchmarks/conversation_generator.py); how a reply is judged is in benchmarks/conversation_judge.py.

One conversation in three, by a hash of its id, is held out: its part is reported in aggregate only, never
per conversation, and nothing is tuned on it. `--show-failures` prints the development part's failing turns.

Each tree runs its own stack (benchmarks/conversation_stack.py) on spare ports, with the seeded sample dossiers
in a temporary SQLite file, every per-client limit lifted (all traffic comes from 127.0.0.1) and staff on duty
around the clock (`--closed-hours`: never), so handoffs read the same at any hour. The baseline (`--baseline
REF`, default d2e57cb) is a git worktree of REF under /tmp, trained there on first use, run in the same run
with the same conversations. Last, the search calibration of both trees (benchmarks/search_calibration.py).

    PYTHONPATH=. .venv/bin/python benchmarks/conversations.py [--no-baseline | --baseline REF]
        [--show-failures] [--closed-hours] [--workers 8]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from benchmarks import conversation_stack, search_calibration
from benchmarks.conversation_runner import (
    Conversation,
    ConversationResult,
    DossierCodes,
    Figures,
    figures_by_group,
    load_conversations,
    open_office,
    run_all,
)
from benchmarks.load import GATEWAY_ENV
from benchmarks.search import NATIONAL
from bot import launcher
from bot.catalogue.store import Catalogue, load_procedures
from bot.dossiers.model import Dossier
from bot.dossiers.seed import sample_dossiers
from bot.dossiers.sql import SqlDossierStore
from bot.settings import CURATED_DIR, PROJECT_ROOT
from tests.servers import free_port

BASELINE_REF = "d2e57cb"
RATES = (("success", "success %"), ("wrong", "wrong %"), ("asks", "ask %"), ("not_understood", "not underst. %"))
CALIBRATION_FIGURES = ("false clear", "false match", "top-1", "clear-but-wrong", "missed")
REPLY_SHOWN = 400  # characters of a failing turn's reply printed by --show-failures


@dataclass
class Side:
    """One tree under test: its results and calibration once run."""

    name: str
    root: Path
    train: bool  # the work tree checks its model as `make run` does; a baseline trains only when it has none
    results: list[ConversationResult] | None = None
    calibration: search_calibration.Calibration | None = None
    error: str = ""


def baseline_worktree(ref: str) -> Path:
    """A git worktree of `ref` under /tmp (made once, then reused)."""
    path = Path(tempfile.gettempdir()) / f"motcua-baseline-{ref}"
    if not (path / "bot").is_dir():
        git = ["git", "-C", str(PROJECT_ROOT), "worktree"]
        subprocess.run([*git, "prune"], check=True)
        subprocess.run([*git, "add", "--detach", str(path), ref], check=True, capture_output=True)
    return path


def seeded_database(folder: Path, dossiers: list[Dossier], open_: bool) -> str:
    """A SQLite file with the sample dossiers and the office hours; its DATABASE_URL."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'motcua.db'}"
    store = SqlDossierStore(url)
    try:
        store.save(dossiers)
    finally:
        store.close()
    open_office(url, open_)
    return url


def run_side(
    side: Side, folder: Path, conversations: list[Conversation], codes: DossierCodes, args: argparse.Namespace
) -> None:
    """Start the side's stack, run every conversation through its gateway, stop it."""
    logs = folder / side.name.replace(" ", "-")
    env = {**GATEWAY_ENV, "DATABASE_URL": seeded_database(logs, codes.dossiers, not args.closed_hours)}
    ports = launcher.Ports(rasa=free_port(), actions=free_port(), gateway=free_port())
    started = time.monotonic()
    try:
        with conversation_stack.serving(side.root, ports, env, logs, side.train) as url:
            print(f"{side.name}: ready after {time.monotonic() - started:.0f} s, running…", flush=True)
            side.results = run_all(url, conversations, codes, args.workers)
        print(f"{side.name}: done after {time.monotonic() - started:.0f} s", flush=True)
    except RuntimeError as error:
        side.error = str(error)


def calibrate(side: Side) -> None:
    """The side's search calibration: in this process for the work tree, under its own code for a baseline."""
    national = NATIONAL if NATIONAL.is_dir() else None
    if side.root == PROJECT_ROOT:
        side.calibration = search_calibration.figures(national)
        return
    script = [sys.executable, str(Path(search_calibration.__file__).resolve())]
    script += ["--national", str(national)] if national else []
    env = {**os.environ, "PYTHONPATH": str(side.root)}
    done = subprocess.run(script, cwd=side.root, env=env, capture_output=True, text=True)
    if done.returncode == 0:
        side.calibration = json.loads(done.stdout)
    else:
        print(f"{side.name}: search calibration failed:\n{done.stderr[-2000:]}", file=sys.stderr)


def _cell(current: float, base: float | None) -> str:
    """A rate in percent, with the baseline's and the difference in points when there is one."""
    text = f"{100 * current:5.1f}"
    if base is None:
        return text
    if math.isnan(base) or math.isnan(current):
        return f"{text} {100 * base:5.1f}      "
    return f"{text} {100 * base:5.1f} {100 * (current - base):+5.1f}"


def print_table(title: str, current: dict[str, Figures], base: dict[str, Figures] | None) -> None:
    print(f"\n{title}")
    width = 18 if base else 6
    header = f"  {'group':<18} {'convs':>5} {'turns':>5}" + "".join(f" {label:>{width}}" for _, label in RATES)
    print(header + ("   (current, baseline, difference in points)" if base else ""))
    for key, figures in current.items():
        if not figures.conversations:
            continue
        cells = [_cell(figures.rate(rate), base[key].rate(rate) if base else None).rjust(width) for rate, _ in RATES]
        print(f"  {key:<18} {figures.conversations:>5} {figures.turns:>5} " + " ".join(cells))
    if errors := current["all"].gateway_errors:
        print(f"  ⚠ {errors} turns got the gateway's apology (bot unreachable or slow): judged as failures")


def print_failures(results: list[ConversationResult]) -> None:
    """Failing turns of development conversations, with what was said and replied."""
    failing = [r for r in results if not r.conversation.holdout and not r.success]
    print(f"\nfailing development conversations: {len(failing)}")
    for result in failing:
        conversation = result.conversation
        print(f"\n■ {conversation.id} ({conversation.topic}, {conversation.style}, {conversation.source})")
        for turn in result.turns:
            mark = "✔" if turn.verdict.passed else "✘"
            print(f"  {mark} {turn.index + 1}. {turn.user}\n      expect {turn.expect}")
            if not turn.verdict.passed:
                reply = turn.reading.text.replace("\n", " ⏎ ")[:REPLY_SHOWN]
                print(f"      problems: {'; '.join(turn.verdict.problems)}\n      reply: {reply}")


def _calibration(side: Side, catalogue: str, part: str, figure: str) -> float:
    return (side.calibration or {}).get(catalogue, {}).get(part, {}).get(figure, math.nan)


def print_calibration(sides: list[Side]) -> None:
    measured = [side for side in sides if side.calibration]
    if not measured:
        return
    print("\nsearch calibration (benchmarks/search.py's message sets; rates of messages)")
    print(f"  {'catalogue':<20} {'part':<12} {'figure':<16}" + "".join(f" {side.name:>18}" for side in measured))
    for catalogue, parts in (measured[0].calibration or {}).items():
        for part in parts:
            for figure in CALIBRATION_FIGURES:
                cells = [f"{_calibration(side, catalogue, part, figure):>18.3f}" for side in measured]
                print(f"  {catalogue:<20} {part:<12} {figure:<16} " + " ".join(cells))


def _part(results: list[ConversationResult], holdout: bool) -> dict[str, Figures]:
    return figures_by_group(r for r in results if r.conversation.holdout == holdout)


def report(sides: list[Side], conversations: list[Conversation], show_failures: bool) -> None:
    current = sides[0]
    base = next((side for side in sides[1:] if side.results is not None), None)
    hand = sum(c.source == "hand" for c in conversations)
    print(
        f"\nconversation benchmark: {len(conversations)} conversations ({hand} hand-written, "
        f"{len(conversations) - hand} generated)"
    )
    for side in sides:
        if side.error:
            print(f"  {side.name}: not run — {side.error}")
    if current.results is None:
        return
    for part, holdout in (("development", False), ("held out (aggregate only)", True)):
        title = f"{part} — {current.name}" + (f" vs {base.name}" if base else "")
        print_table(title, _part(current.results, holdout), _part(base.results, holdout) if base else None)
    print_calibration(sides)
    if show_failures:
        print_failures(current.results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE_REF, help=f"git ref of the baseline ({BASELINE_REF})")
    parser.add_argument("--no-baseline", action="store_true", help="run the work tree only")
    parser.add_argument("--show-failures", action="store_true", help="print failing development turns")
    parser.add_argument("--closed-hours", action="store_true", help="no staff on duty: handoffs are out of hours")
    parser.add_argument("--workers", type=int, default=8, help="conversations at a time (8)")
    args = parser.parse_args()

    catalogue = Catalogue(load_procedures([CURATED_DIR]))
    conversations = load_conversations(catalogue)
    codes = DossierCodes(sample_dossiers([p for p in catalogue if catalogue.is_curated(p.code)]))
    sides = [Side("current", PROJECT_ROOT, train=True)]
    if not args.no_baseline:
        sides.append(Side(f"baseline {args.baseline}", baseline_worktree(args.baseline), train=False))
    folder = Path(tempfile.mkdtemp(prefix="motcua-conversations-"))
    with ThreadPoolExecutor(max_workers=2 * len(sides)) as pool:
        tasks: list[Future] = [pool.submit(run_side, side, folder, conversations, codes, args) for side in sides]
        tasks += [pool.submit(calibrate, side) for side in sides]
        for task in tasks:
            task.result()
    report(sides, conversations, args.show_failures)
    if any(side.error for side in sides):
        print(f"\nlogs kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

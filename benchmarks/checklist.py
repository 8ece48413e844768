"""Checklist benchmark: how soon the first paper is asked and how many turns the common case takes.

For every curated procedure with papers, a citizen in the common case (every paper ready, no special case)
goes through the guided checklist by its buttons, as the replies offer them. Figures per procedure:
- questions before the first paper (case questions the bot asks before any paper);
- turns from the start to the summary (the citizen's answers);
- paper questions (answered questions about papers, one paper or several at once).

The baseline (`--baseline REF`, default c0c371f = main before the checklist rework) runs this same file
against a git worktree of REF in a subprocess, so both trees are measured in the same run. The citizen
reads only replies and buttons, never a tree's internals, so it drives either tree alike.

    PYTHONPATH=. .venv/bin/python benchmarks/checklist.py [--baseline REF]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

BASELINE_REF = "c0c371f"
MAX_TURNS = 80
PAPER_READY = ("✔ Có rồi", "✔ Đủ cả")  # the buttons saying papers are ready, one or several
NO_CASE = ('"none"', '"no"')  # "Không thuộc trường hợp nào" now; "Không" to one case before


def _answer(button_payloads: dict[str, str]) -> tuple[str, bool] | None:
    """The common-case citizen's answer to a question: (checklist answer, whether it was a paper question)."""
    for title in PAPER_READY:
        if title in button_payloads:
            return "yes", True
    for payload in button_payloads.values():
        if "checklist_answer" in payload and any(no in payload for no in NO_CASE):
            return json.loads(payload.removeprefix("/inform"))["checklist_answer"], False
    return None


def measure() -> dict[str, dict[str, int]]:
    """Figures per curated procedure code, from the `bot` package importable here."""
    from bot.dialogue.checklist_turn import ChecklistTurn, start, step
    from bot.services import default_services

    services = default_services()
    figures: dict[str, dict[str, int]] = {}
    for code in sorted(services.catalogue.curated_codes):
        if not services.catalogue.get(code).documents:
            continue
        outcome = start(services, ChecklistTurn("", button_code=code))
        before_paper, turns, papers, seen_paper = 0, 0, 0, False
        while outcome.active and turns < MAX_TURNS:
            buttons = {b.title: b.payload for r in outcome.replies for b in r.buttons}
            answer = _answer(buttons)
            if answer is None:
                break
            value, is_paper = answer
            seen_paper |= is_paper
            before_paper += not seen_paper
            papers += is_paper
            outcome = step(services, ChecklistTurn("", button_answer=value, state=outcome.state))
            turns += 1
        figures[code] = {"before first paper": before_paper, "turns": turns, "paper questions": papers}
    return figures


def baseline_figures(ref: str) -> dict[str, dict[str, int]]:
    from benchmarks.conversations import baseline_worktree

    root = baseline_worktree(ref)
    env = {**os.environ, "PYTHONPATH": str(root)}
    run = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--measure"], env=env, cwd=root, capture_output=True, text=True
    )
    if run.returncode:
        raise SystemExit(f"baseline {ref} failed:\n{run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def _summary(figures: dict[str, dict[str, int]]) -> dict[str, float]:
    rows = list(figures.values())

    def column(name: str) -> list[int]:
        return [row[name] for row in rows]

    return {
        "procedures": len(rows),
        "questions before first paper, mean": statistics.mean(column("before first paper")),
        "questions before first paper, max": max(column("before first paper")),
        "first paper by 2nd message, share": sum(r["before first paper"] <= 1 for r in rows) / len(rows),
        "turns to summary, median": statistics.median(column("turns")),
        "turns to summary, max": max(column("turns")),
        "paper questions, median": statistics.median(column("paper questions")),
        "turns ≤ paper questions + 1, share": sum(r["turns"] <= r["paper questions"] + 1 for r in rows) / len(rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default=BASELINE_REF)
    parser.add_argument("--measure", action="store_true", help="print this tree's figures as JSON (internal)")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return
    current, baseline = measure(), baseline_figures(args.baseline)
    ours, theirs = _summary(current), _summary(baseline)
    print(f"checklist, common case: {ours['procedures']} curated procedures with papers")
    print(f"  {'figure':<38} {'current':>8} {args.baseline:>8} {'ratio':>7}")
    for key, value in ours.items():
        ratio = value / theirs[key] if theirs[key] else float("nan")
        print(f"  {key:<38} {value:>8.2f} {theirs[key]:>8.2f} {ratio:>7.2f}")
    for name in ("1.001456", "1.001193", "1.004194", "1.001612"):
        print(f"  {name}: current {current.get(name)}, {args.baseline} {baseline.get(name)}")


if __name__ == "__main__":
    main()

"""NLU benchmark: intent accuracy and macro-F1 on the held-out sets, ours against Rasa's default pipeline.

Both pipelines are trained on the same data (nlu_data/, hand-written + generated) and scored on
tests/nlu_heldout/ (never trained on), per style: with diacritics, without, with abbreviations, and long
story-like messages (2–6 sentences, the question usually last); "long vs short" is the accuracy on long
messages minus the mean accuracy of the three short styles. Then /model/parse latency of our model
through a real Rasa server. `--model` scores an already trained model as ours instead of training one.

    PYTHONPATH=. .venv/bin/python benchmarks/nlu.py [--skip-baseline] [--no-latency] [--model PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from rasa.core.agent import Agent
from rasa.model_training import train_nlu
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "nlu_heldout"
SHORT_STYLES = ("diacritics", "no_diacritics", "abbreviations")
STYLES = (*SHORT_STYLES, "long")


def train(config: Path, out: Path, name: str) -> tuple[str, float]:
    started = time.perf_counter()
    model = train_nlu(
        str(config), str(ROOT / "nlu_data"), str(out), fixed_model_name=name, domain=str(ROOT / "domain.yml")
    )
    return str(model), time.perf_counter() - started


async def predict(model: str, texts: list[str]) -> list[str]:
    agent = Agent.load(model)
    return [(await agent.parse_message(text))["intent"]["name"] for text in texts]


def score(model: str) -> dict[str, tuple[float, float, int]]:
    """Per style and overall: (accuracy, macro-F1, errors)."""
    results, gold_all, pred_all = {}, [], []
    for style in STYLES:
        examples = load_data(str(HELDOUT / f"{style}.yml")).intent_examples
        gold = [m.get("intent") for m in examples]
        pred = asyncio.run(predict(model, [m.get("text") for m in examples]))
        results[style] = _figures(gold, pred)
        gold_all += gold
        pred_all += pred
    results["overall"] = _figures(gold_all, pred_all)
    return results


def _figures(gold: list[str], pred: list[str]) -> tuple[float, float, int]:
    labels = sorted(set(gold))
    f1 = f1_score(gold, pred, labels=labels, average="macro", zero_division=0)
    return accuracy_score(gold, pred), f1, sum(g != p for g, p in zip(gold, pred, strict=True))


def long_vs_short(figures: dict[str, tuple[float, float, int]]) -> float:
    """Accuracy on long messages minus the mean accuracy of the short styles (negative: long ones do worse)."""
    return figures["long"][0] - statistics.mean(figures[style][0] for style in SHORT_STYLES)


def parse_latency(model: str, texts: list[str], port: int = 5099) -> tuple[float, float]:
    """p50/p95 of POST /model/parse in ms against `rasa run --enable-api` on loopback."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "--enable-api", "-m", model, "-p", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                if httpx.get(f"{url}/status", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(1)
        timings = []
        with httpx.Client(base_url=url, timeout=30) as client:
            for text in texts:
                started = time.perf_counter()
                client.post("/model/parse", json={"text": text}).raise_for_status()
                timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings), statistics.quantiles(timings, n=20)[18]
    finally:
        server.terminate()
        server.wait(30)


def _print(name: str, figures: dict[str, tuple[float, float, int]]) -> None:
    for style, (accuracy, f1, errors) in figures.items():
        print(f"  {name:<8} {style:<14} accuracy {accuracy:.3f}  macro-F1 {f1:.3f}  errors {errors}")
    print(f"  {name:<8} long vs short  accuracy {long_vs_short(figures):+.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--model", type=Path, help="score this trained model as ours (e.g. models/motcua.tar.gz)")
    args = parser.parse_args()
    if args.model is None or not args.skip_baseline:
        subprocess.run([sys.executable, "-m", "bot", "nlu", "generate"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as out:
        if args.model is None:
            ours, ours_seconds = train(ROOT / "config.yml", Path(out), "ours")
            print(f"ours: trained in {ours_seconds:.0f} s")
        else:
            ours = str(args.model.resolve())
            print(f"ours: {ours}")
        ours_figures = score(ours)
        _print("ours", ours_figures)
        if not args.skip_baseline:
            baseline, baseline_seconds = train(ROOT / "benchmarks" / "baseline_config.yml", Path(out), "baseline")
            print(f"baseline (rasa init default pipeline): trained in {baseline_seconds:.0f} s")
            baseline_figures = score(baseline)
            _print("baseline", baseline_figures)
            ratio = ours_figures["overall"][2] / max(1, baseline_figures["overall"][2])
            print(f"error-rate ratio ours/baseline: {ratio:.2f}")
        if not args.no_latency:
            texts = [m.get("text") for s in STYLES for m in load_data(str(HELDOUT / f"{s}.yml")).intent_examples]
            p50, p95 = parse_latency(ours, texts)
            print(f"/model/parse latency over {len(texts)} messages: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()

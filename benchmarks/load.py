"""Load benchmark: turn latency and messages/s of concurrent citizens through the gateway, against direct Rasa.

Each simulated citizen is one conversation of a few sequential turns (greeting, a procedure, follow-ups,
sometimes a dossier lookup, thanks; with and without diacritics); citizens run concurrently. Baseline in
the same run: the same turns sent straight to Rasa's gateway channel, with its token ("direct Rasa"). Each
level runs in
rounds of both targets, direct Rasa first in even rounds and the gateway first in odd ones, so neither
side systematically gets the warmer machine. Target: gateway p95 at most 1.2 times direct Rasa's.

By default starts its own stack (Rasa 5305, actions 5355, gateway 8305; Rasa's trackers and locks and
the gateway's state in Redis databases 1-3, flushed before and after; sample dossiers in a temporary
SQLite file).

    PYTHONPATH=. .venv/bin/python benchmarks/load.py [--levels 10,50,200] [--turns 5] [--rounds 2] [--quick]
        [--gateway URL --rasa URL]   # an already-running stack instead (RASA_TOKEN in the environment)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import redis

from bot import launcher
from bot.catalogue.store import load_procedures
from bot.dossiers.seed import sample_dossiers
from bot.dossiers.sql import SqlDossierStore
from bot.gateway import copy
from bot.settings import CURATED_DIR, Settings
from tests.conftest import UNLIMITED_CLIENTS

PORTS = launcher.Ports(rasa=5305, actions=5355, gateway=8305)
# Databases 4-15 belong to the test slots (tests/conftest.py), which flush them; 0 is left to `make run`.
RASA_REDIS_URL = "redis://127.0.0.1:6379/2"  # Rasa's trackers; its locks in database 3
GATEWAY_REDIS_URL = "redis://127.0.0.1:6379/1"
GATEWAY_WEBHOOK = "/webhooks/rest/webhook"
RASA_WEBHOOK = "/webhooks/gateway/webhook?token={token}"
P95_TARGET = 1.2
CLIENT_TIMEOUT = 120.0  # seconds; above the gateway's RASA_TIMEOUT so a slow turn is measured, not cut
# One address plays every citizen: the per-address limits are lifted.
GATEWAY_ENV = {"MESSAGES_PER_MINUTE": "1000000", "RASA_TIMEOUT": "60", **UNLIMITED_CLIENTS}
UNKNOWN_CODE = "000.00.00.H29-251120-0001"
GATEWAY_TEXTS = {  # what the gateway says itself when it cannot pass a message on: a failed turn
    copy.RASA_UNAVAILABLE: "apology",
    copy.RATE_LIMITED: "rate limited",
    copy.EMPTY_MESSAGE: "refused",
}

GREETINGS = ["xin chào", "xin chao", "chào em", "chao ad", "alo cho mình hỏi chút"]
PROCEDURES = [
    "làm giấy khai sinh cần gì",
    "lam giay khai sinh can gi",
    "thủ tục đăng ký kết hôn như thế nào ạ",
    "dang ky ket hon can giay to gi",
    "tôi muốn đăng ký tạm trú thì làm sao",
    "minh muon lam tam tru thi lam the nao",
    "cấp lại căn cước do bị mất ví",
    "cach cap doi can cuoc",
    "xin giấy xác nhận tình trạng hôn nhân",
    "muốn mở hộ kinh doanh bán cà phê phải làm gì",
    "thu tuc sang ten xe may",
    "làm lý lịch tư pháp như thế nào",
]
FOLLOW_UPS = [  # one aspect per entry, each with and without diacritics
    ("lệ phí bao nhiêu", "le phi bao nhieu"),
    ("mất bao lâu", "mat bao lau"),
    ("nộp ở đâu", "nop o dau"),
    ("cần những giấy tờ gì", "can nhung giay to gi"),
    ("có làm online được không", "co lam online duoc khong"),
    ("các bước làm thế nào", "cac buoc lam the nao"),
]
LOOKUPS = ["tra cứu hồ sơ {code}", "tra cuu ho so {code}", "hồ sơ {code} của tôi tới đâu rồi"]
THANKS = ["cảm ơn", "cam on", "cảm ơn em nhé", "ok cảm ơn ad"]


def script(rng: random.Random, turns: int, codes: list[str]) -> list[str]:
    """One citizen's turns: greeting, a procedure, follow-ups (a third look up a dossier), thanks."""
    follow_ups = [rng.choice(pair) for pair in rng.sample(FOLLOW_UPS, len(FOLLOW_UPS))]
    if rng.random() < 1 / 3:
        follow_ups.insert(rng.randrange(max(1, turns - 3)), rng.choice(LOOKUPS).format(code=rng.choice(codes)))
    opening = [rng.choice(GREETINGS), rng.choice(PROCEDURES), *follow_ups]
    return [*opening[: turns - 1], rng.choice(THANKS)]


@dataclass
class Outcome:
    """What one target did at one level: latencies of good turns (ms), failures by kind, wall time (s)."""

    latencies: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def turns(self) -> int:
        return len(self.latencies) + sum(self.failures.values())

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]


class Target:
    """A REST channel (gateway or direct Rasa) and the prefix of the conversations sent to it."""

    def __init__(self, name: str, url: str, prefix: str, connections: int) -> None:
        self.name = name
        self.prefix = prefix
        self.url = url
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        self.http = httpx.AsyncClient(timeout=CLIENT_TIMEOUT, limits=limits)

    async def turn(self, sender: str, text: str, outcome: Outcome) -> None:
        started = time.perf_counter()
        try:
            response = await self.http.post(self.url, json={"sender": sender, "message": text})
            elapsed = (time.perf_counter() - started) * 1000
            replies = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError) as error:
            outcome.failures[type(error).__name__] += 1
            return
        if replies is None:
            outcome.failures[f"HTTP {response.status_code}"] += 1
        elif not replies:
            outcome.failures["no reply"] += 1
        elif kind := next((GATEWAY_TEXTS[r.get("text")] for r in replies if r.get("text") in GATEWAY_TEXTS), None):
            outcome.failures[kind] += 1
        else:
            outcome.latencies.append(elapsed)

    async def citizen(self, sender: str, turns: list[str], outcome: Outcome) -> None:
        for text in turns:
            await self.turn(sender, text, outcome)

    async def run(self, scripts: list[list[str]], label: str, outcome: Outcome) -> None:
        """All citizens at once, each conversation's turns in order; adds to `outcome`."""
        started = time.perf_counter()
        senders = [f"{self.prefix}{label}-{i}" for i in range(len(scripts))]
        await asyncio.gather(*(self.citizen(s, turns, outcome) for s, turns in zip(senders, scripts, strict=True)))
        outcome.seconds += time.perf_counter() - started


async def benchmark(
    gateway_url: str, rasa_url: str, rasa_token: str, args: argparse.Namespace, codes: list[str]
) -> None:
    run_id = uuid.uuid4().hex[:8]
    connections = max(args.levels) + 10
    rasa_webhook = rasa_url.rstrip("/") + RASA_WEBHOOK.format(token=rasa_token)
    rasa = Target("direct Rasa", rasa_webhook, f"bench-rasa-{run_id}-", connections)
    gateway = Target("gateway", gateway_url.rstrip("/") + GATEWAY_WEBHOOK, f"bench-gw-{run_id}-", connections)
    rng = random.Random(args.seed)
    try:
        warm_up = [script(rng, args.turns, codes) for _ in range(3)]
        for target in (rasa, gateway):
            outcome = Outcome()
            await target.run(warm_up, "warm", outcome)
            if not outcome.latencies:
                raise SystemExit(f"{target.name} at {target.url} failed every warm-up turn: {dict(outcome.failures)}")
        print(f"\nwarmed up; {args.rounds} round(s) per level, direct Rasa first in even rounds, gateway first in odd")
        summary = []
        for level in args.levels:
            scripts = [script(rng, args.turns, codes) for _ in range(level)]
            outcomes = {rasa.name: Outcome(), gateway.name: Outcome()}
            for round_ in range(args.rounds):
                for target in (rasa, gateway) if round_ % 2 == 0 else (gateway, rasa):
                    await target.run(scripts, f"{level}-{round_}", outcomes[target.name])
            summary.append((level, *report(level, args, outcomes[rasa.name], outcomes[gateway.name])))
        print(f"\nsummary (target: gateway p95 / direct p95 ≤ {P95_TARGET})")
        print(f"  {'citizens':>8} {'p95 ratio':>10} {'msgs/s ratio':>13} {'failed':>7}  target")
        for level, p95_ratio, rate_ratio, failed in summary:
            met = "met" if p95_ratio <= P95_TARGET else "NOT met"
            print(f"  {level:>8} {p95_ratio:>10.2f} {rate_ratio:>13.2f} {failed:>7}  {met}")
    finally:
        await rasa.http.aclose()
        await gateway.http.aclose()


def report(level: int, args: argparse.Namespace, direct: Outcome, gateway: Outcome) -> tuple[float, float, int]:
    """Print one level's table; return (p95 ratio, messages/s ratio, failed turns)."""
    print(f"\n{level} concurrent citizens × {args.turns} turns × {args.rounds} round(s); latency in ms")
    print(f"  {'target':<12} {'turns':>6} {'failed':>7} {'p50':>8} {'p95':>8} {'p99':>8} {'msgs/s':>8}")
    for name, outcome in (("direct Rasa", direct), ("gateway", gateway)):
        figures = " ".join(f"{outcome.percentile(p):>8.1f}" for p in (50, 95, 99))
        failed = sum(outcome.failures.values())
        print(f"  {name:<12} {outcome.turns:>6} {failed:>7} {figures} {outcome.per_second:>8.1f}")
        if failed:
            print(f"  {'':<12} failures: {', '.join(f'{kind} {n}' for kind, n in outcome.failures.most_common())}")
    p95_ratio = gateway.percentile(95) / direct.percentile(95)
    rate_ratio = gateway.per_second / direct.per_second if direct.per_second else float("nan")
    met = "met" if p95_ratio <= P95_TARGET else "NOT met"
    print(f"  gateway p95 / direct p95: {p95_ratio:.2f} (target ≤ {P95_TARGET}: {met})")
    print(f"  gateway msgs/s / direct msgs/s: {rate_ratio:.2f}")
    return p95_ratio, rate_ratio, sum(gateway.failures.values()) + sum(direct.failures.values())


def _port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _with_db(url: str, db: int) -> str:
    return urlsplit(url)._replace(path=f"/{db}").geturl()


def _flush(rasa_redis_url: str, gateway_redis_url: str) -> None:
    """Empty Rasa's tracker and lock databases and the gateway's state database."""
    db = int(urlsplit(rasa_redis_url).path.lstrip("/") or 0)
    gateway_db = int(urlsplit(gateway_redis_url).path.lstrip("/") or 0)
    if urlsplit(rasa_redis_url).netloc == urlsplit(gateway_redis_url).netloc and gateway_db in (db, db + 1):
        raise SystemExit(f"the gateway's Redis database {gateway_db} is one of Rasa's ({db}, {db + 1})")
    for url in (rasa_redis_url, _with_db(rasa_redis_url, db + 1), gateway_redis_url):
        redis.Redis.from_url(url).flushdb()


def _seed_dossiers(folder: Path) -> tuple[str, list[str]]:
    """A SQLite dossier store with the sample dossiers: (DATABASE_URL, a few of their codes)."""
    url = f"sqlite:///{folder / 'dossiers.db'}"
    samples = sample_dossiers(load_procedures([CURATED_DIR]))
    store = SqlDossierStore(url)
    try:
        store.save(samples)
    finally:
        store.close()
    return url, [d.code for d in samples[:: max(1, len(samples) // 5)]]


@contextmanager
def own_stack(args: argparse.Namespace) -> Iterator[tuple[str, str, str, list[str]]]:
    """Rasa, the action server and the gateway on spare ports: (gateway URL, Rasa URL, its token, dossier codes).
    Logs go to a temporary folder, kept (and named) when something fails."""
    busy = [port for port in (PORTS.rasa, PORTS.actions, PORTS.gateway) if _port_in_use(port)]
    if busy:
        raise SystemExit(f"ports {busy} are in use; stop what runs there or pass --gateway and --rasa")
    _flush(args.redis_url, args.gateway_redis_url)
    model = launcher.train()
    folder = Path(tempfile.mkdtemp(prefix="motcua-load-"))
    database_url, codes = _seed_dossiers(folder)
    tokens = launcher.internal_tokens(Settings.from_env({}))
    env = {"DATABASE_URL": database_url, **tokens}
    processes: list[subprocess.Popen] = []
    failed = True
    try:
        print(f"starting Rasa, the action server and the gateway (logs in {folder})…", flush=True)
        processes = launcher.start(model, PORTS, launcher.endpoints_file(PORTS, folder, args.redis_url), folder, env)
        launcher.wait_ready(PORTS, processes, tokens["RASA_TOKEN"])
        gateway_env = {**env, **GATEWAY_ENV, "REDIS_URL": args.gateway_redis_url}
        processes.append(launcher.start_gateway(PORTS, folder, gateway_env))
        launcher.wait_for([f"http://127.0.0.1:{PORTS.gateway}/readyz"], processes)
        urls = f"http://127.0.0.1:{PORTS.gateway}", f"http://127.0.0.1:{PORTS.rasa}"
        yield *urls, tokens["RASA_TOKEN"], [*codes, UNKNOWN_CODE]
        failed = False
    finally:
        launcher.stop(processes)
        _flush(args.redis_url, args.gateway_redis_url)
        if failed:
            print(f"logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _levels(value: str) -> list[int]:
    levels = [int(part) for part in value.split(",") if part.strip()]
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError("levels are positive integers, e.g. 10,50,200")
    return levels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", type=_levels, default=[10, 50, 200], help="concurrent citizens (10,50,200)")
    parser.add_argument("--turns", type=int, default=5, help="turns per citizen, 2 to 9 (5)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of both targets per level, order alternating (2)")
    parser.add_argument("--quick", action="store_true", help="smoke run: levels 5,10 and 3 turns")
    parser.add_argument("--seed", type=int, default=7, help="seed of the citizens' scripts (7)")
    parser.add_argument("--gateway", help="an already-running gateway's URL (with --rasa; no stack is started)")
    parser.add_argument("--rasa", help="the Rasa server behind it, for the direct baseline")
    redis_help = "own stack: Rasa's trackers, its locks in the next database (db 2)"
    parser.add_argument("--redis-url", default=RASA_REDIS_URL, help=redis_help)
    parser.add_argument("--gateway-redis-url", default=GATEWAY_REDIS_URL, help="own stack: gateway state (db 1)")
    args = parser.parse_args()
    if args.quick:
        args.levels, args.turns = [5, 10], 3
    if not 2 <= args.turns <= 9:
        parser.error("--turns is between 2 and 9")
    if bool(args.gateway) != bool(args.rasa):
        parser.error("--gateway and --rasa go together")

    if args.gateway:
        asyncio.run(benchmark(args.gateway, args.rasa, os.environ.get("RASA_TOKEN", ""), args, [UNKNOWN_CODE]))
        return
    with own_stack(args) as (gateway_url, rasa_url, rasa_token, codes):
        asyncio.run(benchmark(gateway_url, rasa_url, rasa_token, args, codes))


if __name__ == "__main__":
    main()

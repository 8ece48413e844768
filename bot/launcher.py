"""`python -m bot run`: train if needed, start the action server, Rasa and the gateway; stop all on Ctrl-C."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bot.catalogue.store import Catalogue
from bot.catalogue.sync import sync_catalogue
from bot.settings import PROJECT_ROOT, Settings

MODELS_DIR = PROJECT_ROOT / "models"
PID_FILE = PROJECT_ROOT / "var" / "run" / "motcua.pid"
READY_TIMEOUT = 300.0


@dataclass(frozen=True)
class Ports:
    rasa: int = 5005
    actions: int = 5055
    gateway: int = 8000
    internal_host: str = "127.0.0.1"  # where Rasa and the action server listen

    @property
    def internal(self) -> str:
        """The address to reach the internal servers at (loopback when they listen everywhere)."""
        return "127.0.0.1" if self.internal_host in ("0.0.0.0", "::") else self.internal_host

    def gateway_env(self) -> dict[str, str]:
        """Where the gateway finds the servers behind it."""
        return {
            "RASA_URL": f"http://{self.internal}:{self.rasa}",
            "ACTION_SERVER_URL": f"http://{self.internal}:{self.actions}",
            "GATEWAY_PORT": str(self.gateway),
        }


def internal_tokens(settings: Settings) -> dict[str, str]:
    """RASA_TOKEN and ACTION_SERVER_TOKEN for every process of a run: configured, or made afresh."""
    return {
        "RASA_TOKEN": settings.rasa_token or secrets.token_urlsafe(32),
        "ACTION_SERVER_TOKEN": settings.action_server_token or secrets.token_urlsafe(32),
    }


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "RASA_TELEMETRY_ENABLED": "false", **(extra or {})}


def _rasa(*args: str) -> list[str]:
    return [sys.executable, "-m", "rasa", *args]


def generate_training_data() -> None:
    subprocess.run([sys.executable, "-m", "bot", "nlu", "generate"], cwd=PROJECT_ROOT, env=_env(), check=True)


def train() -> Path:
    """Train a model unless the latest one already matches the data and config (Rasa's fingerprint)."""
    generate_training_data()
    command = _rasa("train", "--data", "nlu_data", "--domain", "domain.yml", "--config", "config.yml")
    subprocess.run(
        [*command, "--out", str(MODELS_DIR), "--fixed-model-name", "motcua"], cwd=PROJECT_ROOT, env=_env(), check=True
    )
    return latest_model()


def seed_sample_dossiers() -> None:
    """Embedded default: the SQLite dossier store gets today's sample dossiers (idempotent per day)."""
    subprocess.run([sys.executable, "-m", "bot", "dossiers", "seed"], cwd=PROJECT_ROOT, env=_env(), check=True)


def latest_model() -> Path:
    models = sorted(MODELS_DIR.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise FileNotFoundError("no trained model in models/")
    return models[-1]


def _background(command: list[str], log: Path, env: dict[str, str] | None) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=_env(env), stdout=log.open("ab"), stderr=subprocess.STDOUT)


def start(model: Path, ports: Ports, endpoints: Path, log_dir: Path, env: dict[str, str]) -> list[subprocess.Popen]:
    """Start the action server and the Rasa server (gateway channel, HTTP API) in the background, on the
    internal host only, each requiring its token from `env` (RASA_TOKEN, ACTION_SERVER_TOKEN)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {**env, "INTERNAL_HOST": ports.internal_host}
    action_server = [sys.executable, "-m", "bot.internal.action_server", "--port", str(ports.actions)]
    actions = _background(action_server, log_dir / "actions.log", env)
    rasa_command = [sys.executable, "-m", "bot.internal.rasa_server", "run", "--enable-api"]
    rasa_command += ["-i", ports.internal_host, "-p", str(ports.rasa), "-m", str(model), "--endpoints", str(endpoints)]
    rasa_command += ["--credentials", str(PROJECT_ROOT / "credentials.yml")]
    rasa = _background(rasa_command, log_dir / "rasa.log", env)
    return [actions, rasa]


def start_gateway(ports: Ports, log_dir: Path, env: dict[str, str], host: str = "0.0.0.0") -> subprocess.Popen:
    """Start the gateway (uvicorn on `host`) in front of the Rasa and action servers on `ports`. Proxy
    headers are read by the gateway itself, from TRUSTED_PROXIES only (bot/gateway/clients.py)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "uvicorn", "bot.gateway.app:create_app", "--factory", "--no-proxy-headers"]
    command += ["--host", host, "--port", str(ports.gateway), "--no-access-log"]
    return _background(command, log_dir / "gateway.log", {**ports.gateway_env(), **env})


def wait_ready(
    ports: Ports, processes: list[subprocess.Popen], rasa_token: str, timeout: float = READY_TIMEOUT
) -> None:
    """Block until Rasa has its model loaded and the action server answers; fail if a process dies."""
    checks = [f"http://{ports.internal}:{ports.actions}/health", f"http://{ports.internal}:{ports.rasa}/status"]
    wait_for(checks, processes, timeout, params={"token": rasa_token})


def wait_for(
    checks: list[str],
    processes: list[subprocess.Popen],
    timeout: float = READY_TIMEOUT,
    params: dict[str, str] | None = None,
) -> None:
    """Block until every URL answers 200, in order; fail if a process dies or time runs out."""
    checks = list(checks)
    deadline = time.monotonic() + timeout
    while checks:
        if any(p.poll() is not None for p in processes):
            raise RuntimeError("a server exited while starting; see var/log/")
        if time.monotonic() > deadline:
            raise TimeoutError(f"not ready after {timeout:.0f} s: {checks}")
        try:
            if httpx.get(checks[0], params=params, timeout=2).status_code == 200:
                checks.pop(0)
                continue
        except httpx.HTTPError:
            pass
        time.sleep(1)


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def endpoints_file(ports: Ports, folder: Path, redis_url: str = "", tracker_days: int = 30) -> Path:
    """An endpoints.yml pointing Rasa at the action server on `ports.actions` (with its token, read by Rasa
    from ACTION_SERVER_TOKEN: the file holds no secret), and Redis tracker and lock stores when `redis_url`
    is set (otherwise Rasa keeps both in memory); trackers expire `tracker_days` after their last event."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"endpoints-{ports.rasa}.yml"
    text = f'action_endpoint:\n  url: "http://{ports.internal}:{ports.actions}/webhook"\n'
    text += "  headers:\n    Authorization: Bearer ${ACTION_SERVER_TOKEN}\n"  # plain: Rasa expands it
    if redis_url:
        text += _redis_stores(redis_url, tracker_days * 24 * 3600)
    path.write_text(text, encoding="utf-8")
    return path


def _redis_stores(redis_url: str, tracker_seconds: int) -> str:
    """Rasa's tracker store (the URL's database, records expiring after `tracker_seconds`) and lock store
    (the next one) on the same Redis."""
    url = urlsplit(redis_url)
    db = int(url.path.lstrip("/") or 0)
    lines = []
    for store, store_db in (("tracker_store", db), ("lock_store", db + 1)):
        lines += [f"{store}:", "  type: redis", f"  url: {url.hostname or 'localhost'}", f"  port: {url.port or 6379}"]
        lines.append(f"  db: {store_db}")
        if store == "tracker_store":
            lines.append(f"  record_exp: {tracker_seconds}")
        if url.password:
            lines.append(f'  password: "{url.password}"')
        if url.scheme == "rediss":
            lines.append("  use_ssl: true")
    return "\n".join(lines) + "\n"


def _already_running() -> int | None:
    try:
        pid = int(PID_FILE.read_text())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None


def run() -> int:
    """Everything `make run` starts, in the foreground until Ctrl-C."""
    if pid := _already_running():
        print(f"MotCua is already running (pid {pid}). Stop it with Ctrl-C in its terminal first.")
        return 1
    PID_FILE.parent.mkdir(parents=True, exist_ok=True)
    PID_FILE.write_text(str(os.getpid()))
    processes: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    try:
        settings = Settings.from_env()
        ports = Ports(gateway=settings.gateway_port, internal_host=settings.internal_host)
        tokens = internal_tokens(settings)
        print(sync_configured_catalogue(settings), flush=True)
        model = train()
        if settings.uses_sample_database:
            seed_sample_dossiers()
        log_dir = PROJECT_ROOT / "var" / "log"
        run_dir = PROJECT_ROOT / "var" / "run"
        endpoints = endpoints_file(ports, run_dir, settings.redis_url, settings.retention_days)
        processes = start(model, ports, endpoints, log_dir, tokens)
        print("Starting Rasa, the action server and the gateway (logs in var/log/)…", flush=True)
        print(_stores_notice(settings), flush=True)
        wait_ready(ports, processes, tokens["RASA_TOKEN"])
        processes.append(start_gateway(ports, log_dir, tokens, settings.gateway_host))
        wait_for([f"http://127.0.0.1:{ports.gateway}/readyz"], processes)
        print(_running_notice(settings, ports), flush=True)
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        print("A server stopped unexpectedly; see var/log/.")
        return 1
    except KeyboardInterrupt:
        print("\nStopping…")
        return 0
    finally:
        stop(processes)
        PID_FILE.unlink(missing_ok=True)


def sync_configured_catalogue(settings: Settings) -> str:
    """Import the configured catalogue source when it changed; a line saying what the bot serves."""
    source = settings.catalogue_source
    if source is None:
        return "Catalogue: the curated procedures only (set MOTCUA_CATALOGUE_SOURCE to serve a whole catalogue)."
    try:
        result = sync_catalogue(source, settings.imported_catalogue)
    except (FileNotFoundError, ValueError) as error:
        return f"Catalogue: could not import {source} ({error}); serving what was imported before, if anything."
    count = len(Catalogue.load(settings))
    done = "up to date" if result.report is None else f"imported {result.report.imported} records"
    return f"Catalogue: {count} procedures — {source} {done} (re-import: python -m bot catalogue sync)."


def _stores_notice(settings: Settings) -> str:
    if settings.redis_url:
        return "State: Redis at REDIS_URL (Rasa's trackers and locks, the gateway's state)."
    return "State: in memory — REDIS_URL is not set, so conversations are lost when MotCua stops."


def _running_notice(settings: Settings, ports: Ports) -> str:
    base = f"http://localhost:{ports.gateway}"
    telegram = "on (polling)" if settings.telegram_bot_token and not settings.public_url else "off"
    if settings.telegram_bot_token and settings.public_url:
        telegram = f"on (webhook {settings.public_url}/webhooks/telegram)"
    zalo = f"on ({base}/webhooks/zalo)" if settings.zalo_app_id and settings.zalo_oa_secret_key else "off"
    return (
        f"\nMotCua is running.\n"
        f"  Demo page with the chat widget: {base}/\n"
        f"  Widget script:                  {base}/widget.js\n"
        f"  Staff console:                  {base}/staff  (first account: python -m bot staff create-admin)\n"
        f"  REST channel:                   {base}/webhooks/rest/webhook\n"
        f"  Catalogue search API:           {base}/api/procedures/search?q=khai+sinh\n"
        f"  Health / readiness:             {base}/healthz  {base}/readyz\n"
        f"  Telegram: {telegram}; Zalo: {zalo}\n"
        f"  Internal (token required):      Rasa http://{ports.internal}:{ports.rasa}, actions http://{ports.internal}:{ports.actions}\n"
        f"  Chat in a terminal:             PYTHONPATH=. .venv/bin/python -m bot chat\n"
        f"Press Ctrl-C to stop."
    )

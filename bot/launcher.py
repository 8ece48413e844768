"""`python -m bot run`: train if needed, start the action server and Rasa, stop both on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.settings import PROJECT_ROOT, Settings

MODELS_DIR = PROJECT_ROOT / "models"
PID_FILE = PROJECT_ROOT / "var" / "run" / "motcua.pid"
READY_TIMEOUT = 300.0


@dataclass(frozen=True)
class Ports:
    rasa: int = 5005
    actions: int = 5055


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


def start(
    model: Path, ports: Ports, endpoints: Path, log_dir: Path, env: dict[str, str] | None = None
) -> list[subprocess.Popen]:
    """Start the action server and the Rasa server (REST channel, HTTP API) in the background."""
    log_dir.mkdir(parents=True, exist_ok=True)
    actions = subprocess.Popen(
        _rasa("run", "actions", "--actions", "actions", "-p", str(ports.actions)),
        cwd=PROJECT_ROOT,
        env=_env(env),
        stdout=(log_dir / "actions.log").open("ab"),
        stderr=subprocess.STDOUT,
    )
    rasa = subprocess.Popen(
        _rasa(
            "run",
            "--enable-api",
            "--cors",
            "*",
            "-m",
            str(model),
            "-p",
            str(ports.rasa),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(PROJECT_ROOT / "credentials.yml"),
        ),
        cwd=PROJECT_ROOT,
        env=_env(env),
        stdout=(log_dir / "rasa.log").open("ab"),
        stderr=subprocess.STDOUT,
    )
    return [actions, rasa]


def wait_ready(ports: Ports, processes: list[subprocess.Popen], timeout: float = READY_TIMEOUT) -> None:
    """Block until Rasa has its model loaded and the action server answers; fail if a process dies."""
    checks = [f"http://127.0.0.1:{ports.actions}/health", f"http://127.0.0.1:{ports.rasa}/status"]
    deadline = time.monotonic() + timeout
    while checks:
        if any(p.poll() is not None for p in processes):
            raise RuntimeError("a server exited while starting; see var/log/")
        if time.monotonic() > deadline:
            raise TimeoutError(f"not ready after {timeout:.0f} s: {checks}")
        try:
            if httpx.get(checks[0], timeout=2).status_code == 200:
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


def endpoints_file(ports: Ports, folder: Path) -> Path:
    """An endpoints.yml pointing Rasa at the action server on `ports.actions`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"endpoints-{ports.rasa}.yml"
    path.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{ports.actions}/webhook"\n', encoding="utf-8")
    return path


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
    ports = Ports()
    processes: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    try:
        model = train()
        if Settings.from_env().uses_sample_database:
            seed_sample_dossiers()
        log_dir = PROJECT_ROOT / "var" / "log"
        processes = start(model, ports, endpoints_file(ports, PROJECT_ROOT / "var" / "run"), log_dir)
        print("Starting Rasa and the action server (logs in var/log/)…", flush=True)
        wait_ready(ports, processes)
        print(
            f"\nMotCua is running.\n"
            f"  Rasa (REST channel): http://localhost:{ports.rasa}/webhooks/rest/webhook\n"
            f"  Rasa HTTP API:       http://localhost:{ports.rasa}/model/parse\n"
            f"  Action server:       http://localhost:{ports.actions}/health\n"
            f"  Chat in a terminal:  PYTHONPATH=. .venv/bin/python -m bot chat\n"
            f"Press Ctrl-C to stop.",
            flush=True,
        )
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

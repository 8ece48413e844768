"""One tree's MotCua — action server, Rasa and gateway — on spare ports, for the conversation benchmark.

`serving(root, …)` runs this file as a script with `root` as working directory and PYTHONPATH, so `bot` is
that tree's code: the work tree, or a baseline's git worktree whose `bot/launcher.py` has the same functions.
The script trains a model when asked (or when the tree has none), starts the three processes with the
tree's own launcher, and keeps them until it is terminated. Rasa's trackers and the gateway's state stay in
memory; the dossier database, limits and secrets come from the environment the parent passes.

    python benchmarks/conversation_stack.py --rasa PORT --actions PORT --gateway PORT --logs DIR [--train]
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot import launcher
from bot.settings import Settings

STACK_SCRIPT = Path(__file__).resolve()
START_TIMEOUT = 3600.0  # seconds: a baseline without a model trains first


def _model(train: bool) -> Path:
    """The model to serve: trained first when asked (Rasa skips it when nothing changed) or when there is none."""
    if not train:
        try:
            return launcher.latest_model()
        except FileNotFoundError:
            pass
    return launcher.train()


def serve(ports: launcher.Ports, logs: Path, train: bool) -> None:
    """Start the stack of the tree `bot` comes from and keep it until SIGTERM, or until the parent is gone."""
    parent = os.getppid()
    processes: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        model = _model(train)
        tokens = launcher.internal_tokens(Settings.from_env())
        processes = launcher.start(model, ports, launcher.endpoints_file(ports, logs), logs, tokens)
        launcher.wait_ready(ports, processes, tokens["RASA_TOKEN"])
        processes.append(launcher.start_gateway(ports, logs, tokens, host="127.0.0.1"))
        while os.getppid() == parent and all(process.poll() is None for process in processes):
            time.sleep(1)
    finally:
        launcher.stop(processes)


@contextmanager
def serving(root: Path, ports: launcher.Ports, env: dict[str, str], logs: Path, train: bool) -> Iterator[str]:
    """The stack of the tree at `root` on `ports`, with `env` added to this environment; yields the gateway's
    base URL once it is ready, and stops everything on exit."""
    logs.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(STACK_SCRIPT), "--logs", str(logs), *(["--train"] if train else [])]
    command += ["--rasa", str(ports.rasa), "--actions", str(ports.actions), "--gateway", str(ports.gateway)]
    full_env = {**os.environ, "SECRET_KEY": secrets.token_urlsafe(32), **env}
    full_env |= {"PYTHONPATH": str(root), "RASA_TELEMETRY_ENABLED": "false"}
    with (logs / "stack.log").open("ab") as log:
        process = subprocess.Popen(command, cwd=root, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{ports.gateway}"
    try:
        try:
            launcher.wait_for([f"{url}/readyz"], [process], START_TIMEOUT)
        except (RuntimeError, TimeoutError) as error:
            raise RuntimeError(f"the stack of {root} did not start ({error}); logs in {logs}") from error
        yield url
    finally:
        launcher.stop([process])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("rasa", "actions", "gateway"):
        parser.add_argument(f"--{name}", type=int, required=True, help=f"the {name} port")
    parser.add_argument("--logs", type=Path, required=True, help="folder for logs and the endpoints file")
    parser.add_argument("--train", action="store_true", help="train (or check the model) first, as `make run` does")
    args = parser.parse_args()
    serve(launcher.Ports(rasa=args.rasa, actions=args.actions, gateway=args.gateway), args.logs, args.train)


if __name__ == "__main__":
    main()

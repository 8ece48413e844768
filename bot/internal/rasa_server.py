"""`python -m bot.internal.rasa_server ARGS…`: `rasa ARGS… --auth-token $RASA_TOKEN`.

The token is added inside the process, so it never appears on a command line (`ps` shows those to every
local user).
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    token = os.environ.get("RASA_TOKEN", "")
    if not token:
        raise SystemExit("RASA_TOKEN is not set: Rasa refuses to run without a token")
    sys.argv = ["rasa", *sys.argv[1:], f"--auth-token={token}"]  # "=": a token may start with "-"
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()

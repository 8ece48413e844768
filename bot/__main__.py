"""`python -m bot …` — the project's command line."""

import sys

from bot.cli import main

sys.exit(main())

#!/usr/bin/env bash
# Print the path of a working Python 3.10 interpreter (Rasa 3.6 supports nothing newer), or fail clearly.
set -u
candidates=(python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10)
if command -v pyenv >/dev/null 2>&1; then
  for dir in "$(pyenv root)"/versions/3.10*/bin; do candidates+=("$dir/python3.10"); done
fi
for dir in "$HOME"/.pyenv/versions/3.10*/bin; do candidates+=("$dir/python3.10"); done
for python in "${candidates[@]}"; do
  if "$python" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
    command -v "$python"
    exit 0
  fi
done
echo "error: Python 3.10 not found. Install it (e.g. 'pyenv install 3.10') — Rasa 3.6 runs on Python 3.10 at most." >&2
exit 1

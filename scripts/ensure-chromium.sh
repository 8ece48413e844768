#!/usr/bin/env bash
# Make sure /usr/bin/chromium exists for the widget's browser tests: install Debian's chromium if needed.
set -eu
[ -x /usr/bin/chromium ] && exit 0
echo "Installing chromium (for the widget's browser tests)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq chromium >/dev/null
[ -x /usr/bin/chromium ] || { echo "error: chromium did not install to /usr/bin/chromium" >&2; exit 1; }
echo "chromium installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"

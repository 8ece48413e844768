#!/usr/bin/env bash
# Make sure a Redis server answers on 127.0.0.1:6379: start one, installing Debian's redis-server if needed.
set -eu
port_open() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
port_open && exit 0
if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing redis-server…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
fi
mkdir -p /var/lib/redis /var/log/redis
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
  --dir /var/lib/redis --logfile /var/log/redis/motcua.log
for _ in $(seq 50); do port_open && { echo "Redis started on 127.0.0.1:6379"; exit 0; }; sleep 0.1; done
echo "error: Redis did not start (see /var/log/redis/motcua.log)" >&2
exit 1

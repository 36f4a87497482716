#!/usr/bin/env bash
# Idempotent machine + workspace setup, shared by `pnpm`-less first runs, CI and the README:
# pnpm, Debian's chromium (browser tests), a running Redis and PostgreSQL, dependencies, the console build.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=12.21.0
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "--- installing pnpm $PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

apt_updated=0
apt_install() {
  if [ "$(id -u)" != 0 ]; then echo "setup: need root to apt-get install $*" >&2; return 1; fi
  if [ $apt_updated = 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ "${CALLQA_SKIP_BROWSER:-0}" != 1 ]; then
  if [ ! -x /usr/bin/chromium ]; then
    echo "--- installing Debian chromium (browser tests)"
    apt_install chromium
  fi
  # Without a CJK font the screenshots show boxes instead of Chinese.
  if ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto sans cjk'; then
    echo "--- installing a Chinese font (fonts-wqy-microhei)"
    apt_install fonts-wqy-microhei fontconfig
  fi
fi

if ! command -v redis-server >/dev/null 2>&1; then
  echo "--- installing redis-server"
  apt_install redis-server
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "--- starting redis on 127.0.0.1:6379"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 50); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

# PostgreSQL: the store of record of reports and KPIs (tests create their own databases on it).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "--- installing postgresql"
  apt_install postgresql
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pg_dir=/var/lib/postgresql/callqa
  echo "--- starting postgresql on 127.0.0.1:5432 (trust auth, data in $pg_dir)"
  # initdb refuses root: the cluster belongs to the postgres user.
  run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  if [ ! -f "$pg_dir/PG_VERSION" ]; then
    mkdir -p "$pg_dir" && { [ "$(id -u)" != 0 ] || chown postgres:postgres "$pg_dir"; }
    run_pg "$pg_bin/initdb" -D "$pg_dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  run_pg "$pg_bin/pg_ctl" -D "$pg_dir" -o "-p 5432 -k /tmp -c listen_addresses=127.0.0.1" -l "$pg_dir/log" -w start >/dev/null
fi

echo "--- pnpm install"
# nodejieba builds from source: its installer needs these (see docs/toolchain notes).
export npm_config_yes=true npm_config_nodedir=/usr
pnpm install --frozen-lockfile

if [ -f services/console/package.json ] && grep -q '"build"' services/console/package.json; then
  echo "--- building the console"
  pnpm --filter @callqa/console build
fi

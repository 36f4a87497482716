#!/usr/bin/env bash
# Idempotent machine + workspace setup, shared by `pnpm`-less first runs, CI and the README:
# pnpm, Debian's chromium (browser tests), a running Redis (append-only under ./data) and
# PostgreSQL, dependencies, the console build.
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
  # The case-sheet browser test renders its printed PDF to PNG pages.
  if ! command -v pdftoppm >/dev/null 2>&1; then
    echo "--- installing poppler-utils (pdftoppm)"
    apt_install poppler-utils
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
  # A Redis this script starts keeps its data: append-only file under ./data (reports, KPIs and
  # live checkpoints survive a restart; `pnpm start` uses the same directory for its own Redis).
  echo "--- starting redis on 127.0.0.1:6379 (append-only, data in $PWD/data)"
  mkdir -p data
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly yes --appendfsync everysec \
    --dir "$PWD/data" --logfile "$PWD/data/redis.log"
  for _ in $(seq 1 50); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

# PostgreSQL (Debian's package): installed when missing, started when nothing answers on
# 127.0.0.1:5432. A cluster this script creates trusts local connections (a development/CI machine)
# and gets the `test` database the tests use.
pg_fresh=0
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  echo "--- installing postgresql"
  apt_install postgresql
  pg_fresh=1
fi
pg_version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
if [ $pg_fresh = 1 ] && [ -n "$pg_version" ]; then
  hba="/etc/postgresql/$pg_version/main/pg_hba.conf"
  sed -i -E 's/^(local|host)(\s+all\s+all\s+.*)(peer|scram-sha-256|md5)$/\1\2trust/; s/^(local\s+all\s+postgres\s+)peer$/\1trust/' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" main reload 2>/dev/null || true
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "--- starting postgresql $pg_version on 127.0.0.1:5432"
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start
  for _ in $(seq 1 100); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 0.1; done
fi
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && ! psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname = 'test'" 2>/dev/null | grep -q 1; then
  createdb -h 127.0.0.1 -U postgres test 2>/dev/null || echo "setup: could not create the test database (is 127.0.0.1 trusted for user postgres?)" >&2
fi

echo "--- pnpm install"
# nodejieba builds from source: its installer needs these (see docs/toolchain notes).
export npm_config_yes=true npm_config_nodedir=/usr
pnpm install --frozen-lockfile

if [ -f services/console/package.json ] && grep -q '"build"' services/console/package.json; then
  echo "--- building the console"
  pnpm --filter @callqa/console build
fi

#!/usr/bin/env bash
# `make serve-prod`: the production set-up on this machine. PostgreSQL database portal_prod_local (created,
# migrated, demo data loaded when it has no user yet), Redis with one RQ worker for print jobs, gunicorn with
# deploy/gunicorn.conf.py in production mode on http://127.0.0.1:8000/. Ctrl+C stops the worker and gunicorn.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_SERVER_URL=${PG_SERVER_URL:-postgresql+psycopg://postgres@127.0.0.1:5432}
export DATABASE_URL=${DATABASE_URL:-$PG_SERVER_URL/portal_prod_local}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export PORTAL_ENV=production
export GUNICORN_BIND=${GUNICORN_BIND:-127.0.0.1:8000}
FLASK="$BIN/flask --app portal"

if ! $BIN/python scripts/pg_ready.py "$DATABASE_URL"; then
  echo "PostgreSQL does not answer for $DATABASE_URL (start it, or set DATABASE_URL)"; exit 1
fi
if ! $BIN/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_timeout=3).ping()" "$REDIS_URL" \
    2>/dev/null; then
  echo "Redis does not answer at $REDIS_URL (start it: redis-server --daemonize yes, or set REDIS_URL)"; exit 1
fi
$BIN/python - "$DATABASE_URL" <<'PY'
import sys

import psycopg

url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://")
server, name = url.rsplit("/", 1)
with psycopg.connect(server + "/postgres", autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
        print(f"Created database {name}")
PY
# The secret key comes from instance/config.py (written with a random one on first start).
$FLASK db upgrade
users=$($BIN/python - "$DATABASE_URL" <<'PY'
import sys

import psycopg

with psycopg.connect(sys.argv[1].replace("postgresql+psycopg://", "postgresql://")) as conn:
    print(conn.execute("SELECT count(*) FROM users").fetchone()[0])
PY
)
if [ "$users" = "0" ]; then
  echo "Empty database: loading the demo data"
  $FLASK demo load
  $FLASK demo logins
fi

pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
if $FLASK worker --help >/dev/null 2>&1; then
  $FLASK worker &
  pids+=($!)
  echo "RQ worker started (pid ${pids[0]})"
else
  echo "WARNING: this version has no 'flask --app portal worker' command: print jobs run in the local pool"
fi
echo "Serving on http://$GUNICORN_BIND/ (production mode, Ctrl+C to stop)"
$BIN/gunicorn -c deploy/gunicorn.conf.py wsgi:app &
pids+=($!)
wait -n "${pids[@]}"

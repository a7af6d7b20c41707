#!/usr/bin/env bash
# A rehearsal of a province's installation on this machine: two web hosts and one print worker that share
# nothing but PostgreSQL and Redis, behind HAProxy on the loopback.
#
#   deploy/cluster.sh up            start everything, serve until Ctrl+C, then stop everything
#   deploy/cluster.sh start         start everything in the background and return once the balancer is ready
#   deploy/cluster.sh stop          stop what `start` started (by the process ids it recorded)
#   deploy/cluster.sh status        what runs, and each host's /readyz
#   deploy/cluster.sh kill a|b      kill web host a or b at once (SIGKILL to its whole process group): a host lost
#   deploy/cluster.sh revive a|b    start a killed web host again
#
# Each host has an instance folder of its own under $CLUSTER_DIR (host-a, host-b, worker-c); files go to the
# shared store (STORAGE=database), sessions are signed cookies checked against the database, so the balancer
# needs no stickiness and sends each request to whichever host is ready (round robin, /readyz every second).
# Settings (environment): DATABASE_URL (default portal_cluster on 127.0.0.1), REDIS_URL (default Redis
# database 5), CLUSTER_DIR, CLUSTER_PORT (balancer, 8100; hosts on the next two ports), GUNICORN_WORKERS (per
# host, default 2), SECRET_KEY (default: one random key kept in $CLUSTER_DIR, the same for every host).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=$ROOT/.venv/bin
PG_SERVER_URL=${PG_SERVER_URL:-postgresql+psycopg://postgres@127.0.0.1:5432}
export DATABASE_URL=${DATABASE_URL:-$PG_SERVER_URL/portal_cluster}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/5}
CLUSTER_DIR=${CLUSTER_DIR:-${TMPDIR:-/tmp}/portal-cluster}
CLUSTER_PORT=${CLUSTER_PORT:-8100}
PORT_A=$((CLUSTER_PORT + 1))
PORT_B=$((CLUSTER_PORT + 2))
WORKERS=${GUNICORN_WORKERS:-2}
FLASK="$BIN/flask --app portal"

as_root() { if [ "$(id -u)" = "0" ]; then "$@"; else sudo "$@"; fi; }
say() { echo "cluster: $*"; }

need_haproxy() {
  if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
    say "installing HAProxy from Debian"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends haproxy >/dev/null
  fi
  HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
}

check_services() {
  if ! $BIN/python scripts/pg_ready.py "$DATABASE_URL"; then
    echo "PostgreSQL does not answer for $DATABASE_URL"; exit 1
  fi
  if ! $BIN/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_timeout=3).ping()" \
      "$REDIS_URL" 2>/dev/null; then
    echo "Redis does not answer at $REDIS_URL (start it: redis-server --daemonize yes)"; exit 1
  fi
  $BIN/python - "$DATABASE_URL" <<'PY'
import sys

import psycopg

url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://")
server, name = url.rsplit("/", 1)
with psycopg.connect(server + "/postgres", autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
        print(f"cluster: created database {name}")
PY
}

# The environment every host shares; each adds its own instance folder.
common_env() {
  mkdir -p "$CLUSTER_DIR"
  if [ -z "${SECRET_KEY:-}" ]; then
    if [ ! -s "$CLUSTER_DIR/secret_key" ]; then
      (umask 077; $BIN/python -c 'import secrets; print(secrets.token_urlsafe(48))' > "$CLUSTER_DIR/secret_key")
    fi
    SECRET_KEY=$(cat "$CLUSTER_DIR/secret_key")
  fi
  export SECRET_KEY PORTAL_ENV=production STORAGE=database TRUSTED_PROXIES=1
}

host_dir() { echo "$CLUSTER_DIR/$1"; }

# Start a process in a session of its own (so that the whole host can be killed as one), record its id.
launch() {
  local name=$1; shift
  setsid "$@" >>"$CLUSTER_DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$CLUSTER_DIR/$name.pid"
}

start_web() {
  local name=$1 port=$2
  mkdir -p "$(host_dir "host-$name")"
  PORTAL_INSTANCE_PATH=$(host_dir "host-$name") GUNICORN_BIND=127.0.0.1:$port GUNICORN_WORKERS=$WORKERS \
    GUNICORN_ACCESS_LOG="$CLUSTER_DIR/host-$name.access.log" GUNICORN_MAX_REQUESTS=0 \
    launch "host-$name" $BIN/gunicorn -c deploy/gunicorn.conf.py --pid "$CLUSTER_DIR/host-$name.gunicorn.pid" wsgi:app
  say "web host $name on 127.0.0.1:$port (instance folder $(host_dir "host-$name"), pid $(cat "$CLUSTER_DIR/host-$name.pid"))"
}

start_worker() {
  mkdir -p "$(host_dir worker-c)"
  PORTAL_INSTANCE_PATH=$(host_dir worker-c) launch worker-c $FLASK worker
  say "RQ worker (instance folder $(host_dir worker-c), pid $(cat "$CLUSTER_DIR/worker-c.pid"))"
}

write_haproxy_config() {
  cat > "$CLUSTER_DIR/haproxy.cfg" <<CFG
# Written by deploy/cluster.sh.
global
    maxconn 2000
    log stdout format raw local0 notice

defaults
    mode http
    log global
    option httplog
    option dontlognull
    timeout connect 2s
    timeout client 70s
    timeout server 70s
    timeout http-request 10s
    # A request whose connection to a host failed goes to the other host; GET and HEAD are also retried
    # there when the host dies before answering. A POST that reached a host is never sent twice.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout 502 503

frontend portal
    bind 127.0.0.1:$CLUSTER_PORT
    option forwardfor
    http-request set-header X-Forwarded-Proto http
    default_backend hosts

backend hosts
    balance roundrobin
    http-request disable-l7-retry if ! METH_GET ! METH_HEAD
    # Each host runs $WORKERS sync workers, each serving one request at a time: at most twice that many requests
    # go to a host at once and the rest wait here (up to 30 s), so that a busy host still answers its checks.
    timeout queue 30s
    option httpchk GET /readyz
    http-check expect status 200
    # Checked every 2 s (every 0.5 s once a check failed): a host too busy to answer /readyz within 5 s three
    # times running is out after about 15 s. A host whose connections fail in real traffic (killed, stopped)
    # is out at the first failure, so that the request's retry goes to another host.
    timeout check 5s
    default-server check inter 2s fastinter 500ms fall 3 rise 2 maxconn $((WORKERS * 2)) observe layer4 error-limit 1 on-error mark-down
    server a 127.0.0.1:$PORT_A
    server b 127.0.0.1:$PORT_B
CFG
}

wait_ready() {
  local url=$1 seconds=${2:-120} name=${3:-}
  for _ in $(seq 1 $((seconds * 2))); do
    if [ -n "$name" ] && ! kill -0 "$(cat "$CLUSTER_DIR/$name.pid")" 2>/dev/null; then
      echo "cluster: $name stopped (see $CLUSTER_DIR/$name.log)"; return 1
    fi
    if $BIN/python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$url" \
        >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  echo "cluster: $url not ready after $seconds s (logs in $CLUSTER_DIR)"; return 1
}

start_all() {
  need_haproxy
  check_services
  common_env
  if [ -s "$CLUSTER_DIR/haproxy.pid" ] && kill -0 "$(cat "$CLUSTER_DIR/haproxy.pid")" 2>/dev/null; then
    echo "cluster: already running (deploy/cluster.sh stop first)"; exit 1
  fi
  # Each host's start script migrates; started together, they migrate once (an advisory lock).
  local pids=()
  for name in host-a host-b worker-c; do
    mkdir -p "$(host_dir $name)"
    PORTAL_INSTANCE_PATH=$(host_dir $name) $FLASK db upgrade >"$CLUSTER_DIR/$name.migrate.log" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || { echo "cluster: migration failed (see $CLUSTER_DIR/*.migrate.log)"; exit 1; }; done
  say "database migrated ($(grep -l 'Running upgrade' "$CLUSTER_DIR"/*.migrate.log 2>/dev/null | wc -l) of 3 hosts ran migrations, the others waited)"
  users=$($BIN/python - "$DATABASE_URL" <<'PY'
import sys

import psycopg

with psycopg.connect(sys.argv[1].replace("postgresql+psycopg://", "postgresql://")) as conn:
    print(conn.execute("SELECT count(*) FROM users").fetchone()[0])
PY
)
  if [ "$users" = "0" ]; then
    say "empty database: loading the demo data"
    PORTAL_INSTANCE_PATH=$(host_dir host-a) $FLASK demo load
    PORTAL_INSTANCE_PATH=$(host_dir host-a) $FLASK demo logins
  fi
  start_web a "$PORT_A"
  start_web b "$PORT_B"
  start_worker
  write_haproxy_config
  "$HAPROXY" -c -q -f "$CLUSTER_DIR/haproxy.cfg"
  launch haproxy "$HAPROXY" -W -db -f "$CLUSTER_DIR/haproxy.cfg"
  wait_ready "http://127.0.0.1:$PORT_A/readyz" 120 host-a
  wait_ready "http://127.0.0.1:$PORT_B/readyz" 120 host-b
  wait_ready "http://127.0.0.1:$CLUSTER_PORT/readyz" 60 haproxy
  say "balancer (HAProxy) on http://127.0.0.1:$CLUSTER_PORT/ -> hosts :$PORT_A and :$PORT_B; logs in $CLUSTER_DIR"
}

stop_one() {
  local name=$1 signal=${2:-TERM}
  local file="$CLUSTER_DIR/$name.pid"
  [ -s "$file" ] || return 0
  local pid
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -"$signal" -- "-$pid" 2>/dev/null || kill -"$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

stop_all() {
  for name in haproxy host-a host-b worker-c; do stop_one "$name"; done
  say "stopped"
}

status() {
  for name in haproxy host-a host-b worker-c; do
    local file="$CLUSTER_DIR/$name.pid" state="stopped"
    if [ -s "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null; then state="running (pid $(cat "$file"))"; fi
    echo "  $name: $state"
  done
  for port in "$PORT_A" "$PORT_B" "$CLUSTER_PORT"; do
    printf '  :%s/readyz ' "$port"
    $BIN/python -c "import sys, urllib.request
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode())
except Exception as exc:
    print(exc)" "http://127.0.0.1:$port/readyz"
  done
}

case "${1:-up}" in
  up)
    trap stop_all EXIT INT TERM
    start_all
    say "serving; Ctrl+C stops everything"
    while kill -0 "$(cat "$CLUSTER_DIR/haproxy.pid")" 2>/dev/null; do sleep 2; done
    ;;
  start) start_all ;;
  stop) stop_all ;;
  status) status ;;
  kill)
    [ "${2:-}" = a ] || [ "${2:-}" = b ] || { echo "usage: $0 kill a|b"; exit 2; }
    stop_one "host-$2" KILL
    say "web host $2 killed"
    ;;
  revive)
    [ "${2:-}" = a ] || [ "${2:-}" = b ] || { echo "usage: $0 revive a|b"; exit 2; }
    common_env
    if [ "$2" = a ]; then start_web a "$PORT_A"; else start_web b "$PORT_B"; fi
    wait_ready "http://127.0.0.1:$([ "$2" = a ] && echo "$PORT_A" || echo "$PORT_B")/readyz"
    ;;
  *) echo "usage: $0 [up|start|stop|status|kill a|b|revive a|b]"; exit 2 ;;
esac

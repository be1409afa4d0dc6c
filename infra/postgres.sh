#!/usr/bin/env bash
# Starts a private PostgreSQL 15 cluster on loopback with a `tenantry` role and database.
set -euo pipefail
source "$(dirname "$0")/env.sh"

pg() { runuser -u postgres -- "$@"; }
pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

mkdir -p "$PG_SOCKET_DIR" "$(dirname "$PG_DATA")"
chown postgres:postgres "$VAR_DIR/postgres" "$PG_SOCKET_DIR"
# postgres must be able to reach its data folder through every parent folder.
d="$VAR_DIR"; while [ "$d" != "/" ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done

if pg_ready; then
  : # ours from an earlier run, or another checkout's: use it
elif [ ! -f "$PG_DATA/PG_VERSION" ]; then
  echo "infra: creating a private PostgreSQL cluster in $PG_DATA"
  mkdir -p "$PG_DATA" && chown postgres:postgres "$PG_DATA" && chmod 700 "$PG_DATA"
  pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
max_connections = 200
shared_buffers = 256MB
synchronous_commit = on
fsync = on
CONF
fi

if ! pg_ready; then
  echo "infra: starting PostgreSQL on 127.0.0.1:$PG_PORT"
  pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$VAR_DIR/postgres/postgres.log" -w -t 60 start >/dev/null
fi

psql_admin() { psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }
if ! psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname='tenantry'" | grep -q 1; then
  psql_admin -c "CREATE ROLE tenantry LOGIN CREATEDB"
fi
if ! psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname='tenantry'" | grep -q 1; then
  psql_admin -c "CREATE DATABASE tenantry OWNER tenantry"
fi

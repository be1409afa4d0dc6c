#!/usr/bin/env bash
# Stops the local Kafka broker and PostgreSQL cluster that run.sh and test.sh started.
set -uo pipefail
source "$(dirname "$0")/env.sh"
if [ -f "$KAFKA_DIR/kafka.pid" ] && kill -0 "$(cat "$KAFKA_DIR/kafka.pid")" 2>/dev/null; then
  pid=$(cat "$KAFKA_DIR/kafka.pid")
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  echo "infra: Kafka stopped"
fi
rm -f "$KAFKA_DIR/kafka.pid"
if [ -f "$PG_DATA/postmaster.pid" ]; then
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null && echo "infra: PostgreSQL stopped"
fi

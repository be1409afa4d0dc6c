# Shared settings for the infra scripts: where local data lives and which loopback ports
# the private Kafka broker and PostgreSQL cluster use. Sourced, never run.
TENANTRY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VAR_DIR="${TENANTRY_VAR_DIR:-$TENANTRY_ROOT/var}"
KAFKA_PORT="${TENANTRY_KAFKA_PORT:-39092}"
KAFKA_CONTROLLER_PORT="${TENANTRY_KAFKA_CONTROLLER_PORT:-39093}"
PG_PORT="${TENANTRY_PG_PORT:-35432}"
PG_BIN=/usr/lib/postgresql/15/bin
PG_DATA="$VAR_DIR/postgres/data"
PG_SOCKET_DIR="$VAR_DIR/postgres/run"
KAFKA_DIR="$VAR_DIR/kafka"
KAFKA_CACHE="${TENANTRY_KAFKA_CACHE:-$HOME/.cache/tenantry/kafka}"
KAFKA_VERSION="${TENANTRY_KAFKA_VERSION:-3.9.1}"
export TENANTRY_KAFKA_BROKERS="${TENANTRY_KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}"
export TENANTRY_DATABASE_URL="${TENANTRY_DATABASE_URL:-postgresql://tenantry@127.0.0.1:$PG_PORT/tenantry}"

#!/usr/bin/env bash
# The first of the README's two commands: installs what is missing, starts Kafka and
# PostgreSQL on loopback, builds tenantryd (Release) and runs it in the foreground with a
# bootstrap admin. Re-running it is quick: everything already there is reused.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"

bash "$here/deps.sh"
bash "$here/kafka.sh"
bash "$here/postgres.sh"
bash "$here/build.sh" release --target tenantryd

mkdir -p "$VAR_DIR"
export TENANTRY_SIGNING_KEY="${TENANTRY_SIGNING_KEY:-$VAR_DIR/signing-key.pem}"
if [ ! -f "$TENANTRY_SIGNING_KEY" ]; then
  (umask 077 && openssl genpkey -algorithm ed25519 -out "$TENANTRY_SIGNING_KEY")
fi
# The key-encryption key of personal data (docs/privacy.md): keep it with the signing key;
# without it no e-mail, name or password hash in the log can be read back.
export TENANTRY_DATA_KEY_FILE="${TENANTRY_DATA_KEY_FILE:-$VAR_DIR/data-key}"
if [ ! -f "$TENANTRY_DATA_KEY_FILE" ]; then
  (umask 077 && openssl rand -base64 32 > "$TENANTRY_DATA_KEY_FILE")
fi

export TENANTRY_ADMIN_EMAIL="${TENANTRY_ADMIN_EMAIL:-admin@tenantry.local}"
if [ -z "${TENANTRY_ADMIN_PASSWORD:-}" ]; then
  if [ ! -f "$VAR_DIR/admin-password" ]; then
    (umask 077 && openssl rand -base64 18 | tr -d '/+=' > "$VAR_DIR/admin-password")
  fi
  TENANTRY_ADMIN_PASSWORD="$(cat "$VAR_DIR/admin-password")"
fi
export TENANTRY_ADMIN_PASSWORD
export TENANTRY_LISTEN="${TENANTRY_LISTEN:-127.0.0.1:8080}"

cat <<MSG

tenantry is starting on http://$TENANTRY_LISTEN  (Kafka $TENANTRY_KAFKA_BROKERS, PostgreSQL 127.0.0.1:$PG_PORT)
Bootstrap admin (registered when the event log is empty): $TENANTRY_ADMIN_EMAIL / $TENANTRY_ADMIN_PASSWORD
  (the generated password is kept in var/admin-password)

  TOKEN=\$(curl -s -X POST http://$TENANTRY_LISTEN/v1/auth/token -H 'Content-Type: application/json' \\
    -d '{"username": "$TENANTRY_ADMIN_EMAIL", "password": "$TENANTRY_ADMIN_PASSWORD"}' | jq -r .access)
  curl -s http://$TENANTRY_LISTEN/v1/tenants -H "Authorization: Bearer \$TOKEN"

Stop with Ctrl-C; infra/stop.sh stops Kafka and PostgreSQL.

MSG
exec "$TENANTRY_ROOT/build/release/tenantryd/tenantryd"

#!/usr/bin/env bash
# make up: local Kafka and PostgreSQL, leadflow setup, the whole fleet in the foreground.
# Ctrl-C drains the fleet (SIGINT), then this script stops the broker and the database.
set -euo pipefail
cd "$(dirname "$0")/.."
LEADFLOW="${LEADFLOW:-.venv/bin/leadflow}"
PY="${PY:-.venv/bin/python}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
PG_PORT="${PG_PORT:-5432}"

export LEADFLOW_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:${KAFKA_PORT}"
export LEADFLOW_DATABASE_URL="postgresql://postgres@127.0.0.1:${PG_PORT}/leadflow"
# A local bearer token so that the README's curl example works; set your own to change it.
export LEADFLOW_GATEWAY_TOKENS="${LEADFLOW_GATEWAY_TOKENS:-dev-token}"

stop_infra() {
  "$PY" -m tools.infra kafka stop --port "$KAFKA_PORT" || true
  "$PY" -m tools.infra postgres stop --port "$PG_PORT" || true
}
trap stop_infra EXIT

"$PY" -m tools.infra kafka start --port "$KAFKA_PORT"
"$PY" -m tools.infra postgres start --port "$PG_PORT"
"$LEADFLOW" setup
echo "fleet starting: metrics/health on http://127.0.0.1:${LEADFLOW_METRICS_PORT:-9108}/{metrics,healthz,readyz}; Ctrl-C to stop"
echo "gateway on http://127.0.0.1:${LEADFLOW_GATEWAY_PORT:-8080} (bearer token: \$LEADFLOW_GATEWAY_TOKENS)"
"$LEADFLOW" run all || true

#!/usr/bin/env bash
# make demo: the help article's walkthrough on a local stack of its own, as a timeline.
# Starts Kafka and PostgreSQL on demo ports, `leadflow setup`, `leadflow run all` in the
# background, then `python -m tools.demo`; stops the fleet and the infrastructure on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
LEADFLOW="${LEADFLOW:-.venv/bin/leadflow}"
PY="${PY:-.venv/bin/python}"
KAFKA_PORT="${DEMO_KAFKA_PORT:-29092}"
PG_PORT="${DEMO_PG_PORT:-25432}"
METRICS_PORT="${DEMO_METRICS_PORT:-29108}"
LOG="${TMPDIR:-/tmp}/leadflow-demo-fleet.$$.log"

export LEADFLOW_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:${KAFKA_PORT}"
RUN_ID="$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
# A database and topic prefix of this run's own: every demo starts from an empty state.
DEMO_DB="leadflow_demo_${RUN_ID}"
export LEADFLOW_DATABASE_URL="postgresql://postgres@127.0.0.1:${PG_PORT}/${DEMO_DB}"
export LEADFLOW_TOPIC_PREFIX="demo-${RUN_ID}."
export LEADFLOW_METRICS_PORT="$METRICS_PORT"
export LEADFLOW_GATEWAY_PORT="${DEMO_GATEWAY_PORT:-28080}"
export LEADFLOW_LOG_LEVEL="${LEADFLOW_LOG_LEVEL:-warning}"

fleet_pid=""
cleanup() {
  status=$?
  if [[ -n "$fleet_pid" ]] && kill -0 "$fleet_pid" 2>/dev/null; then
    kill -TERM "$fleet_pid" 2>/dev/null || true
    wait "$fleet_pid" 2>/dev/null || true
  fi
  "$PY" - "$DEMO_DB" <<'PYEOF' >/dev/null 2>&1 || true
import asyncio, os, sys
import asyncpg
async def drop() -> None:
    url = os.environ["LEADFLOW_DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    conn = await asyncpg.connect(url, timeout=5)
    await conn.execute(f'DROP DATABASE IF EXISTS "{sys.argv[1]}" WITH (FORCE)')
    await conn.close()
asyncio.run(drop())
PYEOF
  "$PY" -m tools.infra kafka stop --port "$KAFKA_PORT" >/dev/null 2>&1 || true
  "$PY" -m tools.infra postgres stop --port "$PG_PORT" >/dev/null 2>&1 || true
  if [[ $status -ne 0 ]]; then
    echo "demo failed (exit $status); fleet log: $LOG" >&2
  else
    rm -f "$LOG"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$PY" -m tools.infra kafka start --port "$KAFKA_PORT"
"$PY" -m tools.infra postgres start --port "$PG_PORT"
"$LEADFLOW" setup >/dev/null
"$LEADFLOW" run all >"$LOG" 2>&1 &
fleet_pid=$!
"$PY" -m tools.demo --ready-url "http://127.0.0.1:${METRICS_PORT}/readyz" --fleet-pid "$fleet_pid"

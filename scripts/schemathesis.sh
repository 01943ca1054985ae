#!/usr/bin/env bash
# Fuzzes the API against its own OpenAPI document, bounded: loads the demo into a throw-away
# SQLite database, serves it with gunicorn on 127.0.0.1 and runs schemathesis as the system
# administrator and as a unit's staff. Fails on any 5xx or response that breaks the document.
#   SCHEMATHESIS_MAX_EXAMPLES (default 5) and SCHEMATHESIS_MAX_TIME (seconds per user, default 45)
#   bound the run; RENDA_VAR_DIR may name a folder whose demo database is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${SCHEMATHESIS_PORT:-8765}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-5}"
MAX_TIME="${SCHEMATHESIS_MAX_TIME:-45}"
export RENDA_VAR_DIR="${RENDA_VAR_DIR:-$(mktemp -d)}"
export RENDA_DATABASE_URL="sqlite:///${RENDA_VAR_DIR}/renda.sqlite3"
export RENDA_DEBUG=0

.venv/bin/python -m renda migrate --noinput -v0
.venv/bin/python -m renda collectstatic --noinput -v0
# The served document asks for a logged-in session; a token user reads the same one from a file.
.venv/bin/python -m renda export_openapi_schema --api renda.api.api \
    --output "${RENDA_VAR_DIR}/openapi.json"
.venv/bin/python -m renda demo --if-empty >/dev/null
admin_token=$(.venv/bin/python -m renda issue_token admin --days 1)
unit_token=$(.venv/bin/python -m renda issue_token zhujian --days 1)

# No request-line limit in gunicorn: a long generated query must reach the application, whose
# answer is under test (in production nginx refuses an over-long line before the platform).
.venv/bin/gunicorn renda.wsgi --bind "127.0.0.1:${PORT}" --workers 3 --timeout 60 \
    --limit-request-line 0 \
    >"${RENDA_VAR_DIR}/gunicorn.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 60); do
    (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null && break
    sleep 1
done

run() {
    echo "-- schemathesis as $1"
    .venv/bin/schemathesis run "${RENDA_VAR_DIR}/openapi.json" \
        --url "http://127.0.0.1:${PORT}" \
        --header "Authorization: Bearer $2" \
        --checks not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance \
        --exclude-path-regex '^/api/v1/tokens' \
        --phases examples,coverage,fuzzing \
        --max-examples "${MAX_EXAMPLES}" \
        --max-time "${MAX_TIME}" \
        --request-timeout 30 \
        --generation-deterministic \
        --workers 1 \
        --continue-on-failure \
        --warnings off \
        --output-truncate true
}

# Both users at once (the time bound holds for each); revoking its own token would leave the
# rest of a run unauthenticated, so tokens are excluded.
status=0
run admin "${admin_token}" >"${RENDA_VAR_DIR}/admin.out" 2>&1 &
admin_run=$!
run unit "${unit_token}" >"${RENDA_VAR_DIR}/unit.out" 2>&1 &
unit_run=$!
wait "${admin_run}" || status=1
wait "${unit_run}" || status=1
cat "${RENDA_VAR_DIR}/admin.out" "${RENDA_VAR_DIR}/unit.out"
if [ "${status}" -ne 0 ]; then
    echo "-- the server's tracebacks (${RENDA_VAR_DIR}/gunicorn.log)"
    grep -A 40 Traceback "${RENDA_VAR_DIR}/gunicorn.log" | tail -120 || true
fi
exit "${status}"

#!/usr/bin/env bash
# Serves the platform with gunicorn and runs the background worker beside it; stopping one
# (Ctrl+C) stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
.venv/bin/python -m renda worker &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "人大工作平台：http://127.0.0.1:${PORT}/  （Ctrl+C 停止）"
.venv/bin/gunicorn renda.wsgi --bind "127.0.0.1:${PORT}" --workers "${RENDA_WEB_WORKERS:-3}" --access-logfile - --graceful-timeout 10

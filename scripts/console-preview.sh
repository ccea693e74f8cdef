#!/bin/sh
# Preview the web console without a cluster (the page lives in http-api/src/main/resources/console).
#
#   scripts/console-preview.sh [FIXTURE] [PORT]          serve it: open http://127.0.0.1:PORT/console
#   scripts/console-preview.sh --shot OUT.png [FIXTURE]  screenshot at 1280x900 after 4 s of live data
#
# FIXTURE is a snapshot JSON (default: http-api/src/test/resources/console-fixtures/three-nodes.json;
# the others there: join-handoff, empty, odd-names). scripts/console-preview.py serves it with
# moving rates over SSE and mock /admin answers; scripts/console-shot.py drives headless chromium
# over the DevTools pipe and prints console errors (see --help of both for more options).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
fixtures="$here/../http-api/src/test/resources/console-fixtures"
if [ "${1:-}" = "--shot" ]; then
  out=$2
  fixture=${3:-$fixtures/three-nodes.json}
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 "$here/console-preview.py" "$fixture" --port "$port" --speed 30 >/dev/null &
  server=$!
  trap 'kill $server' EXIT
  sleep 1
  python3 "$here/console-shot.py" "http://127.0.0.1:$port/console" "$out" --wait 4
else
  exec python3 "$here/console-preview.py" "${1:-$fixtures/three-nodes.json}" --port "${2:-8099}"
fi

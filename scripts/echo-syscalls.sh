#!/bin/bash
# Syscalls per echo round trip: runs `bench echo-cost --pause ARGS`, attaches `strace -f -c` for
# exactly the measured round trips, and prints the total and the top calls per round trip.
# Needs strace (apt-get install strace) and the bench jar (bin/bench builds it; JAR=path for another).
# Usage: scripts/echo-syscalls.sh [echo-cost options, e.g. --config parallel-affinity --payload 524288]
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/select-jdk
jar=${JAR:-bench/target/partisan-bench.jar} # JAR=other.jar: an older build, for a before/after
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkfifo "$work/in"
java --enable-native-access=ALL-UNNAMED -jar "$jar" echo-cost --pause "$@" <"$work/in" >"$work/log" 2>&1 &
java_pid=$!
exec 3>"$work/in"
wait_for() { for _ in $(seq 1 3000); do grep -q "$1" "$work/log" && return 0; sleep 0.2; done; return 1; }
wait_for "ready" || { cat "$work/log"; exit 1; }
strace -f -c -p "$java_pid" -o "$work/strace" 2>/dev/null &
strace_pid=$!
sleep 3 # strace attaches to every thread
echo go >&3
wait_for "round trips done" || { cat "$work/log"; exit 1; }
kill -INT "$strace_pid"
wait "$strace_pid" || true
echo stop >&3
exec 3>&-
wait "$java_pid"
grep echo-cost "$work/log"
trips=$(grep -o '[0-9]* round trips in' "$work/log" | awk '{print $1}')
awk -v m="$trips" '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { n[$NF] = $4; t += $4 }
  END { printf "syscalls per round trip: %.2f (", t / m;
        for (k in n) if (n[k] / m >= 0.01) printf "%s %.2f ", k, n[k] / m; print ")" }' "$work/strace"

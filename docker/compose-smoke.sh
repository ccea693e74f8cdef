#!/usr/bin/env bash
# Compose smoke test (run by .ci/run): builds the node image on a local JRE base, starts the
# 5-node cluster of docker-compose.yml, waits (bounded) until every node sees one ring of five
# valid members, writes through node1 and reads through node5, lists the keys through node3, then
# removes everything (containers, network, volumes) whatever happened.
#   docker/compose-smoke.sh            BASE_IMAGE defaults to partisan-kv/jre21-base:local
set -euo pipefail
cd "$(dirname "$0")/.."
export BASE_IMAGE="${BASE_IMAGE:-partisan-kv/jre21-base:local}"
export KV_IMAGE="${KV_IMAGE:-partisan-kv:local}"
project="${SMOKE_PROJECT:-pkvsmoke}"
ring_timeout="${SMOKE_RING_TIMEOUT:-300}"
start=$(date +%s)

if command -v docker-compose >/dev/null 2>&1; then
  compose() { docker-compose -p "$project" "$@"; }
else
  compose() { docker compose -p "$project" "$@"; }
fi
say() { echo "compose-smoke [$(( $(date +%s) - start ))s]: $*"; }

jar=http-api/target/partisan-kv.jar
if [ ! -f "$jar" ]; then
  say "building $jar"
  # shellcheck source=../bin/select-jdk
  (source bin/select-jdk && ./mvnw -B -q -pl http-api -am package -DskipTests)
fi
say "building image $KV_IMAGE on $BASE_IMAGE"
docker build -q --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$KV_IMAGE" . >/dev/null

cleanup() {
  status=$?
  if [ "$status" -ne 0 ]; then
    say "FAILED; last log lines of each node:"
    compose logs --no-color --tail 40 || true
  fi
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  say "cluster removed"
  exit "$status"
}
trap cleanup EXIT
compose down -v --remove-orphans >/dev/null 2>&1 || true
compose up -d --no-build
say "containers started"

ports=(8098 8099 8100 8101 8102)
valid_members() {
  curl -sf --max-time 5 "http://127.0.0.1:$1/admin/member-status?format=json" 2>/dev/null \
    | grep -o '"status":"valid"' | wc -l || true
}
deadline=$(( $(date +%s) + ring_timeout ))
while true; do
  ready=0
  for p in "${ports[@]}"; do
    [ "$(valid_members "$p")" -eq 5 ] && ready=$((ready + 1))
  done
  [ "$ready" -eq 5 ] && break
  if [ "$(date +%s)" -gt "$deadline" ]; then
    say "the ring did not reach 5 valid members on every node within ${ring_timeout}s"
    curl -s --max-time 5 http://127.0.0.1:8098/admin/member-status || true
    exit 1
  fi
  sleep 2
done
say "every node sees one ring of 5 valid members"
curl -sf http://127.0.0.1:8098/admin/member-status

value="smoke-$(date +%s%N)"
code=$(curl -s -o /dev/null -w '%{http_code}' -XPUT -H 'Content-Type: text/plain' \
  --data-binary "$value" "http://127.0.0.1:8098/buckets/smoke/keys/k1?w=all")
[ "$code" = 204 ] || { say "PUT through node1 answered $code"; exit 1; }
got=$(curl -sf "http://127.0.0.1:8102/buckets/smoke/keys/k1")
[ "$got" = "$value" ] || { say "GET through node5 returned '$got', expected '$value'"; exit 1; }
say "PUT through node1, GET through node5: ok"
keys=$(curl -sf "http://127.0.0.1:8100/buckets/smoke/keys?keys=true")
[ "$keys" = '{"keys":["k1"]}' ] || { say "key listing through node3 returned $keys"; exit 1; }
say "key listing through node3: ok"

# Riak's PB API: an RpbPingReq (length 1, code 1) to node4's published port answers RpbPingResp.
pb_ping() {
  local reply
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf '\x00\x00\x00\x01\x01' >&3
  reply=$(timeout 5 head -c 5 <&3 | od -An -tx1 | tr -d ' \n')
  exec 3<&-
  [ "$reply" = 0000000102 ]
}
pb_ping 8090 || { say "PB ping through node4 (port 8090) got no RpbPingResp"; exit 1; }
say "PB ping through node4: ok"
say "PASSED in $(( $(date +%s) - start ))s"

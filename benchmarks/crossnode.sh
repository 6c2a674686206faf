#!/usr/bin/env bash
# Cross-node fan-out (issue 6): the same load against one node and against two nodes on one
# Redis, every configuration with PostgreSQL history in a fresh schema that is dropped afterwards.
#
#   one-node         1 node, no Redis: the baseline of the fan-out scenario, with durable history
#   one-node-redis   1 node with the Redis fan-out on: it publishes every event to Redis and
#                    skips the echo, but delivers locally, so the Redis CPU cost is paid without the hop
#   two-nodes        node A (the 20 publishers) and node B (the 980 other members): every
#                    delivery but the publishers' own crosses Redis
#   two-nodes-split  as two-nodes, the other members alternating between A and B (half cross)
#
# Usage: benchmarks/crossnode.sh [extra generator args]   (benchmarks/run.sh crossnode calls it)
# Environment: PARLEY_BENCH_CONFIGS (default: the four above, in that order),
# PARLEY_BENCH_LABEL (output name prefix, default crossnode), PARLEY_BENCH_PORT (node A; B is +1),
# PARLEY_BENCH_SERVER_OPTS (JVM flags, the same for every node), PARLEY_BENCH_POSTGRES_URL,
# PARLEY_BENCH_REDIS_URL, PARLEY_BENCH_MAX_LOAD (wait up to 2 min for the 1-minute load average
# to fall to it before each configuration; default 1.5).
# Every run is bounded (the generator stops by itself, and is killed after 15 minutes), talks to
# loopback only, and leaves no process and no schema behind.
set -euo pipefail
cd "$(dirname "$0")/.."
server_jar=bootstrap/target/parley-server.jar
load_jar=benchmarks/target/parley-load.jar
[ -f "$server_jar" ] && [ -f "$load_jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
port_a="${PARLEY_BENCH_PORT:-18090}"
port_b=$((port_a + 1))
postgres_base="${PARLEY_BENCH_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
redis_url="${PARLEY_BENCH_REDIS_URL:-redis://127.0.0.1:6379}"
configs="${PARLEY_BENCH_CONFIGS:-one-node one-node-redis two-nodes two-nodes-split}"
label_prefix="${PARLEY_BENCH_LABEL:-crossnode}"
max_load="${PARLEY_BENCH_MAX_LOAD:-1.5}"
mkdir -p benchmarks/results

launchers=()   # what this script started ($!) and the JVM pids the nodes logged
schema=""
cleanup() {
  local pid
  for pid in "${launchers[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 200); do
    local alive=0
    for pid in "${launchers[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${launchers[@]}"; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  launchers=()
  if [ -n "$schema" ]; then
    java -jar "$load_jar" drop-schema --jdbc-url "$postgres_base" --schema "$schema" || true
    schema=""
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_node <name> <port> [extra server args]: starts a node, waits for /health, sets node_pid
# to its JVM pid (as the node logs it: $! may name a launcher).
start_node() {
  local name="$1" port="$2"; shift 2
  local log="/tmp/parley-bench-$name.log"
  # shellcheck disable=SC2086
  java ${PARLEY_BENCH_SERVER_OPTS:-} -jar "$server_jar" --port "$port" --node-id "bench-$name" \
    --rate-per-second 1000000 --rate-burst 1000000 "$@" > "$log" 2>&1 &
  launchers+=("$!")
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
    sleep 0.1
  done
  node_pid=$(sed -n 's/.*Parley listening on .* pid=\([0-9]*\).*/\1/p' "$log" | head -n 1)
  [ -n "$node_pid" ] || { echo "node $name did not start:" >&2; cat "$log" >&2; exit 1; }
  launchers+=("$node_pid")
}

wait_for_quiet_machine() {
  for _ in $(seq 1 24); do
    awk -v max="$max_load" '{ exit !($1 <= max) }' /proc/loadavg && return 0
    sleep 5
  done
  echo "note: load average still above $max_load after 2 minutes; running anyway" >&2
}

redis_pid=$(pgrep -x redis-server | head -n 1 || true)
for config in $configs; do
  wait_for_quiet_machine
  echo
  echo "== $config: $(date -u +%FT%TZ), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  schema="parley_bench_cn_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
  postgres_url="$postgres_base&currentSchema=$schema"
  url_a="ws://127.0.0.1:$port_a/ws"
  url_b="ws://127.0.0.1:$port_b/ws"
  case "$config" in
    one-node)
      start_node a "$port_a" --postgres-url "$postgres_url"; pid_a=$node_pid
      target=(--url "$url_a" --server-pid "$pid_a") ;;
    one-node-redis)
      start_node a "$port_a" --postgres-url "$postgres_url" --redis-url "$redis_url"; pid_a=$node_pid
      target=(--url "$url_a" --server-pid "$pid_a") ;;
    two-nodes|two-nodes-split)
      start_node a "$port_a" --postgres-url "$postgres_url" --redis-url "$redis_url"; pid_a=$node_pid
      start_node b "$port_b" --postgres-url "$postgres_url" --redis-url "$redis_url"; pid_b=$node_pid
      if [ "$config" = two-nodes ]; then members="$url_b"; else members="$url_a,$url_b"; fi
      target=(--url "$members" --publisher-url "$url_a" --server-pid "$pid_a,$pid_b") ;;
    *) echo "unknown configuration $config" >&2; exit 2 ;;
  esac
  # Server CPU: A (+ B); redis-server and all postgres processes (every backend, not only ours).
  samples=()
  others=""
  [ -n "$redis_pid" ] && others="redis=$redis_pid"
  postgres_pids=$(pgrep -d+ -x postgres || true)
  [ -n "$postgres_pids" ] && others="${others:+$others,}postgres=$postgres_pids"
  [ -n "$others" ] && samples=(--also-sample "$others")
  timeout 900 java -jar "$load_jar" publish "${target[@]}" "${samples[@]}" --machine-cpu \
    --out benchmarks/results --label "$label_prefix-$config" --connections 1000 --rooms 1 --publishers 20 \
    --rates 10,25,50,75,100,125,150,200 --step-seconds 10 "$@"
  cleanup
done

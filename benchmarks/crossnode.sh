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
#   one-node-cluster, two-nodes-cluster, two-nodes-split-cluster
#                    the same on a Redis Cluster (PARLEY_REDIS_CLUSTER: sharded pub/sub) instead
#                    of one Redis: 3 masters and 3 replicas, started by this script on loopback
#                    unless PARLEY_BENCH_REDIS_CLUSTER names one
#
# Usage: benchmarks/crossnode.sh [extra generator args]   (benchmarks/run.sh crossnode calls it)
# Environment: PARLEY_BENCH_CONFIGS (default: the four one-Redis configurations above, then
# two-nodes-cluster), PARLEY_BENCH_LABEL (output name prefix, default crossnode),
# PARLEY_BENCH_PORT (node A; B is +1), PARLEY_BENCH_SERVER_OPTS (JVM flags, the same for every
# node), PARLEY_BENCH_POSTGRES_URL, PARLEY_BENCH_REDIS_URL, PARLEY_BENCH_REDIS_CLUSTER (seeds
# host:port,...), PARLEY_BENCH_CLUSTER_PORT (first port of the cluster this script starts, default
# 17101; six ports from it, their bus ports 10000 up), PARLEY_BENCH_MAX_LOAD (wait up to 2 min
# for the 1-minute load average to fall to it before each configuration; default 1.5).
# Every run is bounded (the generator stops by itself, and is killed after 15 minutes), talks to
# loopback only, and leaves no process, no Redis Cluster and no schema behind.
set -euo pipefail
cd "$(dirname "$0")/.."
server_jar=bootstrap/target/parley-server.jar
load_jar=benchmarks/target/parley-load.jar
[ -f "$server_jar" ] && [ -f "$load_jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
port_a="${PARLEY_BENCH_PORT:-18090}"
port_b=$((port_a + 1))
postgres_base="${PARLEY_BENCH_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
redis_url="${PARLEY_BENCH_REDIS_URL:-redis://127.0.0.1:6379}"
configs="${PARLEY_BENCH_CONFIGS:-one-node one-node-redis two-nodes two-nodes-split two-nodes-cluster}"
cluster_seeds="${PARLEY_BENCH_REDIS_CLUSTER:-}"
cluster_port="${PARLEY_BENCH_CLUSTER_PORT:-17101}"
cluster_dir=""   # set while this script runs a Redis Cluster of its own
label_prefix="${PARLEY_BENCH_LABEL:-crossnode}"
max_load="${PARLEY_BENCH_MAX_LOAD:-1.5}"
mkdir -p benchmarks/results

. benchmarks/launchers.sh   # the cwd is the repository root
schema=""
cleanup() {
  stop_launchers 200
  if [ -n "$schema" ]; then
    java -jar "$load_jar" drop-schema --jdbc-url "$postgres_base" --schema "$schema" || true
    schema=""
  fi
}
stop_redis_cluster() {
  [ -n "$cluster_dir" ] || return 0
  local pidfile
  for pidfile in "$cluster_dir"/*.pid; do
    [ -f "$pidfile" ] || continue
    kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
    wait "$(cat "$pidfile")" 2>/dev/null || true
  done
  rm -rf "$cluster_dir"
  cluster_dir=""
}
trap 'cleanup; stop_redis_cluster' EXIT
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

# start_redis_cluster: six redis-server processes (3 masters, 3 replicas) on loopback, as the
# tests' TestRedisCluster starts them; sets cluster_seeds.
start_redis_cluster() {
  cluster_dir=$(mktemp -d /tmp/parley-bench-cluster.XXXXXX)
  local ports="" port
  for port in $(seq "$cluster_port" $((cluster_port + 5))); do
    redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file "nodes-$port.conf" \
      --cluster-node-timeout 5000 --repl-diskless-sync-delay 0 --save "" --appendonly no \
      --dir "$cluster_dir" --logfile "$cluster_dir/redis-$port.log" > /dev/null 2>&1 &
    echo $! > "$cluster_dir/redis-$port.pid"
    ports="$ports 127.0.0.1:$port"
  done
  for port in $(seq "$cluster_port" $((cluster_port + 5))); do
    for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  # shellcheck disable=SC2086
  redis-cli --cluster create $ports --cluster-replicas 1 --cluster-yes > "$cluster_dir/create.log" 2>&1 \
    || { echo "redis-cli --cluster create failed:" >&2; cat "$cluster_dir/create.log" >&2; exit 1; }
  for _ in $(seq 1 300); do
    local ready=1
    for port in $(seq "$cluster_port" $((cluster_port + 5))); do
      redis-cli -p "$port" cluster info | grep -q cluster_state:ok || ready=0
      if redis-cli -p "$port" info replication | grep -q role:slave; then
        redis-cli -p "$port" info replication | grep -q master_link_status:up || ready=0
      fi
    done
    [ "$ready" = 1 ] && break
    sleep 0.2
  done
  cluster_seeds=$(echo $ports | tr ' ' ',')
}

# The pid of the redis-server answering at host:port (the one Redis, or a cluster node).
redis_pid_at() {
  redis-cli -h "${1%:*}" -p "${1##*:}" info server 2>/dev/null | sed -n 's/^process_id:\([0-9]*\).*/\1/p'
}

wait_for_quiet_machine() {
  for _ in $(seq 1 24); do
    awk -v max="$max_load" '{ exit !($1 <= max) }' /proc/loadavg && return 0
    sleep 5
  done
  echo "note: load average still above $max_load after 2 minutes; running anyway" >&2
}

redis_address=${redis_url#*://}; redis_address=${redis_address%%/*}; redis_address=${redis_address##*@}
redis_pid=$(redis_pid_at "$redis_address" || true)
for config in $configs; do
  redis_flag=(--redis-url "$redis_url")
  redis_label=redis
  redis_pids="$redis_pid"
  if [ "${config%-cluster}" != "$config" ]; then
    [ -n "$cluster_seeds" ] || start_redis_cluster
    redis_flag=(--redis-cluster "$cluster_seeds")
    redis_label=redis-cluster
    redis_pids=""
    for seed in ${cluster_seeds//,/ }; do
      pid=$(redis_pid_at "$seed" || true)
      [ -n "$pid" ] && redis_pids="${redis_pids:+$redis_pids+}$pid"
    done
  fi
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
    one-node-redis|one-node-cluster)
      start_node a "$port_a" --postgres-url "$postgres_url" "${redis_flag[@]}"; pid_a=$node_pid
      target=(--url "$url_a" --server-pid "$pid_a") ;;
    two-nodes|two-nodes-split|two-nodes-cluster|two-nodes-split-cluster)
      start_node a "$port_a" --postgres-url "$postgres_url" "${redis_flag[@]}"; pid_a=$node_pid
      start_node b "$port_b" --postgres-url "$postgres_url" "${redis_flag[@]}"; pid_b=$node_pid
      if [ "${config#two-nodes-split}" = "$config" ]; then members="$url_b"; else members="$url_a,$url_b"; fi
      target=(--url "$members" --publisher-url "$url_a" --server-pid "$pid_a,$pid_b") ;;
    *) echo "unknown configuration $config" >&2; exit 2 ;;
  esac
  # Server CPU: A (+ B); redis-server (every process of a cluster) and all postgres processes
  # (every backend, not only ours).
  samples=()
  others=""
  [ -n "$redis_pids" ] && others="$redis_label=$redis_pids"
  postgres_pids=$(pgrep -d+ -x postgres || true)
  [ -n "$postgres_pids" ] && others="${others:+$others,}postgres=$postgres_pids"
  [ -n "$others" ] && samples=(--also-sample "$others")
  timeout 900 java -jar "$load_jar" publish "${target[@]}" "${samples[@]}" --machine-cpu \
    --out benchmarks/results --label "$label_prefix-$config" --connections 1000 --rooms 1 --publishers 20 \
    --rates 10,25,50,75,100,125,150,200 --step-seconds 10 "$@"
  cleanup
done

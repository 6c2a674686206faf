#!/usr/bin/env bash
# One command per scenario: starts the server jar on loopback with benchmark settings, runs the
# load generator against it, stops the server. Figures are printed; CSV and PNG go to
# benchmarks/results/. Usage: benchmarks/run.sh fanout|rooms|idle|storm|durable|crossnode|startup|compare|jmh [extra generator args]
#   durable: PostgreSQL appends in-process, no server; open loop by default
#     [--modes group,single] [--rooms 1,10,1000] [--rates 5000,10000,20000,30000] [--single-rates 500,1000,1500]
#     [--warmup-seconds 5] [--seconds 10] [--statements] [--closed --callers 512]
# (crossnode starts its own nodes, PostgreSQL schemas, and a Redis Cluster for its -cluster
# configurations: see benchmarks/crossnode.sh; compare runs fan-out, saturation, idle and connect
# storm against the Node ws and Socket.IO peers of benchmarks/peers and against Parley, each
# server pinned to core 0 and the generator to core 1: see benchmarks/compare.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:?usage: benchmarks/run.sh fanout|rooms|idle|storm|durable|crossnode|startup|compare|jmh [args]}"; shift || true
port="${PARLEY_BENCH_PORT:-18090}"
server_jar=bootstrap/target/parley-server.jar
load_jar=benchmarks/target/parley-load.jar
if [ ! -f "$server_jar" ] || [ ! -f "$load_jar" ]; then
  mvn -B -q package -DskipTests
fi
if [ "$scenario" = durable ]; then
  exec java -jar "$load_jar" durable "$@"
fi
if [ "$scenario" = crossnode ]; then
  exec benchmarks/crossnode.sh "$@"
fi
if [ "$scenario" = startup ]; then
  exec benchmarks/startup.sh "$@"
fi
if [ "$scenario" = compare ]; then
  exec benchmarks/compare.sh "$@"
fi
if [ "$scenario" = jmh ]; then
  exec java -jar benchmarks/target/parley-jmh.jar -f 1 -wi 3 -i 5 -w 1s -r 2s "$@"
fi

# The benchmark measures the server, not its abuse protection: rate limits are lifted.
java ${PARLEY_BENCH_SERVER_OPTS:-} -jar "$server_jar" --port "$port" --rate-per-second 1000000 --rate-burst 1000000 \
  > "/tmp/parley-bench-server.log" 2>&1 &
launcher_pid=$!
trap 'kill -TERM $launcher_pid ${server_pid:-} 2>/dev/null; wait $launcher_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.1
done
# The JVM's own pid, as the server logs it ($! may name a launcher process).
server_pid=$(sed -n 's/.*Parley listening on .* pid=\([0-9]*\).*/\1/p' /tmp/parley-bench-server.log | head -n 1)
[ -n "$server_pid" ] || { echo "server did not start:" >&2; cat /tmp/parley-bench-server.log >&2; exit 1; }
mkdir -p benchmarks/results
common=(--url "ws://127.0.0.1:$port/ws" --server-pid "$server_pid" --out benchmarks/results)
case "$scenario" in
  fanout) java -jar "$load_jar" publish "${common[@]}" --label fanout --connections 1000 --rooms 1 \
            --publishers 20 --rates 10,25,50,75,100,125,150,200 --step-seconds 10 "$@" ;;
  rooms)  java -jar "$load_jar" publish "${common[@]}" --label rooms --connections 10000 --rooms 1000 \
            --publishers 1000 --rates 1000,2500,5000,7500,10000,15000 --step-seconds 10 "$@" ;;
  idle)   java -jar "$load_jar" idle "${common[@]}" "$@" ;;
  storm)  java -jar "$load_jar" storm "${common[@]}" --connections 10000 "$@" ;;
  *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac

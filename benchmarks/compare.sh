#!/usr/bin/env bash
# Parley against its peers (issue 14): the same scenarios, run by the same load generator, against
# the bare Node `ws` broadcast server and the Socket.IO 4.8 server of benchmarks/peers, and
# against Parley, one after the other in one run, each server pinned to one core and the
# generator to another:
#
#   fanout      1 room x 1,000 subscribers, 20 publishers, ~100-byte texts at 50 messages/s
#               (50,000 deliveries/s): p99 publish-to-delivery latency
#   saturation  the same room, the rate stepped up (PARLEY_COMPARE_RATES) until the server falls
#               behind: the highest delivered/s of any step
#   idle        10,000 idle connections: server RSS per connection (Parley's after a full GC, with
#               its live heap; a Node server's once the connections have settled, no GC asked)
#   storm       10,000 connections as fast as they go (500 handshakes in flight), 3 rounds: seconds
#               until every one is ready (Parley: its welcome; ws: the upgrade; Socket.IO: the
#               namespace's 40)
#
# Each scenario gets a server of its own, started for it and stopped after it; fanout and
# saturation share one (saturation follows fanout). The figures, and Parley's ratios to each peer,
# are printed at the end and written to benchmarks/results/compare-<time>.csv (the generator's own
# CSVs go to benchmarks/results/compare-<time>/).
#
# Usage: benchmarks/compare.sh   (benchmarks/run.sh compare calls it)
# Environment: PARLEY_COMPARE_JAVA_OPTS (Parley's JVM flags; default none, as the README runs it),
# PARLEY_COMPARE_SERVERS (default "ws socketio parley"), PARLEY_COMPARE_PORT (first of three ports,
# default 18300), PARLEY_COMPARE_SERVER_CPU / PARLEY_COMPARE_LOAD_CPU (default 0 / 1),
# PARLEY_COMPARE_RATES (saturation steps, messages/s to 1,000 members; default
# 50,75,100,150,200,300,400,500), PARLEY_COMPARE_CONNECTIONS (idle and storm; default 10000),
# PARLEY_BENCH_MAX_LOAD (wait up to 90 s for the 1-minute load average to fall to it before each
# scenario; default 1.5).
# The machine's busy CPU is reported beside the server's and the generator's (publish
# --machine-cpu): what is left over is other people's work on the same cores.
# Bounded: every generator run is killed after 5 minutes, the whole run takes 12 to 30 minutes;
# loopback only; every process it started is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
server_jar=bootstrap/target/parley-server.jar
load_jar=benchmarks/target/parley-load.jar
[ -f "$server_jar" ] && [ -f "$load_jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
command -v node >/dev/null || { echo "node is needed for the peers" >&2; exit 1; }
command -v taskset >/dev/null || { echo "taskset (util-linux) is needed to pin the processes" >&2; exit 1; }
java_opts="${PARLEY_COMPARE_JAVA_OPTS:-}"
servers="${PARLEY_COMPARE_SERVERS:-ws socketio parley}"
base_port="${PARLEY_COMPARE_PORT:-18300}"
server_cpu="${PARLEY_COMPARE_SERVER_CPU:-0}"
load_cpu="${PARLEY_COMPARE_LOAD_CPU:-1}"
rates="${PARLEY_COMPARE_RATES:-50,75,100,150,200,300,400,500}"
connections="${PARLEY_COMPARE_CONNECTIONS:-10000}"
max_load="${PARLEY_BENCH_MAX_LOAD:-1.5}"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="benchmarks/results/compare-$stamp"
summary="benchmarks/results/compare-$stamp.csv"
mkdir -p "$out"

if [ ! -d benchmarks/peers/node_modules/ws ] || [ ! -d benchmarks/peers/node_modules/socket.io ]; then
  (cd benchmarks/peers && npm ci --no-audit --no-fund)
fi

. benchmarks/launchers.sh   # the cwd is the repository root
cleanup() {
  stop_launchers 100
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server <name>: starts it on core $server_cpu, waits until it listens, sets server_pid and url.
start_server() {
  local name="$1" log="/tmp/parley-compare-$1.log" port
  case "$name" in
    ws)       port=$((base_port + 1)); url="ws://127.0.0.1:$port"
              taskset -c "$server_cpu" node benchmarks/peers/ws-server.js "$port" > "$log" 2>&1 & ;;
    socketio) port=$((base_port + 2)); url="ws://127.0.0.1:$port"
              taskset -c "$server_cpu" node benchmarks/peers/socketio-server.js "$port" > "$log" 2>&1 & ;;
    parley)   port=$base_port; url="ws://127.0.0.1:$port/ws"
              # The benchmark measures delivery, not abuse protection: rate limits are lifted.
              # shellcheck disable=SC2086
              taskset -c "$server_cpu" java $java_opts -jar "$server_jar" --port "$port" \
                --rate-per-second 1000000 --rate-burst 1000000 > "$log" 2>&1 & ;;
    *) echo "unknown server $name" >&2; exit 2 ;;
  esac
  launchers+=("$!")
  server_pid=""
  for _ in $(seq 1 300); do
    server_pid=$(sed -n 's/.* listening on .* pid=\([0-9]*\).*/\1/p' "$log" | head -n 1)
    if [ -n "$server_pid" ]; then
      [ "$name" != parley ] && break
      curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
    fi
    sleep 0.1
  done
  [ -n "$server_pid" ] || { echo "$name did not start:" >&2; cat "$log" >&2; exit 1; }
  launchers+=("$server_pid")
}

wait_for_quiet_machine() {
  for _ in $(seq 1 18); do
    awk -v max="$max_load" '{ exit !($1 <= max) }' /proc/loadavg && return 0
    sleep 5
  done
  echo "note: load average still above $max_load after 90 s; running anyway"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

# generate <scenario> [args]: the load generator on core $load_cpu against the running server.
generate() {
  local scenario="$1"; shift
  local status=0
  timeout 300 taskset -c "$load_cpu" java -jar "$load_jar" "$scenario" --peer "$name" --url "$url" \
    --server-pid "$server_pid" --out "$out" "$@" > "/tmp/parley-compare-load.log" 2>&1 || status=$?
  grep -v -e '^INFO: XNIO' -e 'org.xnio.*<clinit>' /tmp/parley-compare-load.log || true
  [ "$status" = 0 ] || echo "(the generator's $scenario run against $name failed: exit $status)"
}

echo "== parley vs peers, $(date -u +%FT%TZ): servers on core $server_cpu, generator on core $load_cpu"
echo "nproc: $(nproc)"
free -g | sed 's/^/free -g: /'
java -version 2>&1 | head -n 1 | sed 's/^/java: /'
echo "node: $(node --version), ws $(node -p "require('./benchmarks/peers/node_modules/ws/package.json').version"),\
 socket.io $(node -p "require('./benchmarks/peers/node_modules/socket.io/package.json').version")"
echo "Parley's JVM flags: '${java_opts}'; as the JVM sees them on one core:\
 $(taskset -c "$server_cpu" java $java_opts -XX:+PrintCommandLineFlags -version 2>&1 | head -n 1)"

declare -A loads
for name in $servers; do
  loads[$name]=""
  wait_for_quiet_machine
  echo; echo "== $name fanout + saturation: $(date -u +%FT%TZ), load before: $(load)"
  loads[$name]+="fanout $(load | cut -d' ' -f1); "
  start_server "$name"
  generate publish --label "$name-fanout" --connections 1000 --rooms 1 --publishers 20 \
    --rates 50 --warmup-seconds 10 --step-seconds 20 --machine-cpu
  echo "-- $name saturation: load before: $(load)"
  generate publish --label "$name-saturation" --connections 1000 --rooms 1 --publishers 20 \
    --rates "$rates" --warmup-seconds 3 --step-seconds 10 --machine-cpu
  cleanup

  wait_for_quiet_machine
  echo; echo "== $name idle: $(date -u +%FT%TZ), load before: $(load)"
  loads[$name]+="idle $(load | cut -d' ' -f1); "
  start_server "$name"
  generate idle --label "$name-idle" --connections "$connections" --hold-seconds 5
  cleanup

  wait_for_quiet_machine
  echo; echo "== $name storm: $(date -u +%FT%TZ), load before: $(load)"
  loads[$name]+="storm $(load | cut -d' ' -f1)"
  start_server "$name"
  generate storm --label "$name-storm" --connections "$connections" --parallel 500 --rounds 3
  cleanup
done

# The figures, out of the generator's CSVs (columns as LoadGenerator writes them).
csv_value() { # csv_value <file> <awk program>: prints "-" when the file is missing
  [ -f "$1" ] && awk -F, "$2" "$1" || echo "-"
}
echo "server,saturated_deliveries_per_s,saturation_server_cpu_pct,saturation_generator_cpu_pct,saturation_machine_cpu_pct,delivered_per_s_at_50k,p99_ms_at_50k,machine_cpu_pct_at_50k,rss_kib_per_idle_connection,live_heap_kib_per_idle_connection,connect_seconds_median,connect_seconds_rounds,load_before" > "$summary"
declare -A saturated p99 rss connect
for name in $servers; do
  saturated[$name]=$(csv_value "$out/$name-saturation.csv" 'NR > 1 && $3 + 0 > best { best = $3 + 0; cpu = $13; gen = $15; all = $16 }
    END { printf "%.0f,%s,%s,%s", best, cpu, gen, all }')
  fanout=$(csv_value "$out/$name-fanout.csv" 'NR == 2 { printf "%s,%s,%s", $3, $6, $16 }')
  p99[$name]=$(echo "$fanout" | cut -d, -f2)
  idle=$(csv_value "$out/$name-idle.csv" 'NR == 2 { printf "%s,%s", $4, $7 }')
  rss[$name]=${idle%,*}
  connect[$name]=-
  if [ -f "$out/$name-storm.csv" ]; then
    connect[$name]=$(tail -n +2 "$out/$name-storm.csv" | cut -d, -f4 | sort -n \
      | awk '{ s[NR] = $1 } END { print NR ? s[int((NR + 1) / 2)] : "-" }')
  fi
  rounds=$(csv_value "$out/$name-storm.csv" 'NR > 1 { printf "%s%s", (NR > 2 ? " " : ""), $4 }')
  echo "$name,${saturated[$name]},$fanout,$idle,${connect[$name]},$rounds,${loads[$name]}" >> "$summary"
  saturated[$name]=${saturated[$name]%%,*}
done

ratio() { # ratio <a> <b>: a / b to two decimals, "-" when either is missing
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0 || a == "NaN" || b == "NaN") print "-"; else printf "%.2f", a / b }'
}
echo
echo "== summary ($summary)"
echo "| server | saturated deliveries/s | p99 ms at 50k deliveries/s | RSS KiB per idle connection | live heap KiB per idle connection | seconds to connect $connections (median of 3) | load before (1 min) |"
echo "|---|---|---|---|---|---|---|"
while IFS=, read -r name sat satcpu satgen satall del50 p9950 all50 rsskib heapkib conn rounds loadsrow; do
  [ "$name" = server ] && continue
  echo "| $name | $sat (CPU %: server $satcpu, generator $satgen, machine $satall) | $p9950 (delivered $del50/s; machine CPU $all50 %) | $rsskib | $heapkib | $conn ($rounds) | $loadsrow |"
done < "$summary"
if [[ " $servers " == *" parley "* ]]; then
  for peer in ws socketio; do
    [[ " $servers " == *" $peer "* ]] || continue
    echo "Parley / $peer: saturated deliveries/s x$(ratio "${saturated[parley]}" "${saturated[$peer]}")," \
      "p99 at 50k x$(ratio "${p99[parley]}" "${p99[$peer]}")," \
      "RSS per idle connection x$(ratio "${rss[parley]}" "${rss[$peer]}")," \
      "time to connect $connections x$(ratio "${connect[parley]}" "${connect[$peer]}")"
  done
fi

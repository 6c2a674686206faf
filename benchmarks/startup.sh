#!/usr/bin/env bash
# Start-up time: from `java -jar` to the first 200 of /health, several times each for the embedded
# default (no infrastructure) and with PostgreSQL + Redis (PARLEY_BENCH_POSTGRES_URL /
# PARLEY_BENCH_REDIS_URL, default the local services). Prints each run and the median.
# Usage: benchmarks/run.sh startup [runs, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
port="${PARLEY_BENCH_PORT:-18090}"
jar=bootstrap/target/parley-server.jar
postgres="${PARLEY_BENCH_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
redis="${PARLEY_BENCH_REDIS_URL:-redis://127.0.0.1:6379}"

now_ms() { date +%s%3N; }

# One start: prints the milliseconds until /health answered 200, then stops the server.
one_start() {
  local started pid
  started=$(now_ms)
  java -jar "$jar" --port "$port" "$@" > /tmp/parley-startup.log 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    if curl -sf -o /dev/null "http://127.0.0.1:$port/health"; then
      echo $(( $(now_ms) - started ))
      kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "server exited:" >&2; cat /tmp/parley-startup.log >&2; return 1; }
    sleep 0.01
  done
  kill -KILL "$pid"; echo "no /health 200 within 30 s" >&2; return 1
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| configuration | runs (ms) | median ms |"
echo "|---|---|---|"
for config in embedded postgres+redis; do
  times=()
  for _ in $(seq 1 "$runs"); do
    if [ "$config" = embedded ]; then
      times+=("$(one_start)")
    else
      times+=("$(PARLEY_POSTGRES_URL="$postgres" PARLEY_REDIS_URL="$redis" one_start)")
    fi
  done
  echo "| $config | ${times[*]} | $(printf '%s\n' "${times[@]}" | median) |"
done

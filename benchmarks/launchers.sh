# Sourced by the benchmark scripts: what a script started goes into `launchers` (their $! and
# the pids the servers logged), and stop_launchers ends them all.

launchers=()

# TERM to each, up to $1 tenths of a second for them to go, then KILL; empties `launchers`.
stop_launchers() {
  local pid tenths="${1:-100}"
  for pid in "${launchers[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 "$tenths"); do
    local alive=0
    for pid in "${launchers[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${launchers[@]}"; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  launchers=()
}

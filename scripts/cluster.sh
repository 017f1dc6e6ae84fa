#!/usr/bin/env bash
# A local scale-out cluster against this machine's NATS JetStream: 2 gateways (serve --bus) and
# 2 detector workers (worker 0: feature shard 0/2 + the campaign stage; worker 1: feature shard 1/2).
# Each process is started in the background and its pid written to $RUN/pids; `stop` ends exactly
# those pids (SIGTERM, so workers ack in-flight work, write their checkpoint and the report).
#
# Usage: scripts/cluster.sh start|stop|status
#   env: DG_BUS (nats://127.0.0.1:4222), DG_CLUSTER_DIR (./.cluster), DG_PREFIX (dg), PORT_BASE (8081)
set -euo pipefail
cd "$(dirname "$0")/.."
BUS="${DG_BUS:-nats://127.0.0.1:4222}"
RUN="${DG_CLUSTER_DIR:-$PWD/.cluster}"
PREFIX="${DG_PREFIX:-dg}"
PORT_BASE="${PORT_BASE:-8081}"
CLI=(node --import tsx src/cli/main.ts)

start_one() { # name, then the command's arguments
  local name="$1"
  shift
  "${CLI[@]}" "$@" >"$RUN/$name.log" 2>&1 &
  echo "$! $name" >>"$RUN/pids"
  echo "started $name (pid $!, log $RUN/$name.log)"
}

case "${1:-}" in
start)
  if [[ -s "$RUN/pids" ]]; then
    echo "a cluster is already recorded in $RUN/pids; run $0 stop first" >&2
    exit 1
  fi
  mkdir -p "$RUN/ckpt"
  start_one detector-0 detector --bus "$BUS" --prefix "$PREFIX" --role both --shard 0/2 \
    --checkpoint "$RUN/ckpt" --report "$RUN/report.json"
  start_one detector-1 detector --bus "$BUS" --prefix "$PREFIX" --role features --shard 1/2
  for i in 0 1; do
    port=$((PORT_BASE + i))
    start_one "gateway-$i" serve --mock-upstream --port "$port" --db "$RUN/gateway-$i.db" \
      --bus "$BUS" --bus-prefix "$PREFIX" --gateway-id "gw$i"
  done
  echo "gateways: http://127.0.0.1:$PORT_BASE and http://127.0.0.1:$((PORT_BASE + 1))"
  echo "keys:     node --import tsx src/cli/main.ts keys create --db $RUN/gateway-0.db --account acct-1"
  ;;
stop)
  [[ -f "$RUN/pids" ]] || { echo "no cluster recorded in $RUN/pids" >&2; exit 1; }
  # Gateways first (they publish), then workers, each by its recorded pid.
  for pass in gateway detector; do
    while read -r pid name; do
      [[ "$name" == "$pass"* ]] || continue
      if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        echo "stopped $name (pid $pid)"
      fi
    done <"$RUN/pids"
  done
  rm -f "$RUN/pids"
  [[ -f "$RUN/report.json" ]] && echo "campaign stage report: $RUN/report.json"
  ;;
status)
  [[ -f "$RUN/pids" ]] || { echo "no cluster recorded"; exit 0; }
  while read -r pid name; do
    if kill -0 "$pid" 2>/dev/null; then echo "$name pid $pid running"; else echo "$name pid $pid exited"; fi
  done <"$RUN/pids"
  ;;
*)
  echo "usage: $0 start|stop|status" >&2
  exit 2
  ;;
esac

#!/usr/bin/env bash
# A local scale-out cluster on this machine's services: 2 gateways sharing one PostgreSQL store
# (a schema of its own per cluster run, created by the migrations), Redis (shared limits and the
# enforcement feed) and NATS JetStream (events to the detector, decisions back), plus 2 detector
# workers (worker 0: feature shard 0/2, key partitions 0/2 and the campaign stage; worker 1: feature
# shard 1/2 and key partitions 1/2).
# A key made through either gateway (admin API, or `keys --store`) works on both; a block or
# revocation made through one is enforced by the other.
#
# Each process runs in the background with its pid in $RUN/pids; `stop` ends exactly those pids
# (SIGTERM: gateways drain, workers ack in-flight work and write the checkpoint and the report).
# The run's names, secret and admin token are in $RUN/cluster.env (mode 600); `stop` keeps the
# schema and streams for inspection, `clean` drops them.
#
# Usage: scripts/cluster.sh start|stop|status|clean
#   env: DG_STORE (postgres://postgres@127.0.0.1:5432/test), DG_REDIS (redis://127.0.0.1:6379),
#        DG_BUS (nats://127.0.0.1:4222), DG_CLUSTER_DIR (./.cluster), PORT_BASE (8081),
#        DG_SERVER_SECRET / DG_ADMIN_TOKEN (generated per run when unset)
set -euo pipefail
cd "$(dirname "$0")/.."
RUN="${DG_CLUSTER_DIR:-$PWD/.cluster}"
CLI=(node --import tsx src/cli/main.ts)

start_one() { # name, then the command's arguments
  local name="$1"
  shift
  "${CLI[@]}" "$@" >"$RUN/$name.log" 2>&1 &
  echo "$! $name" >>"$RUN/pids"
  echo "started $name (pid $!, log $RUN/$name.log)"
}

wait_healthy() { # name url pid
  for _ in $(seq 1 600); do
    if curl -fsS -o /dev/null "$2/healthz" 2>/dev/null; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then
      echo "$1 exited during start-up; its log ($RUN/$1.log):" >&2
      tail -20 "$RUN/$1.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "$1 did not answer $2/healthz within 60 s (log $RUN/$1.log)" >&2
  return 1
}

load_env() {
  [[ -f "$RUN/cluster.env" ]] || { echo "no cluster recorded in $RUN" >&2; exit 1; }
  set -a # exported: the processes started below (and cluster-clean.ts) read them
  # shellcheck disable=SC1091
  source "$RUN/cluster.env"
  set +a
}

case "${1:-}" in
start)
  if [[ -s "$RUN/pids" ]]; then
    echo "a cluster is already recorded in $RUN/pids; run $0 stop first" >&2
    exit 1
  fi
  mkdir -p "$RUN/ckpt"
  # Names of this run: the schema, the bus prefix and the Redis prefix keep runs (and tests) apart.
  run_id="c$(date +%s)$$"
  store_base="${DG_STORE:-postgres://postgres@127.0.0.1:5432/test}"
  sep='?'
  [[ "$store_base" == *\?* ]] && sep='&'
  umask 077
  cat >"$RUN/cluster.env" <<EOF
DG_CLUSTER_RUN=$run_id
DG_CLUSTER_SCHEMA=dg_$run_id
DG_CLUSTER_STORE='${store_base}${sep}schema=dg_$run_id'
DG_CLUSTER_REDIS='${DG_REDIS:-redis://127.0.0.1:6379}'
DG_CLUSTER_REDIS_PREFIX=dg-$run_id
DG_CLUSTER_BUS='${DG_BUS:-nats://127.0.0.1:4222}'
DG_CLUSTER_BUS_PREFIX=dg-$run_id
DG_CLUSTER_PORTS='${PORT_BASE:-8081} $((${PORT_BASE:-8081} + 1))'
DG_SERVER_SECRET=${DG_SERVER_SECRET:-$(node -e 'console.log(require("node:crypto").randomBytes(32).toString("hex"))')}
DG_ADMIN_TOKEN=${DG_ADMIN_TOKEN:-$(node -e 'console.log(require("node:crypto").randomBytes(24).toString("hex"))')}
EOF
  umask 022
  load_env
  start_one detector-0 detector --bus "$DG_CLUSTER_BUS" --prefix "$DG_CLUSTER_BUS_PREFIX" --role both \
    --shard 0/2 --checkpoint "$RUN/ckpt" --report "$RUN/report.json"
  start_one detector-1 detector --bus "$DG_CLUSTER_BUS" --prefix "$DG_CLUSTER_BUS_PREFIX" --role worker \
    --shard 1/2 --checkpoint "$RUN/ckpt-worker-1"
  i=0
  for port in $DG_CLUSTER_PORTS; do
    start_one "gateway-$i" serve --mock-upstream --port "$port" --store "$DG_CLUSTER_STORE" \
      --redis "$DG_CLUSTER_REDIS" --redis-prefix "$DG_CLUSTER_REDIS_PREFIX" \
      --bus "$DG_CLUSTER_BUS" --bus-prefix "$DG_CLUSTER_BUS_PREFIX" --gateway-id "gw$i" \
      --spool "$RUN/gateway-$i.bus-spool"
    i=$((i + 1))
  done
  while read -r pid name; do
    [[ "$name" == gateway-* ]] || continue
    port=$(echo "$DG_CLUSTER_PORTS" | cut -d' ' -f$((${name#gateway-} + 1)))
    wait_healthy "$name" "http://127.0.0.1:$port" "$pid" || { "$0" stop >/dev/null || true; exit 1; }
  done <"$RUN/pids"
  set -- $DG_CLUSTER_PORTS
  echo "gateways: http://127.0.0.1:$1 and http://127.0.0.1:$2 (store schema $DG_CLUSTER_SCHEMA)"
  echo "admin:    Authorization: Bearer \$DG_ADMIN_TOKEN (source $RUN/cluster.env)"
  echo "keys:     (source $RUN/cluster.env; export DG_SERVER_SECRET; ${CLI[*]} keys create --store \"\$DG_CLUSTER_STORE\" --account acct-1)"
  ;;
stop)
  [[ -f "$RUN/pids" ]] || { echo "no cluster recorded in $RUN/pids" >&2; exit 1; }
  # Gateways first (they publish), then workers, each by its recorded pid.
  for pass in gateway detector; do
    while read -r pid name; do
      [[ "$name" == "$pass"* ]] || continue
      if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        echo "stopped $name (pid $pid)"
      fi
    done <"$RUN/pids"
  done
  rm -f "$RUN/pids"
  [[ -f "$RUN/report.json" ]] && echo "campaign stage report: $RUN/report.json"
  echo "data kept: schema, streams and Redis keys of this run; '$0 clean' drops them"
  ;;
status)
  [[ -f "$RUN/pids" ]] || { echo "no cluster recorded"; exit 0; }
  while read -r pid name; do
    if kill -0 "$pid" 2>/dev/null; then echo "$name pid $pid running"; else echo "$name pid $pid exited"; fi
  done <"$RUN/pids"
  ;;
clean)
  if [[ -s "$RUN/pids" ]]; then
    echo "the cluster in $RUN is running; run $0 stop first" >&2
    exit 1
  fi
  load_env
  node --import tsx scripts/cluster-clean.ts
  rm -f "$RUN/cluster.env"
  ;;
*)
  echo "usage: $0 start|stop|status|clean" >&2
  exit 2
  ;;
esac

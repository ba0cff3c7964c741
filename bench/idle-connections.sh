#!/usr/bin/env bash
# idle-connections.sh — the server's memory per idle connection, and what idle connections
# cost a busy one.
#
#   bench/idle-connections.sh [-r REPS] [-t SECONDS] [-o OUTDIR] [COUNT...]
#
# Starts the standalone server (in-memory export, connection limits raised to 6,000 and the
# per-address rate limit off), runs a depth-32 getattr with nfsbench on one connection, then
# for each COUNT (default 1000 5000) opens that many connections that each make one NULL
# call and then stay idle (idle-connections.py), reads the server's resident memory, and
# runs the same getattr again beside them. Prints one line per step and a table of medians.
#
# Environment: BENCH_DIR (folder holding nfsbench).
set -euo pipefail
cd "$(dirname "$0")/.."

reps=3 secs=10 out=bench/results-idle
while getopts "r:t:o:" opt; do
  case $opt in
    r) reps=$OPTARG ;;
    t) secs=$OPTARG ;;
    o) out=$OPTARG ;;
    *) echo "usage: $0 [-r REPS] [-t SECONDS] [-o OUTDIR] [COUNT...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
counts=("${@:-1000 5000}")
read -r -a counts <<<"${counts[*]}"
: "${BENCH_DIR:?set BENCH_DIR to the folder holding nfsbench}"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p "$out"
raw=$out/raw.txt
: >"$raw"
ulimit -n "$(ulimit -Hn)" # every idle connection is a descriptor here and in the server

jar=examples/target/jnfs-server.jar
[ -f "$jar" ] || mvn -B -q package -DskipTests
"$JAVA" -jar "$jar" --port 30069 --mount-port 30068 --options rw,insecure,no_root_squash \
  --max-connections 6000 --max-connection-rate 0 >"$out/jnfs.log" 2>&1 &
server=$!
holder=
cleanup() {
  [ -n "$holder" ] && kill "$holder" 2>/dev/null
  kill "$server" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do grep -q ready "$out/jnfs.log" && break; sleep 0.2; done
url="nfs://127.0.0.1/?version=3&nfsport=30069&mountport=30068"
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }

getattr() { # getattr LABEL: one depth-32 getattr run, its calls/s
  "$BENCH_DIR/nfsbench" -q 32 -t "$secs" -p "$server" -l "$1" "$url" getattr | tee -a "$raw" |
    awk -F'ops_per_s=' '{split($2, a, " "); print a[1]}'
}

"$BENCH_DIR/nfsbench" -q 32 -t 3 "$url" getattr >/dev/null # warm-up
for rep in $(seq 1 "$reps"); do
  base=$(getattr "idle=0")
  echo "idle rep=$rep idle=0 getattr_ops_per_s=$base server_rss_kb=$(rss_kb)" | tee -a "$raw"
  for count in "${counts[@]}"; do
    before=$(rss_kb)
    coproc HOLD { python3 bench/idle-connections.py 127.0.0.1 30069 "$count"; }
    holder=$HOLD_PID
    read -r line <&"${HOLD[0]}"
    sleep 2
    after=$(rss_kb)
    ops=$(getattr "idle=$count")
    echo "idle rep=$rep idle=$count getattr_ops_per_s=$ops server_rss_kb=$after" \
      "bytes_per_idle_connection=$(((after - before) * 1024 / count))" | tee -a "$raw"
    exec {HOLD[1]}>&-
    wait "$holder" 2>/dev/null || true
    holder=
    sleep 2
  done
done

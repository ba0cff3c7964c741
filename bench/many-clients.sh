#!/usr/bin/env bash
# many-clients.sh — many concurrent connections against jnfs and nfs-ganesha, in one run.
#
#   bench/many-clients.sh [-n CLIENTS] [-q DEPTH] [-r REPS] [-t SECONDS] [-o OUTDIR] [-s SERVERS]
#
# Each client is its own nfsbench process, so its own TCP connection; CLIENTS of them run
# WORKLOADS (default "getattr lookup randread") at depth DEPTH together, against each server
# in turn (ganesha, jnfs in-memory, jnfs on a local directory), REPS times interleaved.
# Reported per run: the sum of the clients' calls/s, the server's CPU microseconds per call
# (utime+stime of the server process over the run, divided by the calls all clients made)
# and its resident memory at the end. OUTDIR/raw.txt keeps every line, OUTDIR/table.md the
# medians. SERVERS (comma-separated, default ganesha,jnfs-mem,jnfs-dir) picks the servers, e.g.
# -s jnfs-mem,jnfs-dir to measure jnfs alone.
#
# Environment: BENCH_DIR (folder holding nfsbench), REF_GANESHA (the ref-ganesha script; needed
# only with ganesha), JNFS_JAR (the server jar, default examples/target/jnfs-server.jar).
set -euo pipefail
cd "$(dirname "$0")/.."

clients=16 depth=8 reps=3 secs=10 out=bench/results-many chosen=ganesha,jnfs-mem,jnfs-dir
while getopts "n:q:r:t:o:s:" opt; do
  case $opt in
    n) clients=$OPTARG ;;
    q) depth=$OPTARG ;;
    r) reps=$OPTARG ;;
    t) secs=$OPTARG ;;
    o) out=$OPTARG ;;
    s) chosen=$OPTARG ;;
    *) echo "usage: $0 [-n CLIENTS] [-q DEPTH] [-r REPS] [-t SECONDS] [-o OUTDIR] [-s SERVERS]" >&2; exit 2 ;;
  esac
done
: "${BENCH_DIR:?set BENCH_DIR to the folder holding nfsbench}"
IFS=, read -r -a servers <<<"$chosen"
for s in "${servers[@]}"; do
  case $s in
    ganesha) : "${REF_GANESHA:?set REF_GANESHA to the ref-ganesha script}" ;;
    jnfs-mem | jnfs-dir) ;;
    *) echo "many-clients: unknown server $s (ganesha, jnfs-mem, jnfs-dir)" >&2; exit 2 ;;
  esac
done
uses() { [[ ",$chosen," == *",$1,"* ]]; }
WORKLOADS=${WORKLOADS:-"getattr lookup randread"}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p "$out"
raw=$out/raw.txt
: >"$raw"

jar=${JNFS_JAR:-examples/target/jnfs-server.jar}
[ -f "$jar" ] || mvn -B -q package -DskipTests
data=/var/tmp/jnfs-bench-many/data
rm -rf /var/tmp/jnfs-bench-many && mkdir -p "$data"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if uses ganesha; then "$REF_GANESHA" stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

start_jnfs() { # port mountport [DIR]
  "$JAVA" -jar "$jar" --port "$1" --mount-port "$2" --options rw,insecure,no_root_squash \
    --max-connection-rate 0 "${@:3}" >"$out/jnfs-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    grep -q "ready" "$out/jnfs-$1.log" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "jnfs on port $1 did not start" >&2
  cat "$out/jnfs-$1.log" >&2
  exit 1
}
dir_pid= mem_pid= gan_pid=
if uses jnfs-dir; then
  start_jnfs 30049 30048 "$data"
  dir_pid=${pids[-1]}
fi
if uses jnfs-mem; then
  start_jnfs 30059 30058
  mem_pid=${pids[-1]}
fi
if uses ganesha; then
  "$REF_GANESHA" start >/dev/null
  gan_pid=$(pgrep -f ganesha.nfsd | head -1)
fi

declare -A url pid
url[ganesha]="nfs://127.0.0.1/export?version=3&nfsport=20490&mountport=20491"
url[jnfs-dir]="nfs://127.0.0.1/data?version=3&nfsport=30049&mountport=30048"
url[jnfs-mem]="nfs://127.0.0.1/?version=3&nfsport=30059&mountport=30058"
pid[ganesha]=$gan_pid
pid[jnfs-dir]=$dir_pid
pid[jnfs-mem]=$mem_pid

run() { # run SERVER WORKLOAD REP
  local server=$1 w=$2 rep=$3 i
  local dir=$out/run-$server-$w-$rep
  rm -rf "$dir" && mkdir -p "$dir"
  # one untimed run creates the workload's files, so the clients do not race to create them
  "$BENCH_DIR/nfsbench" -q 1 -t 1 -w 0 -s 64M "${url[$server]}" "$w" >/dev/null 2>>"$out/errors.txt" || true
  local clients_running=()
  for i in $(seq 1 "$clients"); do
    "$BENCH_DIR/nfsbench" -q "$depth" -t "$secs" -w 1 -s 64M -p "${pid[$server]}" \
      "${url[$server]}" "$w" >"$dir/$i.out" 2>"$dir/$i.err" &
    clients_running+=($!)
  done
  wait "${clients_running[@]}" || true # the servers are children too: wait for the clients only
  if grep -L '^nfsbench ' "$dir"/*.out | grep -q .; then
    echo "many-clients: $server $w: a client failed: $(cat "$dir"/*.err | head -3)" >&2
    return
  fi
  # The clients' timed phases overlap (they start together and run as long): the calls of
  # all clients over the server CPU one client saw in its phase (the median of the clients'
  # readings) is the server's cost per call.
  cat "$dir"/*.out | awk -v s="$server" -v w="$w" -v r="$rep" -v n="$clients" -v q="$depth" '
    function field(line, key) { return match(line, key "=[^ ]+") ? substr(line, RSTART + length(key) + 1, RLENGTH - length(key) - 1) : "" }
    { rate += field($0, "ops_per_s"); calls += field($0, "ops"); cpu[NR] = field($0, "server_cpu_s"); rss = field($0, "server_rss_kb") }
    END {
      for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++) if (cpu[j] + 0 < cpu[i] + 0) { t = cpu[i]; cpu[i] = cpu[j]; cpu[j] = t }
      c = cpu[int((NR + 1) / 2)]
      printf "many workload=%s label=%s rep=%s clients=%d qd=%d ops_per_s=%.0f server_cpu_s=%.2f server_us_per_call=%.2f server_rss_kb=%d\n", w, s, r, n, q, rate, c, c * 1e6 / calls, rss
    }' | tee -a "$raw"
}

warm_up() { # warm_up SERVER WORKLOAD: the clients for 3 s, nothing kept
  local server=$1 w=$2 i warming=()
  "$BENCH_DIR/nfsbench" -q 1 -t 1 -w 0 -s 64M "${url[$server]}" "$w" >/dev/null 2>>"$out/errors.txt" || true
  for i in $(seq 1 "$clients"); do
    "$BENCH_DIR/nfsbench" -q "$depth" -t 3 -w 0 -s 64M "${url[$server]}" "$w" >/dev/null 2>>"$out/errors.txt" &
    warming+=($!)
  done
  wait "${warming[@]}" || true
}

# a fresh JVM compiles its hot paths in its first seconds: one unmeasured round of every
# workload on every server first, so that the first repetition does not pay for it
for w in $WORKLOADS; do
  for server in "${servers[@]}"; do
    warm_up "$server" "$w"
  done
done
for rep in $(seq 1 "$reps"); do
  for w in $WORKLOADS; do
    for server in "${servers[@]}"; do
      run "$server" "$w" "$rep"
    done
  done
done

awk -v workloads="$WORKLOADS" '
  function field(line, key,   m) { return match(line, key "=[^ ]+") ? substr(line, RSTART + length(key) + 1, RLENGTH - length(key) - 1) : "" }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n == 0 ? "" : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2)
  }
  { w = field($0, "workload"); s = field($0, "label")
    ops[w SUBSEP s] = ops[w SUBSEP s] " " field($0, "ops_per_s")
    us[w SUBSEP s] = us[w SUBSEP s] " " field($0, "server_us_per_call")
    rss[w SUBSEP s] = rss[w SUBSEP s] " " field($0, "server_rss_kb") }
  END {
    print "| workload | server | calls/s (sum) | ratio to ganesha | server CPU µs/call | RSS MiB |"
    print "|---|---|---:|---:|---:|---:|"
    n = split(workloads, W, " ")
    split("ganesha jnfs-mem jnfs-dir", S, " ")
    for (i = 1; i <= n; i++) {
      g = median(ops[W[i] SUBSEP "ganesha"])
      for (k = 1; k <= 3; k++) {
        if (ops[W[i] SUBSEP S[k]] == "") continue
        o = median(ops[W[i] SUBSEP S[k]])
        printf "| %s | %s | %.0f | %s | %.2f | %.0f |\n", W[i], S[k], o, (g > 0 ? sprintf("%.2f×", o / g) : "–"), median(us[W[i] SUBSEP S[k]]), median(rss[W[i] SUBSEP S[k]]) / 1024
      }
    }
  }' "$raw" | tee "$out/table.md"

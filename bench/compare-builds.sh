#!/usr/bin/env bash
# compare-builds.sh — measures two builds of the standalone server against each other with
# nfsbench, interleaved in one run, to show whether a change slowed the server down.
#
#   bench/compare-builds.sh [-r REPS] [-t SECONDS] [-o OUTDIR] OLD.jar NEW.jar
#
# Each build serves an in-memory export and a local directory (under /var/tmp) on ports of
# its own; every repetition runs each workload against all four in a rotated order.
#
# Environment:
#   BENCH_DIR    folder holding nfsbench (built with its Makefile); required
#   WORKLOADS    default "getattr smallfile"; QDS default "32"
#
# Output: OUTDIR/raw.txt (every nfsbench line) and OUTDIR/table.md (medians, NEW/OLD ratios;
# files per second for smallfile, calls per second otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

reps=3 secs=10 out=bench/results/builds
while getopts "r:t:o:" opt; do
  case $opt in
    r) reps=$OPTARG ;;
    t) secs=$OPTARG ;;
    o) out=$OPTARG ;;
    *) echo "usage: $0 [-r REPS] [-t SECONDS] [-o OUTDIR] OLD.jar NEW.jar" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# = 2 ] || { echo "usage: $0 [-r REPS] [-t SECONDS] [-o OUTDIR] OLD.jar NEW.jar" >&2; exit 2; }
: "${BENCH_DIR:?set BENCH_DIR to the folder holding nfsbench}"
WORKLOADS=${WORKLOADS:-"getattr smallfile"}
QDS=${QDS:-"32"}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
declare -A jar=([old]=$1 [new]=$2)
mkdir -p "$out"
raw=$out/raw.txt
: >"$raw"
rm -rf /var/tmp/jnfs-builds && mkdir -p /var/tmp/jnfs-builds/old/data /var/tmp/jnfs-builds/new/data

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
declare -A url pid
start() { # label build port [DIR]
  local log=$out/$1.log
  "$JAVA" -jar "${jar[$2]}" --bind 127.0.0.1 --port "$3" --mount-port $(($3 - 1)) \
    --options rw,insecure,no_root_squash "${@:4}" >"$log" 2>&1 &
  pids+=($!)
  pid[$1]=$!
  for _ in $(seq 1 100); do
    grep -q "ready" "$log" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$1 did not start" >&2
  cat "$log" >&2
  exit 1
}
start old-mem old 31049
start new-mem new 31059
start old-dir old 31069 /var/tmp/jnfs-builds/old/data
start new-dir new 31079 /var/tmp/jnfs-builds/new/data
url[old-mem]="nfs://127.0.0.1/?version=3&nfsport=31049&mountport=31048"
url[new-mem]="nfs://127.0.0.1/?version=3&nfsport=31059&mountport=31058"
url[old-dir]="nfs://127.0.0.1/data?version=3&nfsport=31069&mountport=31068"
url[new-dir]="nfs://127.0.0.1/data?version=3&nfsport=31079&mountport=31078"
servers=(old-mem new-mem old-dir new-dir)

for rep in $(seq 1 "$reps"); do
  order=("${servers[@]:$(((rep - 1) % 4))}" "${servers[@]:0:$(((rep - 1) % 4))}")
  for w in $WORKLOADS; do
    for qd in $QDS; do
      for server in "${order[@]}"; do
        echo "compare-builds: rep $rep $w qd=$qd $server" >&2
        sync
        line=$(timeout $((secs * 3 + 120)) "$BENCH_DIR/nfsbench" -t "$secs" -q "$qd" \
          -p "${pid[$server]}" -l "$server" "${url[$server]}" "$w" 2>>"$out/errors.txt" | tail -1) \
          || line="nfsbench workload=$w qd=$qd FAILED label=$server"
        echo "$line" >>"$raw"
      done
    done
  done
done

awk -v workloads="$WORKLOADS" -v qds="$QDS" '
function field(line, key,   m) { return match(line, key "=[^ ]+") ? substr(line, RSTART + length(key) + 1, RLENGTH - length(key) - 1) : "" }
function median(list,   a, n, i, j, t) {
  n = split(list, a, " ")
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
  return n == 0 ? "" : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2)
}
/FAILED/ { next }
{ w = field($0, "workload"); q = field($0, "qd"); s = field($0, "label"); v = field($0, "entries_per_s"); if (v == "") v = field($0, "ops_per_s")
  vals[w SUBSEP q SUBSEP s] = vals[w SUBSEP q SUBSEP s] " " v; runs[w SUBSEP q SUBSEP s] = runs[w SUBSEP q SUBSEP s] " " sprintf("%.0f", v) }
END {
  print "| workload | qd | export | old /s | new /s | new/old | old runs | new runs |"
  print "|---|---|---|---:|---:|---:|---|---|"
  nw = split(workloads, W, " "); nq = split(qds, Q, " ")
  for (i = 1; i <= nw; i++) for (k = 1; k <= nq; k++) for (e = 1; e <= 2; e++) {
    x = e == 1 ? "mem" : "dir"; w = W[i]; q = Q[k]
    o = median(vals[w SUBSEP q SUBSEP "old-" x]); n = median(vals[w SUBSEP q SUBSEP "new-" x])
    printf "| %s | %d | %s | %.0f | %.0f | %s | %s | %s |\n", w, q, x == "mem" ? "in-memory" : "local dir", o, n, \
      (o > 0 ? sprintf("%.2f×", n / o) : "–"), runs[w SUBSEP q SUBSEP "old-" x], runs[w SUBSEP q SUBSEP "new-" x]
  }
}' "$raw" >"$out/table.md"
cat "$out/table.md"

#!/usr/bin/env bash
# compare.sh — measures jnfs beside nfs-ganesha with nfsbench, in one run on one machine.
#
#   bench/compare.sh [-r REPS] [-t SECONDS] [-o OUTDIR]
#   bench/compare.sh -T [-o OUTDIR]      only rebuild OUTDIR/table.md from OUTDIR/raw.txt
#
# Servers measured, interleaved within each repetition so drift hits all alike:
#   ganesha   nfs-ganesha (FSAL VFS) exporting a directory, started by REF_GANESHA
#   jnfs-dir  the standalone jnfs server exporting a local directory (nfs-localfs)
#   jnfs-mem  the standalone jnfs server exporting its in-memory file system
# With smallfile among the workloads, each repetition also runs bench/SmallFileProbe.java:
# plain Java threads doing on the same volume what smallfile asks of the servers, once as
# plainly as a program would, once forcing each new file and its directory as a CREATE must,
# and once forcing the directory after the unlink too, as a REMOVE must.
# Both directories live under /var/tmp, so ganesha and jnfs write to the same file system.
#
# Environment:
#   BENCH_DIR    folder holding nfsbench (built with its Makefile); required
#   REF_GANESHA  the script that starts/stops the reference ganesha; required
#   WORKLOADS    default: every nfsbench workload; QDS default "1 32"
#   SIZE         file size for seqwrite/seqread/randread (default 1G)
#
# Output: OUTDIR/raw.txt (every nfsbench line) and OUTDIR/table.md (medians and ratios).
set -euo pipefail
cd "$(dirname "$0")/.."

reps=3 secs=10 out=bench/results table_only=0
while getopts "r:t:o:T" opt; do
  case $opt in
    r) reps=$OPTARG ;;
    t) secs=$OPTARG ;;
    o) out=$OPTARG ;;
    T) table_only=1 ;;
    *) echo "usage: $0 [-r REPS] [-t SECONDS] [-o OUTDIR] | $0 -T [-o OUTDIR]" >&2; exit 2 ;;
  esac
done
WORKLOADS=${WORKLOADS:-"null getattr lookup smallfile seqwrite seqread randread readdir readdirplus"}
QDS=${QDS:-"1 32"}
raw=$out/raw.txt

# Medians per (workload, qd, server) of the workload's headline figure: MiB/s for data
# workloads, entries/s for listings, ops/s otherwise (smallfile counts files).
make_table() {
  awk -v workloads="$WORKLOADS" -v qds="$QDS" '
  function field(line, key,   m) { return match(line, key "=[^ ]+") ? substr(line, RSTART + length(key) + 1, RLENGTH - length(key) - 1) : "" }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n == 0 ? "" : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2)
  }
  /FAILED/ { next }
  / label=probe-synchronous/ { synchronous = synchronous " " field($0, "files_per_s"); next }
  / label=probe-durable/ { durable = durable " " field($0, "files_per_s"); next }
  / label=probe/ { probe = probe " " field($0, "files_per_s"); next }
  {
    w = field($0, "workload"); q = field($0, "qd"); s = field($0, "label")
    v = field($0, "MiB_per_s"); unit[w] = "MiB/s"
    if (v == "" || w ~ /readdir|smallfile/) { v = field($0, "entries_per_s"); unit[w] = "entries/s" }
    if (v == "") { v = field($0, "ops_per_s"); unit[w] = "ops/s" }
    vals[w SUBSEP q SUBSEP s] = vals[w SUBSEP q SUBSEP s] " " v
  }
  END {
    print "| workload | qd | unit | ganesha | jnfs local dir | ratio | jnfs in-memory | ratio |"
    print "|---|---|---|---:|---:|---:|---:|---:|"
    nw = split(workloads, W, " "); nq = split(qds, Q, " ")
    for (i = 1; i <= nw; i++) for (k = 1; k <= nq; k++) {
      w = W[i]; q = Q[k]
      g = median(vals[w SUBSEP q SUBSEP "ganesha"]); d = median(vals[w SUBSEP q SUBSEP "jnfs-dir"]); m = median(vals[w SUBSEP q SUBSEP "jnfs-mem"])
      rd = (g > 0 && d != "") ? sprintf("%.2f×", d / g) : "–"; rm = (g > 0 && m != "") ? sprintf("%.2f×", m / g) : "–"
      printf "| %s | %d | %s | %s | %s | %s | %s | %s |\n", w, q, unit[w], g == "" ? "failed" : sprintf("%.0f", g), d == "" ? "failed" : sprintf("%.0f", d), rd, m == "" ? "failed" : sprintf("%.0f", m), rm
    }
    d = median(vals["smallfile" SUBSEP Q[nq] SUBSEP "jnfs-dir"])
    p = median(probe)
    if (p != "") {
      printf "\nsmallfile probe (plain Java threads, %d, same volume): %.0f files/s; jnfs local dir at qd %d: %.0f%% of it\n", Q[nq], p, Q[nq], 100 * d / p
    }
    p = median(durable)
    if (p != "") {
      printf "smallfile probe forcing each new file and its directory (as CREATE must): %.0f files/s; jnfs local dir at qd %d: %.0f%% of it\n", p, Q[nq], 100 * d / p
    }
    p = median(synchronous)
    if (p != "") {
      printf "smallfile probe forcing the directory after the unlink too (as REMOVE must): %.0f files/s; jnfs local dir at qd %d: %.0f%% of it\n", p, Q[nq], 100 * d / p
    }
  }' "$raw" >"$out/table.md"
  cat "$out/table.md"
}

if [ "$table_only" = 1 ]; then
  make_table
  exit 0
fi
: "${BENCH_DIR:?set BENCH_DIR to the folder holding nfsbench}"
: "${REF_GANESHA:?set REF_GANESHA to the ref-ganesha script}"
SIZE=${SIZE:-1G}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p "$out"
: >"$raw"

jar=examples/target/jnfs-server.jar
[ -f "$jar" ] || mvn -B -q package -DskipTests

data=/var/tmp/jnfs-bench/data
probe=/var/tmp/jnfs-bench/probe
rm -rf /var/tmp/jnfs-bench && mkdir -p "$data"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  "$REF_GANESHA" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

start_jnfs() { # port mountport [DIR]
  "$JAVA" -jar "$jar" --port "$1" --mount-port "$2" --options rw,insecure,no_root_squash "${@:3}" \
    >"$out/jnfs-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    grep -q "ready" "$out/jnfs-$1.log" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "jnfs on port $1 did not start" >&2
  cat "$out/jnfs-$1.log" >&2
  exit 1
}
start_jnfs 30049 30048 "$data"
dir_pid=${pids[-1]}
start_jnfs 30059 30058
mem_pid=${pids[-1]}
"$REF_GANESHA" start >/dev/null
gan_pid=$(pgrep -f ganesha.nfsd | head -1)

declare -A url pid
url[ganesha]="nfs://127.0.0.1/export?version=3&nfsport=20490&mountport=20491"
url[jnfs-dir]="nfs://127.0.0.1/data?version=3&nfsport=30049&mountport=30048"
url[jnfs-mem]="nfs://127.0.0.1/?version=3&nfsport=30059&mountport=30058"
pid[ganesha]=$gan_pid
pid[jnfs-dir]=$dir_pid
pid[jnfs-mem]=$mem_pid

servers=(ganesha jnfs-dir jnfs-mem)
# nfsbench warms up before its time-based workloads (-w), not before the sequential ones, which
# move their file once: a fresh JVM would run the first of those with its code not yet
# compiled. One unmeasured run of each on every server first, as -w does for the others.
for w in $WORKLOADS; do
  case $w in seqwrite | seqread)
    for server in "${servers[@]}"; do
      echo "compare: warm-up $w $server" >&2
      "$BENCH_DIR/nfsbench" -F -s "$SIZE" -q 1 "${url[$server]}" "$w" >/dev/null 2>>"$out/errors.txt" || true
    done ;;
  esac
done
for rep in $(seq 1 "$reps"); do
  # each repetition starts with another server, so none always runs right after another's writes
  order=("${servers[@]:$(((rep - 1) % 3))}" "${servers[@]:0:$(((rep - 1) % 3))}")
  for w in $WORKLOADS; do
    for qd in $QDS; do
      for server in "${order[@]}"; do
        echo "compare: rep $rep $w qd=$qd $server" >&2
        sync # no run pays for the write-back of the data an earlier run left dirty
        line=$(timeout $((secs * 3 + 300)) "$BENCH_DIR/nfsbench" -F -s "$SIZE" -t "$secs" \
          -q "$qd" -p "${pid[$server]}" -l "$server" "${url[$server]}" "$w" 2>>"$out/errors.txt" | tail -1) \
          || line="nfsbench workload=$w qd=$qd FAILED label=$server"
        echo "$line" >>"$raw"
      done
    done
    if [ "$w" = smallfile ]; then
      # the file system's own figure beside the servers': plain Java threads on the same volume
      # doing create, write, fsync, close and unlink, one per slot of the deepest run
      rm -rf "$probe" && mkdir -p "$probe"
      echo "compare: rep $rep smallfile probe" >&2
      "$JAVA" bench/SmallFileProbe.java "$probe" "${QDS##* }" "$secs" | sed 's/$/ label=probe/' >>"$raw"
      # and the same with each file forced with its directory once made, as a CREATE must be
      "$JAVA" bench/SmallFileProbe.java "$probe" "${QDS##* }" "$secs" durable-create \
        | sed 's/$/ label=probe-durable/' >>"$raw"
      # and with the directory forced after the unlink as well, as a REMOVE must be
      "$JAVA" bench/SmallFileProbe.java "$probe" "${QDS##* }" "$secs" durable \
        | sed 's/$/ label=probe-synchronous/' >>"$raw"
    fi
  done
done

make_table

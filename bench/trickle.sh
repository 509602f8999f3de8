#!/usr/bin/env bash
# Issue #3's trickle benchmark: baselines a tree (default /usr), runs the trickle over it on the real clock
# with byterate 262144, and after a warm-up measures from /proc/<pid> for a window of seconds: the read
# rate (rchar: every byte the process read, page cache or not; read_bytes: what came from the block
# device), the trickle's own count of content bytes, CPU time as % of one core, and RSS.
# filerate is set high so the byte limit is the one that binds (with the default of 50 entries/s a run
# of small files is paced by the file limit, and the byte rate falls below the limit there), and speedup
# to 1: the limit itself is measured here, and a change found on a live tree would multiply it (the
# speed-up is tested on a fake clock in TrickleTest). Excludes are config/vigil.properties' ones, as
# the baseline's, or every excluded entry would be found as added.
# Usage: bench/trickle.sh [TREE]
#   env: BYTERATE (262144) FILERATE (10000) SPEEDUP (1) WINDOW (60 s) WARMUP (10 s) JAVA_OPTS (none)
set -euo pipefail
tree=${1:-/usr}
byterate=${BYTERATE:-262144}
filerate=${FILERATE:-10000}
speedup=${SPEEDUP:-1}
window=${WINDOW:-60}
warmup=${WARMUP:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$here/vigil" --version >/dev/null                      # builds the jar and target/lib if needed
(cd "$here" && mvn -q -B -DskipTests test-compile)      # TrickleBench lives with the tests

echo "baselining $tree..."
start=$(date +%s.%N)
"$here/vigil" baseline --db "$work/vigil.db" "$tree" >/dev/null 2>"$work/baseline.err" || true
echo "baseline took $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }') s"

excludes=$(sed -n 's/^vigil\.files\.excludes=//p' "$here/config/vigil.properties" | tail -n 1)
java ${JAVA_OPTS:-} -cp "$here/target/classes:$here/target/test-classes:$here/target/lib/*" dev.vigil.fim.TrickleBench \
  --db "$work/vigil.db" --progress "$work/progress" --byterate "$byterate" --filerate "$filerate" --speedup "$speedup" --excludes "$excludes" "$tree" \
  >"$work/out" 2>&1 &
pid=$!
tick=$(getconf CLK_TCK)

# One sample: wall seconds, rchar, read_bytes, CPU ticks (utime + stime), trickle bytes, trickle entries.
sample() {
  local now rchar rbytes cpu
  now=$(date +%s.%N)
  rchar=$(awk '/^rchar:/ { print $2 }' "/proc/$pid/io")
  rbytes=$(awk '/^read_bytes:/ { print $2 }' "/proc/$pid/io")
  # Fields 14 and 15 of stat, counted after the ")" that ends the command name (which may hold spaces).
  cpu=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')
  echo "$now $rchar $rbytes $cpu $(cut -d' ' -f1,2 "$work/progress")"
}

echo "warming up for $warmup s, then measuring for $window s..."
sleep "$warmup"
read -r t0 rc0 rb0 cpu0 tb0 te0 < <(sample)
sleep "$window"
read -r t1 rc1 rb1 cpu1 tb1 te1 < <(sample)
rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
kill -TERM "$pid"
wait "$pid" || true
pid=

awk -v t0="$t0" -v t1="$t1" -v rc0="$rc0" -v rc1="$rc1" -v rb0="$rb0" -v rb1="$rb1" -v c0="$cpu0" -v c1="$cpu1" \
    -v tb0="$tb0" -v tb1="$tb1" -v te0="$te0" -v te1="$te1" -v tick="$tick" -v rss="$rss" -v hwm="$hwm" \
    -v limit="$byterate" -v tree="$tree" -v filerate="$filerate" -v speedup="$speedup" -v opts="${JAVA_OPTS:-}" 'BEGIN {
  s = t1 - t0
  printf "\ntrickle over %s, byterate %.0f B/s, filerate %s/s, speedup %s, %.1f s measured after warm-up\n", tree, limit, filerate, speedup, s
  if (opts != "") printf "JVM options: %s\n", opts
  printf "%-36s %14s %10s\n", "figure", "value", "vs limit"
  printf "%-36s %14.0f %+9.1f%%\n", "read rate, rchar (B/s)", (rc1 - rc0) / s, ((rc1 - rc0) / s / limit - 1) * 100
  printf "%-36s %14.0f %+9.1f%%\n", "content read, trickle count (B/s)", (tb1 - tb0) / s, ((tb1 - tb0) / s / limit - 1) * 100
  printf "%-36s %14.0f\n", "read from disk, read_bytes (B/s)", (rb1 - rb0) / s
  printf "%-36s %14.1f\n", "entries checked (/s)", (te1 - te0) / s
  printf "%-36s %14.2f\n", "CPU (% of one core)", (c1 - c0) / tick / s * 100
  printf "%-36s %14.0f\n", "RSS at end (MB)", rss / 1024
  printf "%-36s %14.0f\n", "peak RSS (MB)", hwm / 1024
}'
grep -E '^(cycle|change|stopped)' "$work/out" | head -20 || true

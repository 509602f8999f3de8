#!/usr/bin/env bash
# The daemon's report pool under a flood an ordinary user makes: the real daemon (`vigil run`, shipped
# configuration but for the watched area, the database and the alert file, the launcher's heap unless HEAP is
# given) watching an area with a world-writable directory; a first report starts the files holdoff (300 s), then
# the user nobody creates FILES files there, and every one of them is a finding pooled for the next report. Then
# the daemon is killed (SIGKILL: a crash in the flood, its pool on disk only) and started again, and gives the
# pooled findings back to its gates. Measured from /proc/<daemon> and `jcmd`: the findings recorded, peak RSS
# (VmHWM) over the flood, the heap live after it (a full GC's class histogram), the restart's start-to-ready, its
# peak RSS and its heap live; and whether the daemon ran out of heap. The full check (scheduled away) and the
# trickle (off) do not run, so the figures are the pool's: a check walks the flood's directory too, which costs
# memory of its own (bench/README.md, "The report pool under a flood").
# Usage: bench/pool-flood.sh [--against DIR] [FILES]
#   FILES: 200000 by default. --against DIR: another checkout, already built, whose launcher runs the same flood
#   first (row "A"; this tree's is row "B"), for an A/B in the same minutes.
#   env: HEAP (e.g. 256m: -Xmx for both daemons), FLOOD_WAIT (600 s at most for the flood's findings),
#   KEEP_WORK=1 (keep the data directories: daemon logs, databases, the class histograms)
# Needs root (fanotify, and setpriv to create the files as nobody).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
builds=()
if [ "${1:-}" = --against ]; then
  builds+=("$(cd "$2" && pwd)")
  shift 2
fi
builds+=("$here")
files=${1:-200000}
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-pool-flood.XXXXXX")
chmod 755 "$work"                                     # nobody reaches the flood directory
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; wait "$pid" 2>/dev/null || true; fi
  if [ "${KEEP_WORK:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Starts `vigil run` of build $1 with config $2, log $3; sets pid, and ready (start-to-ready in seconds).
start_daemon() {
  local started
  started=$(date +%s.%N)
  VIGIL_JAVA_OPTS="${HEAP:+-Xmx$HEAP}" "$1/vigil" run --config "$2" >"$3" 2>&1 &
  pid=$!
  while ! grep -q 'ready:' "$3"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      ready="stopped before ready"
      return
    fi
    sleep 0.1
  done
  ready=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f s", e - s }')
}
# Of a daemon still running, else "-" (it ran out of heap).
status() { awk -v k="$1:" '$1 == k { printf "%.0f MB", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo -; }
# The heap live after a full GC; the class histogram it is read from is kept in file $1.
live_heap() {
  { jcmd "$pid" GC.class_histogram 2>/dev/null || true; } >"$1"
  awk '$1 == "Total" { printf "%.0f MB", $3 / 1048576; found = 1 } END { if (!found) printf "-" }' "$1"
}
# The flood's findings in the event history, read beside the daemon (WAL: readers do not block it).
recorded() {
  python3 - "$1" <<'EOF'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=30)
print(db.execute("SELECT count(*) FROM event WHERE subject LIKE '%/flood/%'").fetchone()[0])
EOF
}
# Waits until the event history holds $2 findings of the flood or the daemon stops; prints the seconds waited.
await_recorded() {
  local t0 n
  t0=$(date +%s)
  while :; do
    n=$(recorded "$1" 2>/dev/null || echo 0)
    [ "$n" -ge "$2" ] && break
    kill -0 "$pid" 2>/dev/null || break
    [ $(( $(date +%s) - t0 )) -ge "${FLOOD_WAIT:-600}" ] && break
    sleep 1
  done
  echo $(( $(date +%s) - t0 ))
}
oom() { grep -q 'OutOfMemoryError' "$1" && echo yes || echo no; }

echo "kernel $(uname -r), $(nproc) CPUs, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "flood: $files files created by nobody in a watched directory, inside the files holdoff; heap ${HEAP:-as the launcher gives it}"
rows=()
letter=A
for build in "${builds[@]}"; do
  [ "${#builds[@]}" -gt 1 ] || letter=-
  "$build/vigil" --version >/dev/null                   # builds the jar if needed
  dir="$work/$letter"
  mkdir -p "$dir/area/flood"
  chmod 1777 "$dir/area/flood"
  chmod 755 "$dir" "$dir/area"
  cat >"$dir/vigil.properties" <<EOF
vigil.database=$dir/vigil.db
vigil.alerts.file=$dir/alerts.ndjson
vigil.files.areas=$dir/area
vigil.files.scan.cron=0 0 0 1 1 ? 2099
vigil.files.trickle.enabled=false
EOF
  "$build/vigil" baseline --config "$dir/vigil.properties" >"$dir/baseline.out" 2>&1
  start_daemon "$build" "$dir/vigil.properties" "$dir/daemon.log"
  echo first >"$dir/area/first"
  while ! [ -s "$dir/alerts.ndjson" ]; do sleep 0.5; done  # the first report: the holdoff runs from it
  echo "$letter ($build): flooding..."
  setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/python3 - "$dir/area/flood" "$files" <<'EOF'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    with open("%s/f%07d" % (d, i), "w") as f:
        f.write("%d\n" % i)
EOF
  waited=$(await_recorded "$dir/vigil.db" "$files")
  n=$(recorded "$dir/vigil.db")
  sleep 5
  flood_hwm=$(status VmHWM)
  flood_live=$(live_heap "$dir/flood-histogram.txt")
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  flood_oom=$(oom "$dir/daemon.log")
  start_daemon "$build" "$dir/vigil.properties" "$dir/restart.log"
  sleep 5
  restart_hwm=$(status VmHWM)
  restart_live=$(live_heap "$dir/restart-histogram.txt")
  restart_oom=$(oom "$dir/restart.log")
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
  rows+=("| $letter | $n of $files in ${waited} s | $flood_hwm | $flood_live | $flood_oom | $ready | $restart_hwm | $restart_live | $restart_oom |")
  letter=B
done
echo
echo "| build | flood findings recorded | flood peak RSS | live heap after | out of heap | restart start-to-ready | restart peak RSS | live heap after | out of heap |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"

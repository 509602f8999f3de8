#!/usr/bin/env bash
# Benchmark of the daemon's operations side (issue 12): idle CPU and RSS of the real daemon without and with
# vigil.http.port (and its token), a scrape of /metrics (200 curls: p50/p99/max), and the web view's first load in
# headless Chromium with FINDINGS findings in the history (cold, and the median of 5 reloads). Needs chromium.
# Usage: bench/ops.sh [--quick] [--idle SECONDS] [--findings N] [--scrapes N]
#   defaults: --idle 60 --findings 100000 --scrapes 200; --quick: --idle 10 --findings 10000 --scrapes 50
# Prints a Markdown table; figures go into bench/README.md ("Operations").
set -euo pipefail
cd "$(dirname "$0")/.."
idle=60 findings=100000 scrapes=200 settle=20 reloads=5
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) idle=10 findings=10000 scrapes=50 settle=5 ;;
    --idle) idle=$2; shift ;;
    --findings) findings=$2; shift ;;
    --scrapes) scrapes=$2; shift ;;
    *) echo "usage: bench/ops.sh [--quick] [--idle SECONDS] [--findings N] [--scrapes N]" >&2; exit 2 ;;
  esac
  shift
done
token=ops-bench-token
open=1000

# Plain output: no colours, nor the colour resets Maven's console library prints even in batch mode
export MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true"
mvn -q -B -o -Dstyle.color=never -DskipTests -Ddeb.skip=true package
cp=$(mvn -q -B -o -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test | sed "s/\x1b\[[0-9;]*m//g")
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-ops-bench.XXXXXX")
daemon=
stop() {
  if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
    kill -TERM "$daemon"
    wait "$daemon" 2>/dev/null || true
  fi
  daemon=
}
trap 'stop; rm -rf "$work"' EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# A daemon of its own directory: a small tree (watched, as shipped), an empty log, no PID file; PORT empty = no HTTP.
start() { # DIR PORT [DATABASE]
  local dir=$1 port=$2 db=${3:-$1/vigil.db}
  mkdir -p "$dir/tree"
  for i in $(seq 1 200); do echo "file $i" > "$dir/tree/f$i"; done
  : > "$dir/syslog"
  cat > "$dir/vigil.properties" <<EOF
vigil.database=$db
vigil.files.areas=$dir/tree
vigil.logs.files=$dir/syslog
vigil.alerts.file=$dir/alerts.ndjson
vigil.http.port=$port
vigil.http.token=${port:+$token}
EOF
  ./vigil run --config="$dir/vigil.properties" > "$dir/out" 2>&1 &
  daemon=$!
  local waited=0
  until grep -q 'ready:' "$dir/out"; do
    if ! kill -0 "$daemon" 2>/dev/null || [ $waited -ge 600 ]; then
      echo "the daemon in $dir did not get ready:" >&2
      tail -20 "$dir/out" >&2
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

ticks=$(getconf CLK_TCK)
cpu_ticks() { # utime + stime, fields 14 and 15 of /proc/PID/stat (after the command name in parentheses)
  sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}
status_mb() { # FIELD: VmRSS or VmHWM, in MB
  awk -v f="$2:" '$1 == f {printf "%.0f", $2 / 1024}' "/proc/$1/status"
}

# Idle: CPU time over the window after the settle time, as % of one core; RSS at its end. Sets $measured to
# "cpu% rss hwm" (not printed: the daemon must stay this shell's child, for stop and the trap).
idle_run() { # DIR PORT
  start "$1" "$2"
  sleep "$settle"
  local before after
  before=$(cpu_ticks "$daemon")
  sleep "$idle"
  after=$(cpu_ticks "$daemon")
  measured="$(awk -v t=$((after - before)) -v hz="$ticks" -v s="$idle" 'BEGIN {printf "%.2f", 100 * t / hz / s}')\
 $(status_mb "$daemon" VmRSS) $(status_mb "$daemon" VmHWM)"
}

# p50, p99 and max of milliseconds, one a line
percentiles() {
  sort -n | awk '{v[NR] = $1} END {p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1];
    printf "%.1f %.1f %.1f\n", p50, p99, v[NR]}'
}

echo "kernel $(uname -r), $(nproc) CPUs, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "idle window ${idle} s after ${settle} s settled; ${scrapes} scrapes; ${findings} findings, ${open} open deviations"

idle_run "$work/off" ""
read -r cpu_off rss_off hwm_off <<<"$measured"
stop

port=$(free_port)
idle_run "$work/on" "$port"
read -r cpu_on rss_on hwm_on <<<"$measured"
# /metrics once findings exist: files changed in the watched tree, their findings awaited in the history
for i in $(seq 1 20); do echo changed >> "$work/on/tree/f$i"; done
waited=0
until [ "$(./vigil events --db "$work/on/vigil.db" --kind=MODIFIED --format=json 2>/dev/null | wc -l)" -ge 20 ] || [ $waited -ge 120 ]; do
  sleep 1
  waited=$((waited + 1))
done
read -r m50 m99 mmax < <(for i in $(seq 1 "$scrapes"); do
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -w '%{time_total}\n' "http://127.0.0.1:$port/metrics"
done | awk '{print $1 * 1000}' | percentiles)
metric_lines=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/metrics" | grep -vc '^#')
stop

# The web view over a seeded history
mkdir -p "$work/web"
seeded=$(java -cp "target/classes:target/test-classes:$cp" dev.vigil.camel.WebViewBench seed "$work/web/history.db" "$findings" "$open" \
  2>&1 | grep '^seeded') || { echo "seeding the history failed" >&2; exit 1; }
port=$(free_port)
start "$work/web" "$port" "$work/web/history.db"
sleep "$settle"
api_ms() { # PATH -> median of 5, ms
  for i in 1 2 3 4 5; do
    curl -sf -o /dev/null -H "Authorization: Bearer $token" -w '%{time_total}\n' "http://127.0.0.1:$port$1"
  done | awk '{print $1 * 1000}' | sort -n | awk 'NR == 3 {printf "%.1f\n", $1}'
}
events_ms=$(api_ms '/api/events?since=7d&limit=100')
hourly_ms=$(api_ms '/api/findings/hourly?days=7')
open_ms=$(api_ms /api/open)
status_ms=$(api_ms /api/status)
page=$(java -cp "target/classes:target/test-classes:$cp" dev.vigil.camel.WebViewBench load "http://127.0.0.1:$port" "$token" "$reloads" \
  2>&1 | grep -E '^(cold|warm|warm-all) ') || { echo "loading the page failed" >&2; exit 1; }
cold=$(awk '$1 == "cold" {print $2}' <<<"$page")
warm=$(awk '$1 == "warm" {print $2}' <<<"$page")
stop

echo "$seeded; warm loads (ms): $(awk '$1 == "warm-all" {$1 = ""; print}' <<<"$page")"
echo
echo "| measure | without vigil.http.port | with it (and the token) | difference | target |"
echo "|---|---|---|---|---|"
echo "| idle CPU, % of a core over ${idle} s | $cpu_off | $cpu_on | $(awk -v a="$cpu_off" -v b="$cpu_on" 'BEGIN {printf "%+.2f", b - a}') | ≤ 0.2 |"
echo "| RSS (VmRSS), MB | $rss_off | $rss_on | $((rss_on - rss_off)) | ≤ 30 |"
echo "| peak RSS (VmHWM), MB | $hwm_off | $hwm_on | $((hwm_on - hwm_off)) | |"
echo "| /metrics scrape, ms p50 / p99 / max ($scrapes scrapes, $metric_lines samples) | | $m50 / $m99 / $mmax | | ≤ 50 |"
echo "| /api/events?since=7d&limit=100, ms (median of 5) | | $events_ms | | |"
echo "| /api/findings/hourly?days=7, ms (median of 5) | | $hourly_ms | | |"
echo "| /api/open, ms (median of 5) | | $open_ms | | |"
echo "| /api/status, ms (median of 5) | | $status_ms | | |"
echo "| web view drawn, $findings findings: cold (first navigation), ms | | $cold | | ≤ 1000 |"
echo "| web view drawn, $findings findings: warm (median of $reloads reloads), ms | | $warm | | ≤ 1000 |"

#!/usr/bin/env bash
# Lines per second classified with a logcheck rule tree (default: Debian's full tree at level server),
# Debian's real logcheck side by side with `vigil logcheck --format report`, on the same input, timing whole
# processes (JVM start included), best of BENCH_RUNS. Also checks that both print the same report.
#
# Needs: root (logcheck refuses root and is run as the logcheck user through su), the Debian packages
# logcheck and logcheck-database, a JDK and Maven (the jar is built if missing).
# Knobs: BENCH_LINES (300000), BENCH_RUNS (3), BENCH_RULES (/etc/logcheck), BENCH_LEVEL (server),
# BENCH_LOCALE (C: both tools run with LC_ALL set to it, since both match as grep does in their locale).
set -euo pipefail
cd "$(dirname "$0")/.."

lines=${BENCH_LINES:-300000}
runs=${BENCH_RUNS:-3}
rules=${BENCH_RULES:-/etc/logcheck}
level=${BENCH_LEVEL:-server}
locale=${BENCH_LOCALE:-C}

[ "$(id -u)" = 0 ] || { echo "run as root: logcheck is started as the logcheck user" >&2; exit 1; }
[ -x /usr/sbin/logcheck ] || { echo "install logcheck and logcheck-database" >&2; exit 1; }
[ -f target/vigil.jar ] || mvn -q -B -DskipTests package

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
mkdir "$work/state"
: > "$work/logcheck.conf"

# The test corpus's messages replayed in time order (as in a real log file), ten lines a second, with fresh
# timestamps in each line's original form (BSD or ISO) and fresh PIDs.
awk -v n="$lines" '
  BEGIN { m = 0 }
  # each message is split once around its first "[pid]", so that the loop below only concatenates
  function keep(text, isIso) {
    if (match(text, /\[[0-9]+\]/)) { head[m] = substr(text, 1, RSTART); tail[m] = substr(text, RSTART + RLENGTH - 1) }
    else { head[m] = text; tail[m] = "" }
    iso[m++] = isIso
  }
  /^[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] / { keep(substr($0, 17), 0); next }
  /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/ { keep(substr($0, 34), 1); next }
  END {
    srand(42)
    for (i = 0; i < n; i++) {
      j = i % m; t = int(i / 10)
      d = 22 + int(t / 86400); h = int(t / 3600) % 24; mi = int(t / 60) % 60; s = t % 60
      line = tail[j] == "" ? head[j] : head[j] int(100 + rand() * 60000) tail[j]
      if (iso[j]) printf "2026-11-%02dT%02d:%02d:%02d.%06d+00:00 %s\n", d, h, mi, s, int(rand() * 999999), line
      else printf "Nov %2d %02d:%02d:%02d %s\n", d, h, mi, s, line
    }
  }' src/test/resources/dev/vigil/logcheck/corpus.log > "$work/bench.log"
chmod 644 "$work/bench.log" "$work/logcheck.conf"

flag=-${level:0:1}
run_logcheck() {
  su -s /bin/bash -c "LC_ALL=$locale exec /usr/sbin/logcheck -o -t $flag -c '$work/logcheck.conf' -r '$rules' \
    -l '$work/bench.log' -S '$work/state'" logcheck > "$work/logcheck.out"
}
# A one-shot run is over in about a second: C1 alone and the serial collector spend far less CPU on
# compiling and collecting than the defaults, which matters on a small machine.
tuned=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
run_vigil() {
  LC_ALL=$locale java "${jvm[@]}" -jar target/vigil.jar logcheck --rules "$rules" --level "$level" --format report \
    "$work/bench.log" > "$work/vigil.out"
}
run_vigil_default() { jvm=(); run_vigil; }
run_vigil_tuned() { jvm=("${tuned[@]}"); run_vigil; }

best() {
  local fn=$1 best= start end took
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N); "$fn"; end=$(date +%s.%N)
    took=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    if [ -z "$best" ] || awk -v a="$took" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$took; fi
  done
  echo "$best"
}

t_logcheck=$(best run_logcheck)
t_default=$(best run_vigil_default)
same=no
cmp -s "$work/logcheck.out" "$work/vigil.out" && same=yes
t_tuned=$(best run_vigil_tuned)
cmp -s "$work/logcheck.out" "$work/vigil.out" || same=no

awk -v n="$lines" -v a="$t_logcheck" -v b="$t_default" -v c="$t_tuned" -v same="$same" -v rules="$rules" \
    -v level="$level" -v runs="$runs" -v locale="$locale" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  printf "rules %s, level %s, LC_ALL=%s, %d lines, best of %d, whole processes, load average %s\n\n", rules, level,
    locale, n, runs, load
  printf "| %-56s | %8s | %9s | %8s |\n", "tool", "seconds", "lines/s", "speed-up"
  printf "|%s|%s|%s|%s|\n", "----------------------------------------------------------", "----------", "-----------", "----------"
  printf "| %-56s | %8.2f | %9.0f | %7.1fx |\n", "logcheck 1.4.2", a, n / a, 1
  printf "| %-56s | %8.2f | %9.0f | %7.1fx |\n", "vigil logcheck, default JVM", b, n / b, a / b
  printf "| %-56s | %8.2f | %9.0f | %7.1fx |\n", "vigil logcheck, -XX:TieredStopAtLevel=1 -XX:+UseSerialGC", c, n / c, a / c
  printf "\nidentical reports: %s\n", same
}'
[ "$same" = yes ]

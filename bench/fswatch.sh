#!/bin/sh
# Benchmark of the fswatch: route (issue 6): latency from close() of a write to its finding on direct:report,
# through the real daemon (routes, config, SQLite, verification against the baseline), p50/p99 over WRITES
# writes; with TREE > 0 then an rm -rf of TREE baselined files (is every raw DELETE recorded? how fast?).
# Needs root for fanotify. Usage: bench/fswatch.sh [fanotify|inotify|both] [WRITES] [TREE]
# (figures go to stdout; copy them to bench/README.md)
set -eu
cd "$(dirname "$0")/.."
modes=${1:-both}
[ "$modes" = both ] && modes="fanotify inotify"
mvn -q -B -o test-compile
# (Maven prints colour codes around the output even with -B: stripped, or the first jar is lost)
cp=$(mvn -q -B -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test | sed "s/\x1b\[[0-9;]*m//g")
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-fswatch-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "kernel $(uname -r), $(nproc) CPUs, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in $modes; do
  java -Xmx1g -cp "target/classes:target/test-classes:$cp" dev.vigil.camel.FswatchBench "$mode" "$work/$mode" "${2:-1000}" "${3:-0}" \
    2>&1 | grep -E 'writes  close|rm -rf of|Exception|Error' || true
done

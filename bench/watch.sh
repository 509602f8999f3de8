#!/bin/sh
# Benchmark of the native file watch (issue 6): latency close() -> listener, sustained create+delete,
# rm -rf of 100,000 files, idle CPU and RSS, for fanotify and inotify. Needs root for fanotify.
# Usage: bench/watch.sh [fanotify|inotify|both] [latency,throughput,rmtree,idle]
# (figures go to stdout; copy them to bench/README.md)
set -eu
cd "$(dirname "$0")/.."
modes=${1:-both}
[ "$modes" = both ] && modes="fanotify inotify"
mvn -q -B -o test-compile
cp=$(mvn -q -B -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
work=$(mktemp -d -t vigil-watch-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "kernel $(uname -r), $(nproc) CPUs, $(java -version 2>&1 | head -1)"
for mode in $modes; do
  java -Xmx128m -cp "target/classes:target/test-classes:$cp" dev.vigil.watch.WatchBench "$mode" "$work/$mode" ${2:-} \
    2>&1 | grep -v ' INFO '
done

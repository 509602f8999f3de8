#!/bin/sh
# Benchmark of attribution (issue 14): WRITERS short-lived writers each of sh, bash, python3, cp, touch and dd
# through the real daemon with the shipped configuration (watch and trickle on); how many findings name the
# writer (pid and executable), how many name anything wrong, and which check found each first.
# Needs root for fanotify. Usage: bench/attribution.sh [WRITERS]
# (figures go to stdout; copy them to bench/README.md)
set -eu
cd "$(dirname "$0")/.."
mvn -q -B -o test-compile
# (Maven prints colour codes around the output even with -B: stripped, or the first jar is lost)
cp=$(mvn -q -B -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test | sed "s/\x1b\[[0-9;]*m//g")
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-attribution-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "kernel $(uname -r), $(nproc) CPUs, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -cp "target/classes:target/test-classes:$cp" dev.vigil.watch.AttributionBench "$work" "${1:-100}" \
  2>&1 | grep -vE ' (INFO|WARN|DEBUG) ' || true

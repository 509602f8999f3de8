#!/usr/bin/env bash
# Issue #16's trickle at scale: the trickle (TrickleBench) over a tree of many small files (bench/small-files.sh) at
# full speed for CYCLES cycles, with the daemon's JVM options. Per cycle it prints the cycle's entries and time, the
# process's CPU time per entry checked, the heap live after a full collection at the cycle's end, and RSS; at the end
# the peak RSS. What the trickle keeps per entry shows as heap that grows with the tree after the first cycle.
# To compare builds in one run, name their source trees (each built here with `mvn test-compile`, sharing this
# tree's target/lib): each is measured in turn, ROUNDS times, on the same tree, each with a baseline of its own.
# Usage: bench/trickle-memory.sh [FILES] [SOURCE_TREE...]   (FILES default 200,000; trees default this one)
#   env: CYCLES (3) ROUNDS (1) JAVA_OPTS (the daemon's: vigil run)
set -euo pipefail
files=${1:-200000}
shift || true
here=$(cd "$(dirname "$0")/.." && pwd)
sources=("$@")
if [ ${#sources[@]} -eq 0 ]; then sources=("$here"); fi
cycles=${CYCLES:-3}
rounds=${ROUNDS:-1}
jvm=${JAVA_OPTS:--Xms128m -Xmn32m -Xmx1g -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:-ShrinkHeapInSteps -XX:+UseSerialGC}
work=$(mktemp -d /tmp/vigil-trickle-memory.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$here/vigil" --version >/dev/null      # builds target/lib if needed
for s in "${sources[@]}"; do
  (cd "$s" && mvn -o -q -B -DskipTests test-compile)
done
echo "making $files small files under $work/tree..."
"$here/bench/small-files.sh" "$work/tree" "$files" >/dev/null
find "$work/tree" -type f -print0 | xargs -0 -P2 -n 2000 cat >/dev/null

for round in $(seq "$rounds"); do
  for s in "${sources[@]}"; do
    rm -f "$work"/vigil.db*
    java -cp "$s/target/classes:$here/target/lib/*" dev.vigil.cli.VigilCommand baseline --db "$work/vigil.db" "$work/tree" >/dev/null
    echo "== $s ($(git -C "$s" rev-parse --short HEAD 2>/dev/null || echo '?')), round $round, $(date -u '+%H:%M:%S'), load $(cut -d' ' -f1-3 /proc/loadavg)"
    # shellcheck disable=SC2086
    /usr/bin/time -f "peak RSS %M KB, %e s wall, %U s user, %S s system" -o "$work/time" \
      java $jvm -cp "$s/target/classes:$s/target/test-classes:$here/target/lib/*" dev.vigil.fim.TrickleBench \
      --db "$work/vigil.db" --progress "$work/progress" --byterate 4000000000 --filerate 1000000 --speedup 1 \
      --cycles "$cycles" "$work/tree" | grep -E '^cycle' || true
    cat "$work/time"
  done
done

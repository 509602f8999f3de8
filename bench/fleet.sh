#!/usr/bin/env bash
# Issue #11's benchmark: `vigil collect` fed by a load generator playing a fleet of hosts (signed reports and
# heartbeats in the agent's wire format, src/test/java/dev/vigil/FleetHosts.java) through a real Kafka broker
# (Kafka's own test kit, KRaft, in the load generator's JVM: Kafka has no Debian package). Each collector is its
# own process, started by the vigil launcher with a configuration written into a temporary directory. Runs:
# a flood into a SQLite fleet store, the same into PostgreSQL (a throwaway cluster of Debian's postgresql in a
# temporary directory), the same with two collectors in one group, and a steady rate with pooling off and a
# webhook receiver on 127.0.0.1 as the channel. Prints a Markdown table; figures go into bench/README.md
# ("Fleet").
# Usage: bench/fleet.sh [--quick] [--runs LIST] [--against DIR[,DIR...]] [--rounds N] [--cpus N] [--warmup N]
#                       [HOSTS [FLOOD_FINDINGS [RATE [SECONDS [PARTITIONS]]]]]
#   defaults 1000 hosts, 200000 findings (0: no floods, the steady run only), 1000 findings/s, 60 s, 4 partitions;
#   --quick: 100 hosts, 3000 findings, 50 findings/s, 10 s, 4 partitions (a check that it all runs);
#   --runs: which runs, comma-separated, of sqlite,pg,pg2,steady,full,beats,forged,forgedbeats (the SQLite flood, the
#     PostgreSQL flood with one and with two collectors, the steady run; full: the SQLite flood in reports as full as
#     a record holds; beats: as many heartbeats as the flood's findings, to one collector over SQLite; forged and
#     forgedbeats: as many reports, or heartbeats, of known hosts signed with a key not theirs, which the collector
#     quarantines, the first vigil.collect.quarantineMax of them, and counts); sqlite,pg,pg2,steady by default;
#   --against DIR[,DIR...]: other checkouts, already built (mvn package), whose launchers run the collectors in turn
#     with this tree's: rows "A", "B", ... are the DIRs' builds in order, the last letter this tree's, in the same
#     broker and PostgreSQL server (A/B on a shared machine in the same minutes);
#   --rounds N: the runs made N times (with --against: A, B, A, B, ...);
#   --cpus N: each collector in a CPU control group of its own that lets it use N CPUs (root; cgroup v2 or the v1
#     cpu controller): two collectors against one where the machine's cores cannot hold two of them beside the
#     broker, the load generator and PostgreSQL, as collectors on machines of their own.
#   --warmup N: N findings per collector sent before each flood and waited for, untimed (their JIT warming up).
set -euo pipefail
cd "$(dirname "$0")/.."
properties=()
quick=
against=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --runs) properties+=("-Dfleet.runs=$2"); shift 2 ;;
    --against)
      IFS=, read -r -a against <<<"$2"
      properties+=("-Dfleet.against=$(for dir in "${against[@]}"; do (cd "$dir" && pwd); done | paste -sd,)")
      shift 2 ;;
    --rounds) properties+=("-Dfleet.rounds=$2"); shift 2 ;;
    --cpus) properties+=("-Dfleet.cpus=$2"); shift 2 ;;
    --warmup) properties+=("-Dfleet.warmup=$2"); shift 2 ;;
    *) break ;;
  esac
done
if [ -n "$quick" ]; then
  set -- "${1:-100}" "${2:-3000}" "${3:-50}" "${4:-10}" "${5:-4}"
fi
work=$(mktemp -d)
bench=
cleanup() {
  # The benchmark's JVM stops its collectors, broker and PostgreSQL itself; on an interrupt it gets TERM first.
  if [ -n "$bench" ] && kill -0 "$bench" 2>/dev/null; then
    kill "$bench" 2>/dev/null || true
    wait "$bench" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mvn -q -B -o -DskipTests -Ddeb.skip=true package
mvn -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath"
# the launchers' class-data archives, outside the measurements
./vigil --version >/dev/null
for dir in "${against[@]}"; do
  "$dir/vigil" --version >/dev/null
done
java "${properties[@]}" -cp "target/classes:target/test-classes:$(cat "$work/classpath")" dev.vigil.camel.FleetBench \
  "${1:-1000}" "${2:-200000}" "${3:-1000}" "${4:-60}" "${5:-4}" 2>"$work/bench.log" &
bench=$!
if ! wait "$bench"; then
  bench=
  echo "bench/fleet.sh: the benchmark failed; its log ends:" >&2
  tail -n 40 "$work/bench.log" >&2
  exit 1
fi
bench=

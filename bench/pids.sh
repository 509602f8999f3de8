#!/bin/sh
# CPU time of checking N PID files (default 1000) of live processes, state writes to SQLite included.
# Usage: bench/pids.sh [files] [rounds]. Prints a Markdown table; figures go into bench/README.md.
set -eu
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package
exec java -cp "target/classes:target/test-classes:target/lib/*" dev.vigil.pid.PidCheckBench "${1:-1000}" "${2:-20}"

#!/bin/sh
# Time from a line appended to a followed log to its finding at direct:report, the daemon as `vigil run`
# starts it (vigil.logs.interval=1s). Usage: bench/logtail.sh [lines]. Prints a Markdown table.
set -eu
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package
exec java -cp "target/classes:target/test-classes:target/lib/*" dev.vigil.camel.LogLatencyBench "${1:-20}" 2>/dev/null

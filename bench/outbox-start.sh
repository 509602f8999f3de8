#!/bin/sh
# What the daemon's start pays for Outbox.hashHosts on a large outbox, with and without index
# outbox_delivery_unhashed (migration 015), interleaved in one run.
# Usage: bench/outbox-start.sh [delivered] [given-up] [rounds]. Prints a Markdown table; figures go into bench/README.md.
set -eu
cd "$(dirname "$0")/.."
mvn -q -B -o -DskipTests package
exec java -cp "target/classes:target/test-classes:target/lib/*" dev.vigil.store.OutboxStartBench "${1:-1000000}" "${2:-100000}" "${3:-10}"

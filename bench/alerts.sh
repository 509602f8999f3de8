#!/bin/sh
# End-to-end alert figures on the real daemon and a webhook receiver on 127.0.0.1: latency from a file change
# to the webhook (p50/p99), and sustained reports per minute with the outbox sampled every second.
# Usage: bench/alerts.sh [changes] [scan-interval] [reports-per-minute] [seconds]
# (defaults 200 100ms 1000 60). Prints a Markdown table; figures go into bench/README.md ("Alerts").
set -eu
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package
exec java -cp "target/classes:target/test-classes:target/lib/*" dev.vigil.camel.AlertsBench \
  "${1:-200}" "${2:-100ms}" "${3:-1000}" "${4:-60}"

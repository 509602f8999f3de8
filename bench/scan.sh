#!/usr/bin/env bash
# Issue #2's benchmark: a hashed scan of a tree (default /usr) by Vigil, AIDE and sha256sum in one run, warm
# cache, printing wall time, CPU time (user+sys) and peak RSS for each. Needs aide (Debian's package).
# Usage: bench/scan.sh [TREE]
set -euo pipefail
tree=${1:-/usr}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$here/vigil" --version >/dev/null   # builds the jar if needed, outside the measurements
files=$(find "$tree" -xdev -type f | wc -l)
bytes=$(du -sb --exclude=/proc "$tree" 2>/dev/null | cut -f1)
echo "warming the page cache over $tree ($files files, $((bytes / 1000000)) MB)..."
find "$tree" -xdev -type f -print0 | xargs -0 -P2 -n 1000 cat >/dev/null 2>&1 || true

. "$here/bench/aide.sh"
aide_config "$work" "$tree"

printf '\n%-34s %9s %9s %9s\n' "command" "wall s" "CPU s" "RSS MB"
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || true
  read -r wall user sys rss < <(tail -n 1 "$work/time")
  awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
    'BEGIN { printf "%-34s %9.2f %9.2f %9.0f\n", n, w, u + s, r / 1024 }'
}
measure "vigil scan --output"          "$here/vigil" scan "$tree" --output "$work/scan.ndjson"
measure "vigil baseline"               "$here/vigil" baseline --db "$work/vigil.db" "$tree"
measure "vigil check (quick)"          "$here/vigil" check --db "$work/vigil.db" "$tree"
measure "vigil check --paranoid"       "$here/vigil" check --paranoid --db "$work/vigil.db" "$tree"
measure "aide --init (2 workers)"      aide --config "$work/aide.conf" --init
mv "$work/aide.db.new" "$work/aide.db"
measure "aide --check (2 workers)"     aide --config "$work/aide.conf" --check
measure "sha256sum via xargs -P2"      sh -c "find '$tree' -xdev -type f -print0 | xargs -0 -P2 -n 500 sha256sum"

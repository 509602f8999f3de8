#!/usr/bin/env bash
# Issue #16's benchmark: a tree of many small files (default 1,000,000 = 100 x 50 directories of 200 files of a
# few bytes, the shape of mail spools, source trees and package caches), baselined and checked by Vigil and by
# AIDE with the same attributes as bench/scan.sh, in one run, warm cache. Prints wall time, CPU time (user+sys)
# and peak RSS of each command, their ratios to AIDE, and the targets. Then, if bench/burst.sh is there and
# executable, runs it on the same tree (the daemon's start-to-ready and a burst of changes).
# Usage: bench/scale.sh [FILES]   (FILES scales the tree down for a quick run: 100 x 50 directories are kept
# while FILES >= 5,000, with FILES / 5,000 files in each)
set -euo pipefail
files=${1:-1000000}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/vigil-scale.XXXXXX)
trap 'rm -rf "$work"' EXIT
tree="$work/tree"

"$here/vigil" --version >/dev/null   # builds the jar if needed, outside the measurements

echo "making the tree of $files small files under $tree..."
shape=$("$here/bench/small-files.sh" "$tree" "$files")
read -r top mid per <<<"$shape"
count=$(find "$tree" -type f | wc -l)
# The same warm-up for every tool: every inode stat'ed and every file read once, nothing dropped.
echo "warming the page cache over $tree ($count files)..."
find "$tree" -type f -print0 | xargs -0 -P2 -n 2000 cat >/dev/null
# The new tree's million inodes written back before anything is timed: left to the kernel's writeback, it ran
# during the first commands measured (Vigil's), which took up to a quarter more CPU in one run than in the next.
sync

. "$here/bench/aide.sh"
aide_config "$work" "$tree"

declare -A wall cpu rss
measure() {
  local key=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || true
  read -r w u s r < <(tail -n 1 "$work/time")
  wall[$key]=$w
  cpu[$key]=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
  rss[$key]=$(awk -v r="$r" 'BEGIN { printf "%.0f", r / 1024 }')
  echo "  $key: ${wall[$key]} s wall, ${cpu[$key]} s CPU, ${rss[$key]} MB" >&2
}
echo "measuring..."
measure baseline "$here/vigil" baseline --db "$work/vigil.db" "$tree"
measure check    "$here/vigil" check --db "$work/vigil.db" "$tree"
measure paranoid "$here/vigil" check --paranoid --db "$work/vigil.db" "$tree"
measure init     aide --config "$work/aide.conf" --init
mv "$work/aide.db.new" "$work/aide.db"
measure acheck   aide --config "$work/aide.conf" --check

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "-" }'; }
echo
echo "$count files ($top x $mid directories of $per), warm cache, $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "| command | wall s | CPU s | RSS MB | AIDE wall / this | target |"
echo "|---|---|---|---|---|---|"
row() { echo "| $1 | ${wall[$2]} | ${cpu[$2]} | ${rss[$2]} | $3 | $4 |"; }
row "vigil baseline"          baseline "$(ratio "${wall[init]}" "${wall[baseline]}")" "≥ 4× aide --init, ≤ 250 MB"
row "vigil check (quick)"     check    "$(ratio "${wall[acheck]}" "${wall[check]}")" "≥ 40× aide --check, ≤ 250 MB"
row "vigil check --paranoid"  paranoid "$(ratio "${wall[acheck]}" "${wall[paranoid]}")" "≤ 250 MB"
row "aide --init (2 workers)"  init    "" ""
row "aide --check (2 workers)" acheck  "" ""

if [ -x "$here/bench/burst.sh" ]; then
  echo
  "$here/bench/burst.sh" "$tree"
fi

#!/bin/sh
# What JNA's unpacking of libjnidispatch costs a command's start: `vigil --version` and a check of one file, each
# as launched (JNA loads the copy unpacked at build time, jna.boot.library.path) and with JNA made to unpack it
# as it does by default (into ~/.cache/JNA/temp), interleaved, ROUNDS of each (default 20).
# Usage: bench/native-start.sh [rounds]. Prints a Markdown table (medians); figures go into bench/README.md.
set -eu
cd "$(dirname "$0")/.."
rounds=${1:-20}
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-native-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo x > "$work/file"
./vigil baseline --db "$work/db" "$work/file" >/dev/null
unpack="-Djna.boot.library.path= -Djna.nounpack=false"
# one line per run: variant, command, wall s, CPU s
for i in $(seq "$rounds"); do
  for variant in launched unpacked; do
    opts=""; [ "$variant" = unpacked ] && opts=$unpack
    for command in version check; do
      case $command in
        version) set -- --version ;;
        check) set -- check --db "$work/db" "$work/file" ;;
      esac
      VIGIL_JAVA_OPTS="$opts" /usr/bin/time -f "$variant $command %e %U %S" -a -o "$work/times" ./vigil "$@" >/dev/null
    done
  done
done
echo "| command | JNA library | wall s (median) | CPU s (median) | runs |"
echo "|---|---|---|---|---|"
for command in version check; do
  for variant in launched unpacked; do
    awk -v v="$variant" -v c="$command" '$1 == v && $2 == c { print $3, $4 + $5 }' "$work/times" > "$work/sel"
    n=$(wc -l < "$work/sel")
    wall=$(cut -d' ' -f1 "$work/sel" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    cpu=$(cut -d' ' -f2 "$work/sel" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    label=$([ "$variant" = launched ] && echo "unpacked at build (as launched)" || echo "unpacked at start (JNA's default)")
    what=$([ "$command" = version ] && echo "vigil --version" || echo "vigil check, one file")
    echo "| $what | $label | $wall | $cpu | $n |"
  done
done

#!/usr/bin/env bash
# Makes issue #16's tree of many small files under TREE (which must not exist): FILES files (default 1,000,000) in
# 100 x 50 directories of FILES / 5,000 files of a few bytes each (the shape of mail spools, source trees and
# package caches), or one directory of FILES files below 5,000. Prints the shape: "TOP MID PER".
# Usage: bench/small-files.sh TREE [FILES]   (used by scale.sh and trickle-memory.sh)
set -euo pipefail
tree=$1
files=${2:-1000000}
top=100 mid=50
per=$((files / (top * mid)))
if [ "$per" -lt 1 ]; then top=1; mid=1; per=$files; fi
python3 - "$tree" "$top" "$mid" "$per" <<'PY'
import os, sys
root, top, mid, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for a in range(top):
    for b in range(mid):
        d = os.path.join(root, "d%03d" % a, "e%02d" % b)
        os.makedirs(d)
        for c in range(per):
            with open(os.path.join(d, "f%03d" % c), "w") as f:
                f.write("%d %d %d\n" % (a, b, c))
PY
echo "$top $mid $per"

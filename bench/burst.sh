#!/usr/bin/env bash
# Issue 16's daemon under a burst: the real daemon (`vigil run`, shipped configuration but for the watched
# area, the database and the alert file) over TREE with a baseline taken by the real `vigil baseline`, then
# CHANGES files created and deleted in a new subdirectory of TREE by one process (python3, a window of 1,000
# files alive at a time), and in its middle ONE hidden change: a copy of sh named `hidden-edit` rewrites a
# baselined file elsewhere in TREE. Measured from /proc/<daemon>: start-to-ready, RSS at rest, CPU sampled
# every second during and after the burst, the time from the burst's end until the daemon is idle (back to its
# CPU at rest, taken over 5 s before the burst, plus 2 % of a core, for 5 s in a row: the trickle works at rest
# too), peak RSS (VmHWM), and the time from the hidden change to its finding in the alert
# file, and whether that finding names hidden-edit. Then the threads that spent the CPU after the burst (from
# /proc/<daemon>/task, named by a thread dump at the end).
# Usage: bench/burst.sh [TREE] [CHANGES]
#   TREE absent: a tree of BURST_TREE_FILES small files (1,000,000: 100 x 50 directories of 200) is made under
#   /tmp and removed afterwards. TREE given (bench/scale.sh passes its own): used as it is, its baseline is taken
#   here in a temporary data directory; the burst's subdirectory is removed afterwards, the hidden change is not
#   undone (the file holds "hidden change" and the time).
#   env: BURST_TREE_FILES (1000000) IDLE_WAIT (600 s at most after the burst) VIGIL_JAVA_OPTS (e.g. JFR options)
#   BURST_QUEUE_SIZE (the watcher queue, vigil.files.watch.queueSize; a smaller one than shipped makes a burst
#   overflow it on a busy machine, where the burst itself runs slower)
#   KEEP_WORK=1 (keep the data directory: daemon log, alert file, CPU samples)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
changes=${2:-200000}
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-burst-bench.XXXXXX")
tree=${1:-}
made_tree=
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  [ -n "$made_tree" ] && rm -rf "$made_tree"
  [ -n "$tree" ] && rm -rf "$tree/vigil-burst"
  if [ "${KEEP_WORK:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

"$here/vigil" --version >/dev/null                      # builds the jar if needed

if [ -z "$tree" ]; then
  files=${BURST_TREE_FILES:-1000000}
  tree=$(mktemp -d "${TMPDIR:-/tmp}/vigil-burst-tree.XXXXXX")
  made_tree=$tree
  echo "making a tree of $files files in $tree..."
  python3 - "$tree" "$files" <<'EOF'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
made = 0
for a in range(100):
    for b in range(50):
        if made >= n:
            break
        d = os.path.join(root, "d%03d" % a, "s%02d" % b)
        os.makedirs(d)
        for c in range(200):
            if made >= n:
                break
            with open(os.path.join(d, "f%03d" % c), "w") as f:
                f.write("file %d %d %d\n" % (a, b, c))
            made += 1
EOF
fi
tree=$(cd "$tree" && pwd)
rm -rf "$tree/vigil-burst"
# the file the hidden change rewrites: a baselined regular file away from the burst
victim=$(find "$tree" -type f -size -64k -print -quit)
[ -n "$victim" ] || { echo "no regular file in $tree to change" >&2; exit 2; }

cat >"$work/vigil.properties" <<EOF
vigil.database=$work/vigil.db
vigil.alerts.file=$work/alerts.ndjson
vigil.files.areas=$tree
EOF
[ -n "${BURST_QUEUE_SIZE:-}" ] && echo "vigil.files.watch.queueSize=$BURST_QUEUE_SIZE" >>"$work/vigil.properties"
echo "kernel $(uname -r), $(nproc) CPUs, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "baselining $tree..."
start=$(date +%s.%N)
"$here/vigil" baseline --config "$work/vigil.properties" >"$work/baseline.out" 2>&1
entries=$(grep -oE '[0-9,]+ entries' "$work/baseline.out" | head -1 || true)
echo "baseline took $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s ($entries)"

cp "$(command -v sh)" "$work/hidden-edit"
started=$(date +%s.%N)
"$here/vigil" run --config "$work/vigil.properties" >"$work/daemon.log" 2>&1 &
pid=$!
while ! grep -q 'ready:' "$work/daemon.log"; do
  kill -0 "$pid" 2>/dev/null || { echo "the daemon stopped:" >&2; tail -20 "$work/daemon.log" >&2; exit 1; }
  sleep 0.1
done
ready=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
sleep 5                                                  # let the first report and the JIT settle
rest=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")

python3 - "$pid" "$tree/vigil-burst" "$changes" "$victim" "$work" "${IDLE_WAIT:-600}" "$ready" "$rest" <<'EOF'
import json, os, re, subprocess, sys, time
pid, burst_dir, changes, victim, work, idle_wait = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])
ready, rest = float(sys.argv[7]), int(sys.argv[8])
tick = os.sysconf("SC_CLK_TCK")
alerts = os.path.join(work, "alerts.ndjson")

def cpu():
    with open("/proc/%s/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick

def threads():
    """CPU seconds so far of each thread, by thread id, with its (15-character) name."""
    out = {}
    for tid in os.listdir("/proc/%s/task" % pid):
        try:
            with open("/proc/%s/task/%s/stat" % (pid, tid)) as f:
                s = f.read()
        except OSError:
            continue
        fields = s.rsplit(")", 1)[1].split()
        out[int(tid)] = (s[s.index("(") + 1:s.rindex(")")], (int(fields[11]) + int(fields[12])) / tick)
    return out

def status(key):
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) // 1024

# CPU at rest, for comparison with the idle threshold
rest_c0 = cpu()
time.sleep(5)
rest_cpu = (cpu() - rest_c0) / 5

# The burst: one process creating CHANGES files and deleting each 1,000 creations later; at half way it starts
# the hidden change (another process, by its own name) and goes on.
burst = subprocess.Popen([sys.executable, "-c", r'''
import os, subprocess, sys, time
d, n, victim, editor, mark = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
os.mkdir(d)
window = 1000
for i in range(n):
    with open("%s/b%07d" % (d, i), "w") as f:
        f.write("burst %d\n" % i)
    if i >= window:
        os.unlink("%s/b%07d" % (d, i - window))
    if i == n // 2:
        with open(mark, "w") as m:
            m.write(repr(time.time()))
        subprocess.run([editor, "-c", 'printf "hidden change %s\\n" "$(date +%s.%N)" > "$1"', "hidden-edit", victim], check=True)
for i in range(max(0, n - window), n):
    os.unlink("%s/b%07d" % (d, i))
os.rmdir(d)
''', burst_dir, str(changes), victim, os.path.join(work, "hidden-edit"), os.path.join(work, "hidden.at")])

samples = open(os.path.join(work, "cpu.tsv"), "w")
# per thread, the CPU after the burst: which thread keeps the daemon from idle (named from a thread dump at the end)
after_by_thread = {}
last_threads = threads()
short_names = {tid: name for tid, (name, _) in last_threads.items()}  # threads gone before the dump keep these
t0 = time.time()
c0 = cpu()
last_t, last_c = t0, c0
burst_end = None
idle_since = None
idle_at = None
busy_during = 0.0
reported_at = None
finding = None
seen = 0
while True:
    time.sleep(0.25)
    now = time.time()
    if burst_end is None and burst.poll() is not None:
        burst_end = now
        busy_during = cpu() - c0
        if burst.returncode != 0:
            sys.exit("the burst failed")
    if reported_at is None and os.path.exists(alerts):
        with open(alerts, "rb") as f:
            f.seek(seen)
            chunk = f.read()
        lines = chunk.split(b"\n")
        seen += len(chunk) - len(lines[-1])
        for line in lines[:-1]:
            if victim.encode() in line:
                for fnd in json.loads(line).get("findings", []):
                    if victim in json.dumps(fnd):
                        finding, reported_at = fnd, now
    if now - last_t >= 1.0:
        c = cpu()
        share = (c - last_c) / (now - last_t)
        samples.write("%.1f\t%.3f\t%d\n" % (now - t0, share, status("VmRSS")))
        now_threads = threads()
        short_names.update((tid, name) for tid, (name, _) in now_threads.items())
        if burst_end is not None:
            for tid, (name, used) in now_threads.items():
                spent = used - last_threads.get(tid, (name, 0.0))[1]
                if spent > 0:
                    after_by_thread[tid] = after_by_thread.get(tid, 0.0) + spent
        last_threads = now_threads
        samples.flush()
        last_t, last_c = now, c
        if burst_end is not None and idle_at is None:
            if share < rest_cpu + 0.02:
                idle_since = idle_since or now - 1.0
                if now - idle_since >= 5.0:
                    idle_at = idle_since
            else:
                idle_since = None
    done = burst_end is not None and (idle_at is not None and reported_at is not None)
    if done or (burst_end is not None and now - burst_end > idle_wait):
        break

after = cpu() - c0 - busy_during
hidden_at = float(open(os.path.join(work, "hidden.at")).read())
hwm = status("VmHWM")
rss_end = status("VmRSS")
names = finding is not None and "hidden-edit" in json.dumps(finding)
burst_s = burst_end - t0
def fmt(x, unit="s"):
    return "not within %d s" % idle_wait if x is None else "%.1f %s" % (x, unit)
idle = None if idle_at is None else max(0.0, idle_at - burst_end)
delay = None if reported_at is None else reported_at - hidden_at
print()
print("burst: %d files created and deleted in %.1f s by one python3; the hidden change %.1f s into it" % (changes, burst_s, hidden_at - t0))
print()
print("| figure | value | target |")
print("|---|---|---|")
print("| daemon start-to-ready | %.1f s | <= 30 s |" % ready)
print("| RSS at rest (after ready) | %d MB | |" % rest)
print("| daemon CPU at rest (5 s before the burst) | %.0f %% of a core | |" % (rest_cpu * 100))
print("| daemon CPU during the burst | %.1f s (%.0f %% of a core) | |" % (busy_during, busy_during / burst_s * 100))
print("| daemon CPU after the burst (until idle or timeout) | %.1f s | |" % after)
print("| burst end until idle (CPU at rest + 2 %% of a core, for 5 s) | %s | <= 60 s |" % fmt(idle))
print("| peak RSS (VmHWM) | %d MB (%d MB at the end) | <= 400 MB |" % (hwm, rss_end))
print("| hidden change to its report | %s | <= reportTime + 5 s (20 s) |" % fmt(delay))
details = {} if finding is None else (finding.get("details") or {})
print("| its finding names the process | %s%s | yes |" % ("yes" if names else "no",
      "" if finding is None else " (%s; %s)" % (finding.get("kind"), ("the writer: %s %s" % (details.get("comm", "(no comm)"),
          details.get("exe", ""))) if details.get("attributed") else "no writer blamed; processes seen: %s" % details.get("processes", "none"))))
dump = subprocess.run(["jcmd", pid, "Thread.print"], capture_output=True, text=True).stdout
java_names = {int(m.group(2), 16): m.group(1) for m in re.finditer(r'^"([^"]+)".* nid=0x([0-9a-f]+) ', dump, re.M)}
busiest = sorted(after_by_thread.items(), key=lambda kv: -kv[1])[:6]
print()
print("CPU after the burst by thread: " + ", ".join("%s %.1f s" % (java_names.get(tid, short_names[tid]), spent)
                                               for tid, spent in busiest))
EOF
echo
echo "reports in the alert file: $(wc -l <"$work/alerts.ndjson" 2>/dev/null || echo 0)"

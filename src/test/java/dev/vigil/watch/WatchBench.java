package dev.vigil.watch;

import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The watch benchmark driven by bench/watch.sh (not a test: it measures, it asserts nothing). Each scenario
 * prints one line of figures. Usage: WatchBench fanotify|inotify workdir [latency,throughput,rmtree,idle].
 */
public final class WatchBench {

    private WatchBench() {
    }

    public static void main(String[] args) throws Exception {
        WatchOptions.Mode mode = WatchOptions.Mode.valueOf(args[0].toUpperCase(Locale.ROOT));
        Path work = Path.of(args[1]).toAbsolutePath();
        java.util.Set<String> only = args.length > 2 ? java.util.Set.of(args[2].split(","))
                : java.util.Set.of("latency", "throughput", "rmtree", "idle");
        if (only.contains("latency")) {
            latency(mode, Files.createDirectories(work.resolve("latency")));
        }
        if (only.contains("throughput")) {
            throughput(mode, Files.createDirectories(work.resolve("throughput")), 10);
        }
        if (only.contains("rmtree")) {
            rmTree(mode, Files.createDirectories(work.resolve("rmtree")), 100_000);
        }
        if (!only.contains("idle")) {
            return;
        }
        idle(mode, Files.createDirectories(work.resolve("idle")), 30, true);
        if (mode == WatchOptions.Mode.FANOTIFY) {
            idle(mode, Files.createDirectories(work.resolve("idle-plain")), 30, false);
        }
    }

    private static NativeWatcher watcher(WatchOptions.Mode mode, Path area) {
        return new NativeWatcher(WatchOptions.of(area).withMode(mode));
    }

    private static WatchOptions withoutAttribution(WatchOptions o) {
        return new WatchOptions(o.areas(), o.excludes(), o.ignored(), o.mode(), o.markScope(), o.extraEvents(),
                o.queueCapacity(), o.unlimitedKernelQueue(), false);
    }

    /** close() to delivery in the listener, 1,000 sequential writes a millisecond apart. */
    private static void latency(WatchOptions.Mode mode, Path area) throws Exception {
        int writes = 1000;
        Map<Path, Long> delivered = new ConcurrentHashMap<>();
        try (NativeWatcher w = watcher(mode, area)) {
            w.start(e -> {
                if (e.is(EventType.CLOSE_WRITE)) {
                    delivered.putIfAbsent(e.path(), System.nanoTime());
                }
            });
            long[] closedAt = new long[writes];
            Path[] paths = new Path[writes];
            byte[] data = "some content\n".getBytes();
            for (int i = 0; i < writes; i++) {
                paths[i] = area.resolve("f" + i);
                try (FileOutputStream out = new FileOutputStream(paths[i].toFile())) {
                    out.write(data);
                }
                closedAt[i] = System.nanoTime();
                Thread.sleep(1);
            }
            waitFor(() -> delivered.size() >= writes, 10_000);
            long[] micros = new long[writes];
            int n = 0;
            for (int i = 0; i < writes; i++) {
                Long at = delivered.get(paths[i]);
                if (at != null) {
                    micros[n++] = (at - closedAt[i]) / 1000;
                }
            }
            long[] seen = Arrays.copyOf(micros, n);
            Arrays.sort(seen);
            System.out.printf(Locale.ROOT, "%s latency close->listener over %d writes: p50 %.2f ms, p99 %.2f ms, "
                    + "max %.2f ms, seen %d%n", w.active(), writes, seen[n / 2] / 1000.0,
                    seen[Math.min(n - 1, n * 99 / 100)] / 1000.0, seen[n - 1] / 1000.0, n);
        }
    }

    /** Create+delete of empty files by two threads for {@code seconds}; events delivered per second. */
    private static void throughput(WatchOptions.Mode mode, Path area, int seconds) throws Exception {
        AtomicLong creates = new AtomicLong();
        AtomicLong deletes = new AtomicLong();
        AtomicLong overflows = new AtomicLong();
        // the writers' directories exist before the watch: inotify cannot see what happens in a directory
        // before its watch is placed, and that race is not what this measures
        Path[] dirs = {Files.createDirectory(area.resolve("w0")), Files.createDirectory(area.resolve("w1"))};
        try (NativeWatcher w = watcher(mode, area)) {
            w.start(e -> {
                if (e.overflow()) {
                    overflows.incrementAndGet();
                }
                if (e.is(EventType.CREATE) && !e.directory()) {
                    creates.incrementAndGet();
                }
                if (e.is(EventType.DELETE) && !e.directory()) {
                    deletes.incrementAndGet();
                }
            });
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            AtomicLong ops = new AtomicLong();
            Thread[] writers = new Thread[dirs.length];
            for (int t = 0; t < writers.length; t++) {
                Path dir = dirs[t];
                writers[t] = new Thread(() -> {
                    long i = 0;
                    try {
                        while (System.nanoTime() < end) {
                            Path f = dir.resolve("f" + (i++ % 1000));
                            Files.createFile(f);
                            Files.delete(f);
                        }
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                    ops.addAndGet(i);
                });
                writers[t].start();
            }
            for (Thread t : writers) {
                t.join();
            }
            long expected = ops.get() * 2;
            waitFor(() -> creates.get() + deletes.get() >= expected || overflows.get() > 0, 30_000);
            long got = creates.get() + deletes.get();
            System.out.printf(Locale.ROOT, "%s create+delete: %d files in %d s by 2 threads = %.0f events/s "
                    + "offered, %d of %d events delivered, overflow events: %d%n", w.active(), ops.get(), seconds,
                    expected / (double) seconds, got, expected, overflows.get());
        }
    }

    /** rm -rf of a tree made before the watch started: every deletion must be delivered. */
    private static void rmTree(WatchOptions.Mode mode, Path area, int files) throws Exception {
        Path tree = Files.createDirectories(area.resolve("tree"));
        for (int d = 0; d < 100; d++) {
            Path dir = Files.createDirectory(tree.resolve("d" + d));
            for (int i = 0; i < files / 100; i++) {
                Files.createFile(dir.resolve("f" + i));
            }
        }
        AtomicLong deletes = new AtomicLong();
        AtomicLong overflows = new AtomicLong();
        try (NativeWatcher w = watcher(mode, area)) {
            long started = System.nanoTime();
            w.start(e -> {
                if (e.overflow()) {
                    overflows.incrementAndGet();
                } else if (e.is(EventType.DELETE) && !e.directory()) {
                    deletes.incrementAndGet();
                }
            });
            long watching = System.nanoTime();
            long t0 = System.nanoTime();
            Process rm = new ProcessBuilder("rm", "-rf", tree.toString()).inheritIO().start();
            rm.waitFor();
            long rmDone = System.nanoTime();
            waitFor(() -> deletes.get() >= files || overflows.get() > 0, 60_000);
            long allSeen = System.nanoTime();
            System.out.printf(Locale.ROOT, "%s rm -rf of %d files: %d deletions delivered, overflow events %d; "
                    + "start (walk) %.0f ms, rm %.0f ms, last event %.0f ms after rm ended; RSS %d MB%n",
                    w.active(), files, deletes.get(), overflows.get(), (watching - started) / 1e6,
                    (rmDone - t0) / 1e6, (allSeen - rmDone) / 1e6, rssMb());
        }
    }

    /** CPU used by this whole JVM while the watch is idle (other activity on the filesystem still arrives). */
    private static void idle(WatchOptions.Mode mode, Path area, int seconds, boolean attribution)
            throws Exception {
        WatchOptions options = WatchOptions.of(area).withMode(mode);
        try (NativeWatcher w = new NativeWatcher(attribution ? options : withoutAttribution(options))) {
            w.start(e -> { });
            System.gc();
            Thread.sleep(2000);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long cpu = os.getProcessCpuTime() - cpu0;
            long wall = System.nanoTime() - t0;
            System.out.printf(Locale.ROOT, "%s%s idle %d s: CPU %.3f %% of one core (whole JVM), RSS %d MB%n",
                    w.active(), attribution ? "" : " without attribution", seconds, 100.0 * cpu / wall, rssMb());
        }
    }

    private static long rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    private static void waitFor(java.util.function.BooleanSupplier done, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!done.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
    }
}

package dev.vigil.fim;

import dev.vigil.store.Database;
import dev.vigil.store.SqliteBaseline;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trickle on the real clock for {@code bench/trickle.sh}, which measures it from outside through
 * {@code /proc}. Runs until SIGTERM; meanwhile rewrites {@code --progress FILE} five times a second with the
 * trickle's own count of content bytes read and entries checked, so the script can tell them apart from
 * the process's other reads.
 *
 * <p>Usage: {@code TrickleBench --db FILE --progress FILE [--byterate N] [--filerate N] [--smallfiles N] [--speedup F] [--excludes GLOB,...] AREA...}
 */
public final class TrickleBench {

    private TrickleBench() {
    }

    public static void main(String[] args) throws Exception {
        TrickleOptions d = TrickleOptions.defaults();
        Path db = null;
        Path progress = null;
        long byteRate = d.byteRate();
        double fileRate = d.fileRate();
        long smallFiles = d.smallFiles();
        double speedup = d.speedup();
        List<String> excludes = List.of();
        long stopAfter = Long.MAX_VALUE;
        List<Path> areas = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> db = Path.of(args[++i]);
                case "--progress" -> progress = Path.of(args[++i]);
                case "--byterate" -> byteRate = Long.parseLong(args[++i]);
                case "--filerate" -> fileRate = Double.parseDouble(args[++i]);
                case "--smallfiles" -> smallFiles = Long.parseLong(args[++i]);
                case "--speedup" -> speedup = Double.parseDouble(args[++i]);
                case "--excludes" -> excludes = List.of(args[++i].split(","));
                case "--cycles" -> stopAfter = Long.parseLong(args[++i]);
                default -> areas.add(Path.of(args[i]));
            }
        }
        if (db == null || progress == null) {
            throw new IllegalArgumentException("usage: TrickleBench --db FILE --progress FILE [--byterate N] "
                    + "[--filerate N] [--smallfiles N] [--speedup F] [--excludes GLOB,...] [--cycles N] AREA...");
        }
        TrickleOptions options = new TrickleOptions(byteRate, fileRate, smallFiles, speedup,
                d.speedupHalfLife(), d.scan().withExcludes(new Excludes(excludes)), d.policy());
        Trickle trickle = new Trickle(new SqliteBaseline(Database.open(db)), "bench", areas, options);

        Path progressFile = progress;
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
        });
        writer.scheduleAtFixedRate(() -> write(progressFile, trickle.progress()), 0, 200, TimeUnit.MILLISECONDS);

        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            trickle.stop();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        AtomicLong problems = new AtomicLong();
        long cycles = stopAfter;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] cpuBefore = {os.getProcessCpuTime()};
        try {
            trickle.run(new Trickle.Listener() {
                @Override
                public void change(Change change, String remembered) {
                    System.out.println("change " + change.kind() + " " + change.displayPath());
                }

                @Override
                public void cycle(Trickle.Cycle cycle) {
                    long cpu = os.getProcessCpuTime();
                    System.gc();
                    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    System.out.printf("cycle %s: CPU %.1f us/entry, heap after GC %.1f MB, RSS %s%n", cycle,
                            (cpu - cpuBefore[0]) / 1e3 / Math.max(1, cycle.entries()), heap / 1e6, rss());
                    cpuBefore[0] = os.getProcessCpuTime();
                    if (cycle.number() >= cycles) {
                        trickle.stop();
                    }
                }

                @Override
                public void problem(byte[] path, String message) {
                    problems.incrementAndGet();
                }
            });
        } finally {
            Trickle.Progress p = trickle.progress();
            write(progressFile, p);
            System.out.println("stopped: " + p + ", problems " + problems.get());
            done.countDown();
        }
    }

    private static String rss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> l.substring(6).strip()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** Written aside and moved into place, so a reader never sees half a line. */
    private static void write(Path file, Trickle.Progress p) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, p.bytes() + " " + p.entries() + " " + p.changes() + " " + p.cycles() + "\n",
                    StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.err.println("cannot write progress: " + e.getMessage());
        }
    }
}

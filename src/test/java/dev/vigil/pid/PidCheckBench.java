package dev.vigil.pid;

import dev.vigil.store.Database;
import dev.vigil.store.PidStateStore;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Measures the CPU time of checking many PID files that point at real processes, including the state
 * writes to SQLite; run by {@code bench/pids.sh}. Not a test: speed is measured here, never asserted.
 *
 * <p>Arguments: number of PID files (default 1000), checks per warm scenario (default 20), each after as
 * many unmeasured warm-up checks.
 */
public final class PidCheckBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private PidCheckBench() {
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path work = Files.createTempDirectory("vigil-pid-bench");
        Path pidDir = Files.createDirectories(work.resolve("run"));
        Process spawner = new ProcessBuilder("sh", "-c",
                "i=0; while [ $i -lt $1 ]; do i=$((i+1)); sleep 600 & echo $! > \"$0/svc$i.pid\"; done; echo ready; wait",
                pidDir.toString(), Integer.toString(files)).redirectErrorStream(true).start();
        try {
            spawner.getInputStream().read(new byte[6]);
            PidStateStore store = new PidStateStore(Database.open(work.resolve("vigil.db")), Clock.systemUTC());
            PidOptions options = new PidOptions("bench", List.of(pidDir.toString()), null, null, null, null);
            PidChecker checker = new PidChecker(options, "bench", Clock.systemUTC());
            Map<String, PidState>[] state = new Map[] {store.load(options.name())};
            Supplier<Integer> check = () -> {
                PidChecker.PidCheck r = checker.check(state[0]);
                store.save(options.name(), r.changed(), r.removed());
                state[0] = r.state();
                return r.findings().size();
            };

            System.out.printf("PID check benchmark: %d PID files of live `sleep` processes, %d CPUs, Java %s%n%n",
                    files, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.printf("| %-46s | %8s | %12s | %12s | %14s | %9s |%n",
                    "scenario", "findings", "CPU ms (med)", "CPU ms (max)", "JVM CPU ms/chk", "wall ms");
            System.out.printf("|%s|%s|%s|%s|%s|%s|%n", "-".repeat(48), "-".repeat(10), "-".repeat(14),
                    "-".repeat(14), "-".repeat(16), "-".repeat(11));
            measure("first check, cold JVM (stores " + files + " rows)", 0, 1, check);
            measure("healthy, warm (nothing to write)", rounds, rounds, check);

            PidChecker withRequire = new PidChecker(new PidOptions("bench", options.files(), null, null,
                    List.of("sshd", "cron", "sleep", "systemd-journal", "rsyslogd"), null), "bench", Clock.systemUTC());
            measure("healthy + 5 required commands (scans /proc)", rounds, rounds, () -> {
                PidChecker.PidCheck r = withRequire.check(state[0]);
                store.save(options.name(), r.changed(), r.removed());
                state[0] = r.state();
                return r.findings().size();
            });

            spawner.descendants().forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle h : spawner.descendants().toList()) {
                h.onExit().join();
            }
            measure("all " + files + " died (DIED + " + files + " row writes)", 0, 1, check);
            measure("all dead, warm (nothing new)", rounds, rounds, check);
        } finally {
            spawner.descendants().forEach(ProcessHandle::destroyForcibly);
            spawner.destroyForcibly();
            try (var walk = Files.walk(work)) {
                walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Runs {@code warmup} unmeasured checks (so JIT compilation is mostly done), then measures {@code rounds}. */
    private static void measure(String scenario, int warmup, int rounds, Supplier<Integer> check) {
        for (int i = 0; i < warmup; i++) {
            check.get();
        }
        List<Long> cpu = new ArrayList<>();
        int findings = 0;
        long processCpu = OS.getProcessCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            long t = THREADS.getCurrentThreadCpuTime();
            findings = check.get();
            cpu.add(THREADS.getCurrentThreadCpuTime() - t);
        }
        double wallMs = (System.nanoTime() - wall) / 1e6 / rounds;
        double processMs = (OS.getProcessCpuTime() - processCpu) / 1e6 / rounds;
        Collections.sort(cpu);
        System.out.printf("| %-46s | %8d | %12.1f | %12.1f | %14.1f | %9.1f |%n", scenario, findings,
                cpu.get(cpu.size() / 2) / 1e6, cpu.get(cpu.size() - 1) / 1e6, processMs, wallMs);
    }
}

package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.camel.daemon.DaemonConfiguration;

import dev.vigil.alert.Finding;
import dev.vigil.cli.RunCommand;
import dev.vigil.cli.VigilHome;
import dev.vigil.store.EventLog;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency from {@code close()} of a write to its finding reaching {@code direct:report}, through the real
 * daemon (routes, configuration, SQLite, baseline verification): each of N baselined files is appended to in
 * turn, and the next write waits until the previous one's finding has arrived. Run by {@code bench/fswatch.sh};
 * not a test (speed is measured, never asserted).
 *
 * <p>Arguments: mode (fanotify or inotify), a scratch directory, number of writes (default 1000).
 */
public final class FswatchBench {

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path work = Files.createDirectories(Path.of(args[1]));
        int writes = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int treeFiles = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Path area = Files.createDirectories(work.resolve("area"));
        for (int i = 0; i < writes; i++) {
            Files.writeString(area.resolve("f" + i), "0\n");
        }
        Path tree = Files.createDirectories(area.resolve("tree"));
        for (int i = 0; i < treeFiles; i++) {
            Files.createFile(tree.resolve("t" + i));
        }
        Path config = work.resolve("vigil.properties");
        Files.writeString(config, Files.readString(Path.of("config/vigil.properties"))
                + "\nvigil.database=" + work.resolve("vigil.db")
                + "\nvigil.alerts.file=" + work.resolve("alerts.ndjson")
                + "\nvigil.files.areas=" + area
                + "\nvigil.files.scan.interval=1h"
                + "\nvigil.files.watch.mode=" + mode + "\n");

        Map<String, Long> arrived = new ConcurrentHashMap<>();
        Main main = RunCommand.daemon(VigilHome.load(config), Path.of("routes").toAbsolutePath(), new DaemonConfiguration());
        // The first step of direct:report is the "events" bean; a stand-in that notes the arrival and then
        // records as the real one does marks the moment a finding reaches the pipeline.
        main.configure().addConfiguration(new CamelConfiguration() {
            @Override
            public void configure(CamelContext context) {
                EventLog real = context.getRegistry().lookupByNameAndType("events", EventLog.class);
                context.getRegistry().unbind("events"); // bind() alone would add a second bean of another type
                context.getRegistry().bind("events", new TimedEvents(real, arrived));
            }
        });
        main.start();
        try {
            Thread.sleep(3000); // the start-up check and the scheduled check's first run, which find nothing
            long[] latency = new long[writes];
            for (int i = 0; i < writes; i++) {
                Path file = area.resolve("f" + i);
                Files.writeString(file, "written\n", StandardOpenOption.APPEND);
                long closed = System.nanoTime();
                long deadline = closed + 10_000_000_000L;
                Long at;
                while ((at = arrived.get(file.toString())) == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no finding for " + file + " within 10 s");
                    }
                    LockSupport.parkNanos(100_000);
                }
                latency[i] = at - closed;
            }
            Arrays.sort(latency);
            System.out.printf("%-9s %6d writes  close() -> direct:report  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms"
                            + "  (debounce %s)%n", mode, writes, latency[writes / 2] / 1e6, latency[writes * 99 / 100] / 1e6,
                    latency[writes - 1] / 1e6, main.getCamelContext().resolvePropertyPlaceholders("{{vigil.files.watch.debounce}}"));
            if (treeFiles > 0) {
                rmTree(main, area, work.resolve("vigil.db"), treeFiles);
            }
        } finally {
            main.stop();
        }
    }

    /**
     * {@code rm -rf} of the tree of {@code files} baselined files: how long until every raw DELETE is in the
     * event history (and whether any event was lost), and how far verification has got by then.
     */
    private static void rmTree(Main main, Path area, Path database, int files) throws Exception {
        dev.vigil.store.FileEventHistory history = new dev.vigil.store.FileEventHistory(Beans.database(main.getCamelContext()));
        long start = System.nanoTime();
        if (new ProcessBuilder("rm", "-rf", area.resolve("tree").toString()).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("rm failed");
        }
        double rmSeconds = (System.nanoTime() - start) / 1e9;
        int recorded = 0;
        long lastNew = System.nanoTime();
        // Polled with a count on a connection of its own: reading every event of the history at each poll took a
        // core from the daemon under test (2 here), and its long reads held off the write-ahead log's checkpoints.
        // Ten seconds without a new one end the wait: events dropped behind a full queue never come.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
             PreparedStatement count = c.prepareStatement(
                     "SELECT COUNT(*) FROM file_event WHERE path GLOB ? AND types LIKE '%,DELETE,%'")) {
            count.setString(1, area + "/tree/*");
            while (recorded < files && System.nanoTime() - lastNew < 10_000_000_000L) {
                Thread.sleep(200);
                int now = countOf(count);
                if (now > recorded) {
                    recorded = now;
                    lastNew = System.nanoTime();
                }
            }
        }
        double seconds = (lastNew - start) / 1e9;
        int overflows = history.query(new dev.vigil.store.FileEventHistory.Query(null, null, null, null, null, null,
                java.util.Set.of(dev.vigil.watch.EventType.OVERFLOW))).size();
        long verified = new EventLog(Beans.database(main.getCamelContext())).query(new EventLog.Query(null, null, Source.FILES,
                java.util.List.of("DELETED"), area + "/tree/*")).size();
        System.out.printf("rm -rf of %d files: rm took %.1f s; %d raw DELETE events recorded after %.1f s (%.0f/s), "
                + "%d OVERFLOW events; %d DELETED findings verified by then%n", files, rmSeconds, recorded, seconds,
                recorded / seconds, overflows, verified);
    }

    private static int countOf(PreparedStatement count) throws SQLException {
        try (ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Stands in for the "events" bean: notes when each subject's first finding arrives, then records it. */
    public static final class TimedEvents {
        private final EventLog real;
        private final Map<String, Long> arrived;

        TimedEvents(EventLog real, Map<String, Long> arrived) {
            this.real = real;
            this.arrived = arrived;
        }

        public void record(Finding f) {
            arrived.putIfAbsent(f.subject(), System.nanoTime());
            real.record(f);
        }
    }
}

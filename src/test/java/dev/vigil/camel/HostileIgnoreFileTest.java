package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.Await;
import dev.vigil.watch.FileEventVerifier;

import dev.vigil.alert.Finding;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ScanOptions;
import dev.vigil.fim.ScanStats;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import dev.vigil.store.SqliteBaseline;
import org.apache.camel.main.Main;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon against `.vigilignore` files written by a user who can write a directory of a monitored area: the
 * scheduled check reports one it does not trust once, and neither the watch nor a check can be stalled by one
 * swapped for a FIFO.
 */
class HostileIgnoreFileTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private static List<Finding> fileFindings(Main main) {
        return new EventLog(Beans.database(main.getCamelContext()))
                .query(new EventLog.Query(null, null, Source.FILES, null, null));
    }

    private static long polls(Main main) {
        return ((ScheduledPollConsumer) main.getCamelContext().getRoute("files-check").getConsumer()).getSuccessCounter();
    }

    @Test
    void theScheduledCheckReportsAnUntrustedIgnoreFileOnceAsCriticalAndChecksWhatItNames() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path conf = Files.writeString(watched.resolve("postgresql.conf"), "listen_addresses = 'localhost'\n");
        Path ignore = Files.writeString(watched.resolve(".vigilignore"), "*\n");
        Files.setAttribute(ignore, "unix:uid", 65534);
        Main main = daemon.start(Map.of("vigil.files.scan.interval", "100ms", "vigil.files.watch.enabled", "false"));

        Await.until("the untrusted ignore file reported", () -> fileFindings(main).stream()
                .anyMatch(f -> f.kind().equals("UNTRUSTED_IGNORE")));
        long seen = polls(main);
        Await.until("three more checks", () -> polls(main) >= seen + 3);
        List<Finding> untrusted = fileFindings(main).stream().filter(f -> f.kind().equals("UNTRUSTED_IGNORE")).toList();
        assertEquals(1, untrusted.size(), "reported once: " + untrusted);
        assertEquals(ignore.toString(), untrusted.get(0).subject());
        assertEquals("CRITICAL", untrusted.get(0).severity().name());

        Files.writeString(conf, "listen_addresses = '*'\n");
        Await.until("the change the ignore file would have hidden", () -> fileFindings(main).stream()
                .anyMatch(f -> f.kind().equals("MODIFIED") && f.subject().equals(conf.toString())));
    }

    @Test
    void swappingFifosAndSymlinksToFifosOverAnIgnoreFileStallsNeitherTheWatchNorACheck() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path hosts = Files.writeString(watched.resolve("hosts"), "127.0.0.1 localhost\n");
        Path fifo = daemon.dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Main main = daemon.start(Map.of("vigil.files.watch.mode", "auto"));
        Await.until("the scheduled check's first run", () -> polls(main) >= 1);
        Assumptions.assumeTrue(new Integrity(new SqliteBaseline(Beans.database(main.getCamelContext())),
                ScanOptions.defaults(), PathPolicy.none()).hasBaseline(watched), "the first run baselined the area");

        // A check of the same area, again and again while the swaps go on.
        AtomicBoolean swapping = new AtomicBoolean(true);
        AtomicInteger checks = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread checker = new Thread(() -> {
            try {
                Integrity integrity = new Integrity(new SqliteBaseline(Database.open(daemon.dir.resolve("vigil.db"))),
                        ScanOptions.defaults().withThreads(1), PathPolicy.none());
                do {
                    integrity.check(List.of(watched), false, FileEventVerifier.problems("test check"), new ScanStats(), c -> { });
                    checks.incrementAndGet();
                } while (swapping.get());
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "concurrent-check");
        checker.setDaemon(true); // left behind if it hangs, as it did before ignore files were opened non-blocking
        checker.start();

        Path ignore = watched.resolve(".vigilignore");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (int i = 0; i < 2000 && System.nanoTime() < deadline; i++) {
            Files.move(Files.writeString(daemon.dir.resolve("file"), "*.swp\n"), ignore, StandardCopyOption.ATOMIC_MOVE);
            Files.move(Files.createSymbolicLink(daemon.dir.resolve("link"), fifo), ignore, StandardCopyOption.ATOMIC_MOVE);
            Files.move(Files.createLink(daemon.dir.resolve("fifo-link"), fifo), ignore, StandardCopyOption.ATOMIC_MOVE);
        }
        swapping.set(false);
        Await.until("the concurrent check to end", () -> !checker.isAlive());
        assertEquals(null, failed.get());
        assertTrue(checks.get() >= 1);

        Files.writeString(hosts, "10.0.0.66 localhost\n");
        Await.until("the watch's MODIFIED finding for the write after the swaps", () -> fileFindings(main).stream()
                .anyMatch(f -> f.kind().equals("MODIFIED") && f.subject().equals(hosts.toString()) && f.details().containsKey("events")));
    }
}

package dev.vigil.camel;

import dev.vigil.Await;
import dev.vigil.fim.ProblemSummary;

import dev.vigil.ChildJvm;
import dev.vigil.cli.VigilCommand;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ScanOptions;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import dev.vigil.store.SqliteBaseline;
import com.sun.jna.Library;
import com.sun.jna.Native;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No failure silently stops a source: an exception in its work is logged once and the work tried again after a
 * backoff (seconds, whatever the source's interval), a failed watch reader is restarted; an Error ends the
 * daemon with status 2 for systemd to start it again; a duration it cannot parse stops the start naming its key.
 */
class SourceFailureTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();
    private PrintStream savedErr;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void captureLog() {
        savedErr = System.err;
        PrintStream tee = savedErr;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                err.write(b, off, len);
                tee.write(b, off, len);
            }

            @Override
            public synchronized void write(int b) {
                err.write(b);
                tee.write(b);
            }
        }, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() {
        System.setErr(savedErr);
    }

    private String log() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static void sql(Database db, String statement) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void aScheduledCheckWhoseDatabaseFailsIsTriedAgainInSecondsNotAtItsNextInterval() throws Exception {
        Path watched = Files.createDirectories(daemon.dir.resolve("watched"));
        Path motd = Files.writeString(watched.resolve("motd"), "hello\n");
        Database db = Database.open(daemon.dir.resolve("vigil.db"));
        new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), PathPolicy.none())
                .baseline(List.of(watched), new ProblemSummary(), new dev.vigil.fim.ScanStats());
        Files.writeString(motd, "owned\n");
        sql(db, "ALTER TABLE baseline RENAME TO baseline_away");

        // the scheduled check alone, every hour (TestDaemon's interval)
        Main main = daemon.start(Map.of("vigil.files.watch.enabled", "false"));
        Await.until("the failed check in the log", () -> log().contains("fscan:areas: its work (tried again after a backoff) failed"));
        sql(db, "ALTER TABLE baseline_away RENAME TO baseline");

        EventLog events = new EventLog(Beans.database(main.getCamelContext()));
        Await.until("the change found by the check tried again", () -> TestDaemon.subjects(events).contains(motd.toString()));
        assertEquals(1, log().split(java.util.regex.Pattern.quote("fscan:areas: its work (tried again after a backoff) failed"), -1).length - 1, "said once:\n" + log());
    }

    @Test
    void aLogTailWhosePositionsCannotBeSavedIsTriedAgainAndReadsOn() throws Exception {
        Path log = Files.createDirectories(daemon.dir.resolve("logs")).resolve("auth.log");
        Files.writeString(log, "Nov 22 00:59:00 web sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2\n");
        Database db = Database.open(daemon.dir.resolve("vigil.db"));
        sql(db, "CREATE TRIGGER unwritable BEFORE INSERT ON log_offset BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");

        // one poll an hour: only a retry reads what is written after the first
        Main main = daemon.start(Map.of("vigil.files.watch.enabled", "false", "vigil.logs.files", log.toString(),
                "vigil.logs.interval", "1h"));
        Await.until("the failed poll in the log", () -> log().contains("logtail:logs: its work (tried again after a backoff) failed"));
        assertTrue(log().contains("disk trouble"), log());
        String line = "Nov 22 01:00:02 web sshd[813]: Failed password for root from 203.0.113.5 port 40022 ssh2";
        Files.writeString(log, line + "\n", StandardOpenOption.APPEND);
        sql(db, "DROP TRIGGER unwritable");

        EventLog events = new EventLog(Beans.database(main.getCamelContext()));
        Await.until("the line read by the poll tried again", () -> TestDaemon.subjects(events).contains(line));
    }

    /**
     * A line whose finding the route does not take (the event history refusing it, as on a full disk) is read again
     * once it can be taken: its batch's offsets are not saved, and the files are opened again at the saved ones.
     * Before, the offsets moved past it and the line was lost.
     */
    @Test
    void aLineWhoseFindingTheEventHistoryRefusesIsReadAgainOnceItTakesItNotPassedOver() throws Exception {
        Path log = Files.createDirectories(daemon.dir.resolve("logs")).resolve("auth.log");
        Files.writeString(log, "");
        Main main = daemon.start(Map.of("vigil.files.watch.enabled", "false", "vigil.logs.files", log.toString()));
        TestDaemon.awaitFollowing(main, log);
        Database db = Beans.database(main.getCamelContext());
        sql(db, "CREATE TRIGGER unwritable BEFORE INSERT ON event BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");

        String line = "Nov 22 01:00:02 web sshd[813]: Failed password for root from 203.0.113.5 port 40022 ssh2";
        Files.writeString(log, line + "\n", StandardOpenOption.APPEND);
        Await.until("the failed poll in the log", () -> log().contains("logtail:logs: its work (tried again after a backoff) failed"));
        assertTrue(log().contains("the route did not take a finding of a line of " + log + " (its failure is logged above)"), log());
        assertFalse(log().contains("did not take a finding of " + line), "the line itself stays out of the status");
        sql(db, "DROP TRIGGER unwritable");

        EventLog events = new EventLog(db);
        Await.until("the line read again", () -> TestDaemon.subjects(events).contains(line));
        assertEquals(1, TestDaemon.subjects(events).stream().filter(line::equals).count(), "recorded once");
    }

    /**
     * A batch that fails otherwise than by the route's refusal (here the local rules' statistics cannot be written) is
     * passed over as read and saved so: a later refusal's rewind goes back to after it, and its finding, which the
     * route took, is not sent again.
     */
    @Test
    void aBatchPassedOverIsSavedSoALaterRefusalDoesNotReadItAgain() throws Exception {
        Path log = Files.createDirectories(daemon.dir.resolve("logs")).resolve("auth.log");
        Files.writeString(log, "");
        Path local = Files.createDirectories(daemon.dir.resolve("local/violations.d"));
        Files.writeString(local.resolve("sshd"), "sshd\\[[0-9]+\\]: Failed password\n");
        Main main = daemon.start(Map.of("vigil.files.watch.enabled", "false", "vigil.logs.files", log.toString(),
                "vigil.logs.local", daemon.dir.resolve("local").toString()));
        TestDaemon.awaitFollowing(main, log);
        Database db = Beans.database(main.getCamelContext());
        EventLog events = new EventLog(db);
        sql(db, "CREATE TRIGGER unwritable BEFORE INSERT ON rule_stats BEGIN SELECT RAISE(ABORT, 'stats trouble'); END");

        String first = "Nov 22 01:00:02 web sshd[813]: Failed password for root from 203.0.113.5 port 40022 ssh2";
        Files.writeString(log, first + "\n", StandardOpenOption.APPEND);
        Await.until("the failed poll in the log", () -> log().contains("stats trouble"));
        sql(db, "DROP TRIGGER unwritable");
        sql(db, "CREATE TRIGGER refused BEFORE INSERT ON event BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
        String second = "Nov 22 01:00:03 web sshd[814]: Failed password for root from 203.0.113.6 port 40023 ssh2";
        Files.writeString(log, second + "\n", StandardOpenOption.APPEND);
        Await.until("the refusal in the log", () -> log().contains("disk trouble"));
        sql(db, "DROP TRIGGER refused");

        Await.until("the second line recorded", () -> TestDaemon.subjects(events).contains(second));
        assertEquals(1, TestDaemon.subjects(events).stream().filter(first::equals).count(), "the first recorded once");
    }

    /** The libc calls the test needs to break a file watch from outside. */
    private interface C extends Library {
        C LIBC = Native.load("c", C.class);

        int open(String path, int flags);

        int dup2(int oldFd, int newFd);

        int close(int fd);
    }

    /** This JVM's inotify instances, by file descriptor. */
    private static Set<Integer> inotifyFds() throws IOException {
        Set<Integer> fds = new HashSet<>();
        try (Stream<Path> all = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : all.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals("anon_inode:inotify")) {
                        fds.add(Integer.parseInt(fd.getFileName().toString()));
                    }
                } catch (IOException closedMeanwhile) {
                    // the listing's own descriptor, or one closed since
                }
            }
        }
        return fds;
    }

    @Test
    void aWatchWhoseKernelReadFailsIsRestartedAndReportsChangesAgain() throws Exception {
        Path watched = Files.createDirectories(daemon.dir.resolve("watched"));
        Path motd = Files.writeString(watched.resolve("motd"), "hello\n");
        Set<Integer> before = inotifyFds();
        long mountWatchesBefore = mountWatches();
        // the scheduled check not before 2099: only the watch can see a change
        Main main = daemon.start(Map.of("vigil.files.watch.mode", "inotify", "vigil.files.scan.cron", "0 0 0 1 1 ? 2099"));
        assertEquals(mountWatchesBefore + 1, mountWatches(), "the watch's mount watch");
        Set<Integer> watch = inotifyFds();
        watch.removeAll(before);
        assertEquals(1, watch.size(), "one inotify instance, the daemon's watch: " + watch);

        // The watch's descriptor becomes a directory's: its next read fails (EISDIR), as a kernel read can.
        int directory = C.LIBC.open(daemon.dir.toString(), 0);
        assertTrue(directory >= 0 && C.LIBC.dup2(directory, watch.iterator().next()) >= 0, "dup2");
        C.LIBC.close(directory);
        Files.writeString(watched.resolve("wake"), "the reader's poll returns, and its read fails\n");
        EventLog events = new EventLog(Beans.database(main.getCamelContext()));
        Await.until("the finding that the watch stopped", () -> events.query(new EventLog.Query(null, null, null,
                null, null)).stream().anyMatch(f -> f.kind().equals("OVERFLOW")));

        Files.writeString(motd, "owned\n");
        Await.until("the change seen by the restarted watch", () -> TestDaemon.subjects(events).contains(motd.toString()));
        assertEquals(mountWatchesBefore + 1, mountWatches(), "a restart of the kernel reader keeps the one mount watch");
    }

    /** Live mount-watch threads of this JVM (each watch has one). */
    private static long mountWatches() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("vigil-watch-mounts")).count();
    }

    @Test
    void anIntervalThatIsNotADurationStopsStartUpNamingTheKeyAndTheForm() {
        Exception e = assertThrows(Exception.class, () -> daemon.start(Map.of("vigil.files.scan.interval", "banana")));
        String message = VigilCommand.message(e);
        assertTrue(message.contains("vigil.files.scan.interval=banana") && message.contains("30s"), message);
    }

    @Test
    void anErrorInASourceEndsTheDaemonWithStatusTwoAndSaysWhy() throws Exception {
        Files.createDirectories(daemon.dir.resolve("watched"));
        Files.createDirectories(daemon.dir.resolve("logs"));
        // The PID check's start would meet the broken install before any source runs: left out.
        Path routes = Files.createDirectory(daemon.dir.resolve("routes"));
        try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
            for (Path file : shipped.filter(f -> !f.getFileName().toString().equals("pids.yaml")).toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Path config = daemon.config(Map.of("vigil.files.watch.enabled", "false"));

        ChildJvm.Ended run = ChildJvm.vigil(ChildJvm.brokenJna(Files.createDirectory(daemon.dir.resolve("empty"))),
                daemon.dir.resolve("err"), "run", "--config", config.toString(), "--routes", routes.toString());

        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().lines().anyMatch(l -> l.startsWith("vigil: fatal: fscan:areas: java.lang.")), run.err());
    }
}

package dev.vigil.camel;

import dev.vigil.camel.fswatch.FswatchConsumer;

import dev.vigil.alert.Finding;
import dev.vigil.fim.Tools;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inotify watch limit reached, for real: the daemon (`vigil run` with the shipped routes and config) runs in
 * a child JVM in its own user namespace, where user.max_inotify_watches is 3 (so the limit touches no other
 * process on the machine). What the watch cannot cover is said in a finding naming the sysctl, and changes
 * there are still found, by the trickle that checks those directories instead.
 */
class UnwatchedDirectoriesTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    @Test
    void directoriesBeyondTheWatchLimitAreReportedAndTheirChangesStillFound() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "unshare (util-linux) is needed");
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        for (String d : List.of("a", "a/a1", "a/a2", "b", "b/b1", "b/b2", "c")) {
            Files.createDirectories(watched.resolve(d));
            Files.writeString(watched.resolve(d).resolve("f"), "as baselined\n");
        }
        Files.createDirectories(daemon.dir.resolve("logs"));
        // No scheduled check (its cron is a second in 2099), so what is found in unwatched directories is the
        // trickle's; the watch's start-up check is over when the UNWATCHED finding comes.
        Path config = daemon.config(Map.of("vigil.files.watch.mode", "inotify",
                "vigil.files.watch.attribution", "false", "vigil.files.scan.cron", "0 0 0 1 1 ? 2099"));
        String java = ProcessHandle.current().info().command().orElse("java");
        String script = "echo 3 > /proc/sys/user/max_inotify_watches && exec \"$0\" -cp \"$1\" dev.vigil.cli.VigilCommand"
                + " run --config \"$2\" --routes \"$3\"";
        Path log = daemon.dir.resolve("daemon.log");
        Process child = new ProcessBuilder("unshare", "--user", "--map-root-user", "sh", "-c", script, java,
                System.getProperty("java.class.path"), config.toString(), Path.of("routes").toAbsolutePath().toString())
                .directory(daemon.dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            EventLog events = new EventLog(Database.open(daemon.dir.resolve("vigil.db")));
            Finding unwatched = awaitFinding(child, log, events, "UNWATCHED", null);
            assertTrue(String.valueOf(unwatched.details().get("message")).contains("sysctl fs.inotify.max_user_watches="),
                    unwatched.toString());
            // the sysctl's whole value, as cat(1) reads it (a short read of procfs once gave its first digit)
            assertTrue(String.valueOf(unwatched.details().get("message")).contains("max_user_watches is "
                    + Tools.sh("cat", "/proc/sys/fs/inotify/max_user_watches").strip() + ")"), unwatched.toString());
            assertEquals(watched.toString(), unwatched.subject());
            @SuppressWarnings("unchecked")
            List<String> examples = (List<String>) unwatched.details().get("examples");
            assertFalse(examples.isEmpty(), unwatched.toString());

            Path inUnwatched = Path.of(examples.get(0)).resolve("f"); // every directory of the tree has one
            Files.writeString(inUnwatched, "changed where no watch sees it\n");
            Finding modified = awaitFinding(child, log, events, "MODIFIED", inUnwatched.toString());
            assertEquals(FswatchConsumer.UNWATCHED_CHECK, modified.details().get("foundBy"), modified.toString());

            // A directory made after the limit was reached has no watch either; what appears in it is found too.
            Path late = Files.createDirectory(watched.resolve("late"));
            awaitFinding(child, log, events, "ADDED", late.toString());
            Path added = Files.writeString(late.resolve("g"), "new\n");
            Finding found = awaitFinding(child, log, events, "ADDED", added.toString());
            assertEquals(FswatchConsumer.UNWATCHED_CHECK, found.details().get("foundBy"), found.toString());
            assertEquals(1, events.query(new EventLog.Query(null, null, null, List.of("UNWATCHED"), null)).size(),
                    "the exhaustion is one finding, however many directories it leaves out");
        } finally {
            child.destroy();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    private static Finding awaitFinding(Process daemon, Path log, EventLog events, String kind, String subject) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                Assumptions.assumeFalse(read(log).startsWith("unshare"), "user namespaces not permitted: " + read(log));
                throw new AssertionError("the daemon exited: " + read(log));
            }
            Optional<Finding> f = events.query(new EventLog.Query(null, null, null, List.of(kind), subject)).stream().findFirst();
            if (f.isPresent()) {
                return f.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + kind + " " + subject + ": " + read(log));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}

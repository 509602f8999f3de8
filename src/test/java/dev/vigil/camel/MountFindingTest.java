package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.Await;
import dev.vigil.watch.FileEventVerifier;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mount over part of a watched area hides what was there and what is done in it from the watch: the daemon
 * tells it as one critical MOUNT finding and checks the area at once. Real mounts (the tests run as root).
 */
class MountFindingTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();
    private Path watched;
    private Path sub;

    @BeforeEach
    void tree() throws Exception {
        watched = Files.createDirectory(daemon.dir.resolve("watched"));
        sub = Files.createDirectory(watched.resolve("sub"));
        Files.writeString(sub.resolve("conf"), "original\n");
    }

    private Main startWatching() throws Exception {
        Main main = daemon.start(Map.of());
        Await.until("the scheduled check's first run", () -> ((org.apache.camel.support.ScheduledPollConsumer) main
                .getCamelContext().getRoute("files-check").getConsumer()).getSuccessCounter() >= 1);
        return main;
    }

    private static List<Finding> fileFindings(Main main) {
        return new dev.vigil.store.EventLog(Beans.database(main.getCamelContext()))
                .query(new dev.vigil.store.EventLog.Query(null, null, Source.FILES, null, null));
    }

    private static Finding awaitFinding(Main main, String kind, Path path) throws InterruptedException {
        Await.until(kind + " " + path, () -> fileFindings(main).stream()
                .anyMatch(f -> f.kind().equals(kind) && f.subject().equals(path.toString())));
        return fileFindings(main).stream().filter(f -> f.kind().equals(kind) && f.subject().equals(path.toString()))
                .findFirst().orElseThrow();
    }

    private static void mount(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("mount"));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(p.waitFor() == 0, "this test mounts filesystems, which needs root and CAP_SYS_ADMIN: "
                + String.join(" ", command) + ": " + output);
    }

    private static void unmount(Path mountPoint) throws Exception {
        Process p = new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "umount " + mountPoint);
    }

    private static long count(Main main, String kind) {
        return fileFindings(main).stream().filter(f -> f.kind().equals(kind)).count();
    }

    @Test
    void aDirectoryBoundOverPartOfAnAreaIsOneCriticalMountFindingAndTheAreaIsCheckedAtOnce() throws Exception {
        Path forged = Files.createDirectory(daemon.dir.resolve("forged"));
        Files.writeString(forged.resolve("conf"), "attacker's version\n");
        Files.writeString(forged.resolve("implant"), "x");
        Main main = startWatching();

        mount("--bind", forged.toString(), sub.toString());
        try {
            Finding mounted = awaitFinding(main, "MOUNT", sub);
            Finding modified = awaitFinding(main, "MODIFIED", sub.resolve("conf"));
            Finding added = awaitFinding(main, "ADDED", sub.resolve("implant"));

            assertEquals(Severity.CRITICAL, mounted.severity());
            String message = String.valueOf(mounted.details().get("message"));
            assertTrue(message.contains("mounted on " + sub) && message.contains("root " + forged), message);
            assertEquals(watched.toString(), mounted.details().get("areas"));
            assertEquals(FileEventVerifier.MOUNT_CHECK, modified.details().get("foundBy"));
            assertEquals(FileEventVerifier.MOUNT_CHECK, added.details().get("foundBy"));
            assertEquals(1, count(main, "MOUNT"));
        } finally {
            unmount(sub);
        }
    }

    @Test
    void aTmpfsMountedInAnAreaIsACriticalMountFindingNamingItsTypeAndSourceAndItsUnmountAWarning() throws Exception {
        Main main = startWatching();

        mount("-t", "tmpfs", "vigil-test-tmpfs", sub.toString());
        try {
            Finding mounted = awaitFinding(main, "MOUNT", sub);
            Finding hidden = awaitFinding(main, "DELETED", sub.resolve("conf"));

            assertEquals(Severity.CRITICAL, mounted.severity());
            String message = String.valueOf(mounted.details().get("message"));
            assertTrue(message.contains("type tmpfs, source vigil-test-tmpfs"), message);
            assertEquals(FileEventVerifier.MOUNT_CHECK, hidden.details().get("foundBy"));
            assertEquals(1, count(main, "MOUNT"));
        } finally {
            unmount(sub);
        }
        Finding unmounted = awaitFinding(main, "UNMOUNT", sub);
        awaitFinding(main, "REVERTED", sub.resolve("conf"));

        assertEquals(Severity.WARNING, unmounted.severity());
    }
}

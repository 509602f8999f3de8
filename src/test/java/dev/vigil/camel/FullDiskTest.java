package dev.vigil.camel;


import dev.vigil.alert.Source;
import dev.vigil.Await;
import dev.vigil.store.FileEventHistory;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Assumptions;
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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database on a full file system (an 8 MB tmpfs, filled): a burst of events the watch cannot store, and a log
 * flood whose findings the event history cannot take, are logged in a line or two each, not a stack trace per
 * batch or per line; once space returns the history takes events again and the
 * areas are checked for what the lost events would have shown.
 */
class FullDiskTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    @Test
    void aFullDiskIsLoggedInAFewLinesAndEventsAreStoredAgainWhenSpaceReturns() throws Exception {
        Path data = Files.createDirectory(daemon.dir.resolve("data"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", data.toString())
                .redirectErrorStream(true).start();
        String why = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(mount.waitFor() == 0, "needs to mount an 8 MB tmpfs (root, mounts allowed): " + why);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        try {
            Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
            Path syslog = Files.writeString(Files.createDirectory(daemon.dir.resolve("logs")).resolve("syslog"), "");
            // The watch alone: the scheduled check is put off to 2099, so its start-up run cannot fall into the test.
            Main main = daemon.start(Map.of("vigil.database", data.resolve("vigil.db").toString(),
                    "vigil.files.scan.cron", "0 0 0 1 1 ? 2099"));
            FileEventHistory history = new FileEventHistory(Beans.database(main.getCamelContext()));
            awaitStored(history, Files.createFile(watched.resolve("first")));
            dev.vigil.store.EventLog findings = new dev.vigil.store.EventLog(Beans.database(main.getCamelContext()));
            // A log is read from its end on the first start: lines go on being added until one is classified.
            Await.until("the log followed", () -> {
                try {
                    Files.writeString(syslog, "Dec  4 00:00:00 host vigil-test: followed\n", StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return !findings.query(new dev.vigil.store.EventLog.Query(null, null, Source.LOGS, null, null)).isEmpty();
            });
            // the log is captured before the disk fills: a line the tail still had to store fails at once, and its
            // warning is the first of the minute
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            Path filler = fill(data.resolve("filler"));
            StringBuilder flood = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                flood.append("Dec  4 00:00:01 host vigil-test: line ").append(i).append('\n');
            }
            Files.writeString(syslog, flood, StandardOpenOption.APPEND);
            Await.until("the log flood's findings refused", () -> log.toString(StandardCharsets.UTF_8)
                    .contains("routing findings from logtail://logs failed"));
            for (int i = 0; i < 1000; i++) {
                Files.writeString(watched.resolve("burst-" + i), "x");
            }
            Await.until("the full disk logged", () -> log.toString(StandardCharsets.UTF_8)
                    .contains("storing and verifying events failed"));
            Files.delete(filler);
            awaitStored(history, Files.createFile(watched.resolve("after")));
            Await.until("the areas checked for the lost events", () -> findings.query(new dev.vigil.store.EventLog.Query(
                    null, null, Source.FILES, null, null)).stream().anyMatch(f -> f.kind().equals("OVERFLOW")
                    && String.valueOf(f.details().get("message")).contains("the database could not store them")));
        } finally {
            daemon.close(); // before the unmount, which the daemon's database is on
            System.setErr(stderr);
            new ProcessBuilder("umount", "-l", data.toString()).inheritIO().start().waitFor();
        }
        List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("\tat ")).toList(), "no stack trace:\n" + String.join("\n", lines));
        for (String failure : List.of("storing and verifying events failed", "routing findings from logtail://logs failed")) {
            assertTrue(lines.stream().filter(l -> l.contains(failure)).count() <= 2, "a line a minute at most:\n" + String.join("\n", lines));
        }
    }

    /** Waits for the raw events of {@code file} to be in the history. */
    private static void awaitStored(FileEventHistory history, Path file) throws InterruptedException {
        Await.until("the events of " + file + " stored", () -> !history.query(new FileEventHistory.Query(
                null, null, file.toString(), null, null, null, null)).isEmpty());
    }

    /** Writes {@code file} until the file system holding it is full. */
    private static Path fill(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] block = new byte[4096];
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        return file;
    }
}

package dev.vigil.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands as a script or cron job sees them: output and exit status. */
class CliTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private int vigil(String... args) {
        out.reset();
        err.reset();
        var cl = VigilCommand.commandLine();
        cl.setErr(new java.io.PrintWriter(System.err, true));
        return cl.execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void checkExitsZeroWhenCleanOneOnDifferencesTwoOnError() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("etc"));
        Files.writeString(tree.resolve("passwd"), "root:x:0:0\n");
        String db = dir.resolve("v.db").toString();
        assertEquals(0, vigil("baseline", "--db", db, tree.toString()));
        assertEquals(0, vigil("check", "--db", db));
        assertTrue(out().contains("No differences"), out());

        Files.writeString(tree.resolve("passwd"), "root:x:0:0\nevil:x:0:0\n");
        assertEquals(1, vigil("check", "--db", db, "--format", "ndjson"));
        String line = out().lines().filter(l -> l.contains("passwd")).findFirst().orElseThrow();
        assertTrue(line.contains("\"kind\":\"MODIFIED\"") && line.contains("\"hash\":{\"before\""), line);

        assertEquals(0, vigil("accept", "--db", db, "--all"));
        assertEquals(0, vigil("check", "--db", db));

        assertEquals(2, vigil("check", "--db", dir.resolve("empty.db").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no baseline yet"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, vigil("check", "--format", "xml", "--db", db), "a usage error is an error too");
    }

    @Test
    void aDatabaseInsideTheCheckedTreeIsLeftOutOfItsOwnBaselineAndChecks() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("root"));
        Files.writeString(tree.resolve(".profile"), "umask 022\n");
        String db = Files.createDirectories(tree.resolve("vigil/data")).resolve("vigil.db").toString();
        assertEquals(0, vigil("baseline", "--db", db, tree.toString()));
        new dev.vigil.store.EventLog(dev.vigil.store.Database.open(Path.of(db))).record(new dev.vigil.alert.Finding(
                "files", "MODIFIED", "/etc/hosts", "h", java.time.Instant.now(), dev.vigil.alert.Severity.WARNING, java.util.Map.of()));

        assertEquals(0, vigil("check", "--db", db, "--paranoid"), out());
        assertEquals(0, vigil("scan", tree.toString(), "--output", dir.resolve("scan.ndjson").toString()));
        assertTrue(Files.readString(dir.resolve("scan.ndjson")).contains("vigil.db"),
                "a plain scan has no database of its own to leave out");
    }

    @Test
    void scanReportsEachEntryItCannotReadAndSaysHowManyAtTheEnd() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("deep"));
        Files.writeString(tree.resolve("readable"), "r");
        dev.vigil.fim.Tools.entriesBeyondPathMax(tree, 2);
        try {
            Path output = dir.resolve("scan.ndjson");
            assertEquals(0, vigil("scan", tree.toString(), "--output", output.toString()));
            String said = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, said.lines().filter(l -> l.contains("File name too long")).count(), said);
            assertTrue(said.endsWith("vigil: 2 entries could not be read completely\n"), said);
            assertTrue(Files.readString(output).contains("readable"), "the scan went on");
        } finally {
            dev.vigil.fim.Tools.removeTree(tree);
        }
    }

    @Test
    void scanCompareListsModifiedAddedDeletedAgainstAnEarlierScan() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("t"));
        Files.writeString(tree.resolve("a"), "1");
        Files.writeString(tree.resolve("b"), "2");
        Path earlier = dir.resolve("earlier.ndjson");
        assertEquals(0, vigil("scan", tree.toString(), "--output", earlier.toString()));
        assertTrue(Files.readString(earlier).contains("\"checksum\":\"6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b\""));

        Files.writeString(tree.resolve("a"), "changed");
        Files.delete(tree.resolve("b"));
        Files.writeString(tree.resolve("c"), "3");
        assertEquals(1, vigil("scan", tree.toString(), "--compare", earlier.toString()));
        assertTrue(out().contains("Modified: " + tree.resolve("a")), out());
        assertTrue(out().contains("Deleted: " + tree.resolve("b")), out());
        assertTrue(out().contains("Added: " + tree.resolve("c")), out());
    }

    @Test
    void eventsUntilATimeAreThoseBeforeItAsAnAgeOrAnInstant() {
        Path db = dir.resolve("v.db");
        var log = new dev.vigil.store.EventLog(dev.vigil.store.Database.open(db));
        java.time.Instant now = java.time.Instant.now();
        java.time.Instant noon = java.time.Instant.parse("2026-01-02T12:00:00Z");
        for (var f : List.of(new String[] {"/etc/old", noon.minusSeconds(60).toString()}, new String[] {"/etc/noon", noon.toString()},
                new String[] {"/etc/hour-ago", now.minusSeconds(3600 + 600).toString()}, new String[] {"/etc/now", now.toString()})) {
            log.record(new dev.vigil.alert.Finding("files", "MODIFIED", f[0], "h", java.time.Instant.parse(f[1]),
                    dev.vigil.alert.Severity.WARNING, java.util.Map.of()));
        }

        assertEquals(0, vigil("events", "--db", db.toString(), "--until", "2026-01-02T12:00:00Z"));
        assertEquals(List.of("/etc/old"), subjects(), "an event at the --until instant itself is left out");

        assertEquals(0, vigil("events", "--db", db.toString(), "--until", "1h"));
        assertEquals(List.of("/etc/old", "/etc/noon", "/etc/hour-ago"), subjects(), "older than an hour");

        assertEquals(0, vigil("events", "--db", db.toString(), "--since", "2026-01-02T12:00:00Z", "--until", "1h", "--format", "json"));
        assertEquals(2, out().lines().count(), out());
        assertTrue(out().contains("\"subject\":\"/etc/noon\"") && out().contains("\"subject\":\"/etc/hour-ago\""), out());
    }

    /** The subject (last field) of each line of text output. */
    private List<String> subjects() {
        return out().lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
    }

    @Test
    void eventsAreFilteredBySourceKindPathAndTimeInEachFormat() {
        Path db = dir.resolve("v.db");
        var log = new dev.vigil.store.EventLog(dev.vigil.store.Database.open(db));
        java.time.Instant old = java.time.Instant.now().minusSeconds(7200);
        log.record(new dev.vigil.alert.Finding("files", "MODIFIED", "/etc/passwd", "h", old, dev.vigil.alert.Severity.WARNING, java.util.Map.of()));
        log.record(new dev.vigil.alert.Finding("files", "DELETED", "/etc/group", "h", java.time.Instant.now(), dev.vigil.alert.Severity.WARNING, java.util.Map.of()));
        log.record(new dev.vigil.alert.Finding("pids", "DIED", "/run/a,b.pid", "h", java.time.Instant.now(), dev.vigil.alert.Severity.WARNING, java.util.Map.of()));

        assertEquals(0, vigil("events", "--db", db.toString(), "--since", "1h", "--source", "files"));
        assertEquals(List.of("/etc/group"), out().lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList());

        assertEquals(0, vigil("events", "--db", db.toString(), "--kind", "modified,died", "--format", "csv"));
        assertEquals(3, out().lines().count(), out());
        assertTrue(out().contains(",DIED,WARNING,h,\"/run/a,b.pid\""), "CSV quotes a field with a comma: " + out());

        assertEquals(0, vigil("events", "--db", db.toString(), "--path", "/etc/*", "--format", "json"));
        assertEquals(2, out().lines().count());
        assertTrue(out().lines().allMatch(l -> l.startsWith("{\"source\":\"files\"") || l.contains("\"subject\":\"/etc/")), out());
    }
}

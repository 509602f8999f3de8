package dev.vigil.cli;

import dev.vigil.alert.Source;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.ChildJvm;
import dev.vigil.camel.daemon.DaemonConfiguration;
import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.RecordJson;
import dev.vigil.store.Database;
import dev.vigil.store.SqliteBaseline;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        var cl = VigilCommand.commandLine(args);
        cl.setErr(new java.io.PrintWriter(System.err, true));
        return cl.execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryCommandAndAnUnknownOneIsAUsageError() {
        assertEquals(0, vigil("--help"));
        for (String command : List.of("run", "scan", "baseline", "check", "accept", "events", "outbox", "logcheck",
                "test-alert", "config", "db")) {
            assertTrue(out().contains("\n  " + command + " "), command + " in\n" + out());
        }
        assertEquals(0, vigil("check", "--help"));
        assertTrue(out().contains("--paranoid"), out());
        assertEquals(2, vigil("chek"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("chek"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checkExitsZeroWhenCleanOneOnDifferencesTwoOnError() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("etc"));
        Files.writeString(tree.resolve("passwd"), "root:x:0:0\n");
        String db = dir.resolve("v.db").toString();
        assertEquals(0, vigil("baseline", "--db", db, tree.toString()));
        assertFalse(Files.exists(Path.of(db + "-wal")), "the command closed its database: its writes are in the file");
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
                Source.FILES, "MODIFIED", "/etc/hosts", "h", java.time.Instant.now(), dev.vigil.alert.Severity.WARNING, java.util.Map.of()));

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
    void scanComparesAgainstAnArgusScanOnArgussFieldsOnly() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("t"));
        Files.createDirectories(tree.resolve("sub"));
        Path a = Files.writeString(tree.resolve("a"), "1");
        Path b = Files.writeString(tree.resolve("sub/b"), "2");
        Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2024-01-02T03:04:05.678Z")));
        // What Argus writes: regular files only, four fields, the time in whole seconds.
        Path earlier = dir.resolve("argus.ndjson");
        Files.write(earlier, List.of(
                "{\"path\":\"" + a + "\",\"checksum\":\"6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b\",\"size\":1,\"timestamp\":\"2024-01-02T03:04:05Z\"}",
                "{\"path\":\"" + b + "\",\"checksum\":\"d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35\",\"size\":1,\"timestamp\":\""
                        + Files.getLastModifiedTime(b).toInstant() + "\"}"));
        assertEquals(0, vigil("scan", tree.toString(), "--compare", earlier.toString()));
        assertEquals("No differences.\n", out(), "nothing Argus records has changed");

        Files.writeString(b, "3");
        Files.writeString(tree.resolve("c"), "4");
        assertEquals(1, vigil("scan", tree.toString(), "--compare", earlier.toString()));
        List<String> lines = out().lines().toList();
        assertEquals("2 differences: 1 added, 0 deleted, 1 modified, 0 attributes only.", lines.get(0), out());
        // of Argus's fields: the checksum, and the timestamp where the clock moved on between the two writes
        assertEquals(List.of("Added: " + tree.resolve("c"), "Modified: " + b), lines.subList(2, lines.size()).stream()
                .map(l -> l.replaceFirst(" \\((mtime, )?hash\\)$", "")).sorted().toList());
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
        assertEquals(7, vigil("scan", tree.toString(), "--compare", earlier.toString(), "--exit-code=aide"),
                "AIDE's scheme: 1 added + 2 deleted + 4 changed");
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
            log.record(new dev.vigil.alert.Finding(Source.FILES, "MODIFIED", f[0], "h", java.time.Instant.parse(f[1]),
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
        log.record(new dev.vigil.alert.Finding(Source.FILES, "MODIFIED", "/etc/passwd", "h", old, dev.vigil.alert.Severity.WARNING, java.util.Map.of()));
        log.record(new dev.vigil.alert.Finding(Source.FILES, "DELETED", "/etc/group", "h", java.time.Instant.now(), dev.vigil.alert.Severity.WARNING, java.util.Map.of()));
        log.record(new dev.vigil.alert.Finding(Source.PIDS, "DIED", "/run/a,b.pid", "h", java.time.Instant.now(), dev.vigil.alert.Severity.WARNING, java.util.Map.of()));

        assertEquals(0, vigil("events", "--db", db.toString(), "--since", "1h", "--source", "files"));
        assertEquals(List.of("/etc/group"), out().lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList());

        assertEquals(0, vigil("events", "--db", db.toString(), "--kind", "modified,died", "--format", "csv"));
        assertEquals(3, out().lines().count(), out());
        assertTrue(out().contains(",DIED,WARNING,h,\"/run/a,b.pid\""), "CSV quotes a field with a comma: " + out());

        assertEquals(0, vigil("events", "--db", db.toString(), "--path", "/etc/*", "--format", "json"));
        assertEquals(2, out().lines().count());
        assertTrue(out().lines().allMatch(l -> l.startsWith("{\"source\":\"files\"") || l.contains("\"subject\":\"/etc/")), out());
    }

    /** A file name or a log line, or what a fleet host sent, cannot send escape sequences to the terminal listing it. */
    @Test
    void eventsShowControlCharactersOfSubjectsAndKindsAsEscapes() {
        Path db = dir.resolve("v.db");
        var log = new dev.vigil.store.EventLog(dev.vigil.store.Database.open(db));
        log.record(new dev.vigil.alert.Finding(Source.LOGS, "SYSTEM_EVENT\u001b[8m", "cron: \u001b]0;owned\u0007\u001b[2J",
                "h", java.time.Instant.now(), dev.vigil.alert.Severity.WARNING, java.util.Map.of()));

        for (String format : List.of("text", "csv")) {
            assertEquals(0, vigil("events", "--db", db.toString(), "--format", format));
            assertFalse(out().contains("\u001b") || out().contains("\u0007"), out());
            assertTrue(out().contains("cron: \\x1b]0;owned\\x07\\x1b[2J"), out());
            assertTrue(out().contains("SYSTEM_EVENT\\x1b[8m"), out());
        }
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String hex(String algorithm, String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** The NDJSON lines of a scan output file, parsed. */
    private static List<JsonNode> ndjson(Path file) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(RecordJson.mapper().readTree(line));
        }
        return out;
    }

    /** A directory with two files: three entries in a baseline, the directory itself included. */
    private Path twoFileTree() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("etc"));
        Files.writeString(tree.resolve("hosts"), "127.0.0.1 localhost\n");
        Files.writeString(tree.resolve("passwd"), "root:x:0:0\n");
        return tree;
    }

    @Test
    void dbStatsNamesTheEntryCountTheHashTheSealAndTheLastBaselineAndCheckRunsNewestFirst() throws Exception {
        Path tree = twoFileTree();
        String db = dir.resolve("v.db").toString();
        assertEquals(0, vigil("baseline", "--db", db, tree.toString()));
        assertEquals(0, vigil("check", "--db", db));

        assertEquals(0, vigil("db", "stats", "--db", db));
        List<String> lines = out().lines().toList();
        assertEquals("Database:   " + Path.of(db).toAbsolutePath() + " (schema " + Database.open(Path.of(db)).schemaVersion() + ")",
                lines.get(0));
        assertTrue(lines.get(1).startsWith("Baseline:   3 entries, ") && lines.get(1).endsWith(" MB of file content, hash sha256"),
                lines.get(1));
        assertTrue(lines.get(2).matches("Seal:       \\p{XDigit}{64} over 3 rows, changed \\S+, not verified since"), lines.get(2));
        assertEquals("Last runs:", lines.get(3));
        assertEquals(6, lines.size(), out());
        assertTrue(lines.get(4).matches("  check +\\S+ +3 entries +\\S+ MB +\\S+s 0 errors  " + java.util.regex.Pattern.quote(tree.toString())),
                lines.get(4));
        assertTrue(lines.get(5).matches("  baseline +\\S+ +3 entries +\\S+ MB +\\S+s 0 errors  " + java.util.regex.Pattern.quote(tree.toString())),
                lines.get(5));
    }

    @Test
    void scanHashesWithSha512OrSha3AndABaselineRefusesACheckWithAnotherAlgorithm() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("t"));
        Files.writeString(tree.resolve("f"), "some content\n");
        for (String[] alg : List.of(new String[] {"sha512", "SHA-512"}, new String[] {"sha3-256", "SHA3-256"})) {
            Path output = dir.resolve(alg[0] + ".ndjson");
            assertEquals(0, vigil("scan", tree.toString(), "--hash", alg[0], "--output", output.toString()), err());
            JsonNode file = ndjson(output).stream().filter(n -> n.get("path").asText().endsWith("/f")).findFirst().orElseThrow();
            assertEquals(hex(alg[1], "some content\n"), file.get("checksum").asText(), alg[0]);
        }

        String db = dir.resolve("v.db").toString();
        assertEquals(0, vigil("baseline", "--db", db, "--hash", "sha512", tree.toString()));
        assertEquals(0, vigil("check", "--db", db, "--hash", "sha512"), out());
        assertEquals(2, vigil("check", "--db", db, "--hash", "sha3-256"));
        assertTrue(err().contains("the baseline was taken with sha512, not sha3-256"), err());
        assertEquals(2, vigil("check", "--db", db));
        assertTrue(err().contains("the baseline was taken with sha512, not sha256"), err());
        assertEquals(2, vigil("baseline", "--db", db, tree.toString()), "a new baseline over it with another algorithm is refused too");
        assertTrue(err().contains("the baseline was taken with sha512; take it again with --hash sha512"), err());
    }

    @Test
    void excludedEntriesAreLeftOutOfScanOutputBaselineAndCheckOnOneThread() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("t"));
        Files.writeString(tree.resolve("keep.conf"), "k\n");
        Files.writeString(tree.resolve("debug.log"), "d\n");
        Files.createDirectories(tree.resolve("cache/deep"));
        Files.writeString(tree.resolve("cache/deep/blob"), "b\n");
        String[] excludes = {"--exclude", "*.log", "--exclude", tree + "/cache", "--threads", "1"};

        Path output = dir.resolve("scan.ndjson");
        assertEquals(0, vigil(concat(new String[] {"scan", tree.toString(), "--output", output.toString()}, excludes)), err());
        assertEquals(List.of(tree.toString(), tree + "/keep.conf"),
                ndjson(output).stream().map(n -> n.get("path").asText()).sorted().toList());

        String db = dir.resolve("v.db").toString();
        assertEquals(0, vigil(concat(new String[] {"baseline", "--db", db, tree.toString()}, excludes)));
        Files.writeString(tree.resolve("debug.log"), "more debug\n");
        Files.writeString(tree.resolve("cache/deep/blob"), "other\n");
        Files.writeString(tree.resolve("cache/new"), "n\n");
        assertEquals(0, vigil(concat(new String[] {"check", "--db", db, "--paranoid"}, excludes)), out());
        assertTrue(out().contains("No differences"), out());

        assertEquals(1, vigil("check", "--db", db, "--threads", "1"), "without the excludes they were never in the baseline");
        assertTrue(out().contains("ADDED      " + tree.resolve("debug.log")), out());
        assertTrue(out().contains("ADDED      " + tree.resolve("cache/deep/blob")), out());
        assertFalse(out().contains("keep.conf"), out());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void checkPrintsAModifiedFileWithHashAndSizeBeforeAndAfterAsTextAndAsJson() throws Exception {
        Path tree = twoFileTree();
        Path passwd = tree.resolve("passwd");
        String db = dir.resolve("v.db").toString();
        assertEquals(0, vigil("baseline", "--db", db, tree.toString()));
        Files.writeString(passwd, "root:x:0:0\nevil:x:0:0\n");
        String before = hex("SHA-256", "root:x:0:0\n");
        String after = hex("SHA-256", "root:x:0:0\nevil:x:0:0\n");

        assertEquals(1, vigil("check", "--db", db));
        List<String> text = out().lines().toList();
        assertEquals("1 difference: 0 added, 0 deleted, 1 modified, 0 attributes only.", text.get(0), "the summary comes first");
        assertTrue(text.get(2).startsWith("MODIFIED   " + passwd + " (size, ") && text.get(2).endsWith("hash)"), out());
        assertTrue(text.contains("    hash         " + before + " -> " + after), out());
        assertTrue(text.contains("    size         11 -> 22"), out());

        assertEquals(1, vigil("check", "--db", db, "--format", "json"));
        JsonNode changes = RecordJson.mapper().readTree(out());
        assertEquals(1, changes.size(), out());
        JsonNode c = changes.get(0);
        assertEquals(passwd.toString(), c.get("path").asText());
        assertEquals("MODIFIED", c.get("kind").asText());
        assertEquals(before, c.at("/attributes/hash/before").asText());
        assertEquals(after, c.at("/attributes/hash/after").asText());
        assertEquals("11", c.at("/attributes/size/before").asText());
        assertEquals("22", c.at("/attributes/size/after").asText());
        assertEquals(after, c.at("/after/checksum").asText());
        assertEquals(22, c.at("/after/size").asLong());
    }

    @Test
    void paranoidCheckReportsContentChangesAndAcceptOfOnePathLeavesTheOtherReported() throws Exception {
        Path tree = twoFileTree();
        Path hosts = tree.resolve("hosts");
        Path passwd = tree.resolve("passwd");
        String db = dir.resolve("v.db").toString();
        assertEquals(0, vigil("baseline", "--db", db, tree.toString()));
        Files.writeString(hosts, "10.0.0.66 localhost\n");
        Files.writeString(passwd, "toor:x:0:0\n");

        assertEquals(1, vigil("check", "--db", db, "--paranoid", "--format", "ndjson"));
        List<JsonNode> changes = new java.util.ArrayList<>();
        for (String line : out().lines().toList()) {
            changes.add(RecordJson.mapper().readTree(line));
        }
        assertEquals(List.of(hosts.toString(), passwd.toString()), changes.stream().map(n -> n.get("path").asText()).toList());
        assertTrue(changes.stream().allMatch(n -> n.get("kind").asText().equals("MODIFIED")), out());
        assertEquals(hex("SHA-256", "toor:x:0:0\n"), changes.get(1).at("/attributes/hash/after").asText());
        assertEquals(hex("SHA-256", "root:x:0:0\n"), changes.get(1).at("/attributes/hash/before").asText());

        assertEquals(0, vigil("accept", "--db", db, passwd.toString()));
        assertEquals("Accepted 1 entry under " + passwd + ".", out().strip());
        assertEquals(1, vigil("check", "--db", db, "--paranoid"));
        assertTrue(out().contains("MODIFIED   " + hosts), out());
        assertFalse(out().contains(passwd.toString()), out());
        assertTrue(out().contains("1 difference: 0 added, 0 deleted, 1 modified"), out());
    }

    @Test
    void eachRunIsRecordedWithItsKindAreaEntriesBytesAndTimes() throws Exception {
        Path tree = twoFileTree();
        long bytes = Files.size(tree.resolve("hosts")) + Files.size(tree.resolve("passwd"));
        Path db = dir.resolve("v.db");
        assertEquals(0, vigil("baseline", "--db", db.toString(), tree.toString()));
        assertEquals(0, vigil("check", "--db", db.toString()));
        assertEquals(0, vigil("check", "--db", db.toString(), "--paranoid"));

        SqliteBaseline store = new SqliteBaseline(Database.open(db));
        String area = Integrity.areaName(Integrity.normalise(List.of(tree)));
        assertEquals(tree.toString(), area);
        BaselineStore.ScanRun baseline = store.lastRun("baseline", area).orElseThrow();
        BaselineStore.ScanRun quick = store.lastRun("check", area).orElseThrow();
        BaselineStore.ScanRun paranoid = store.lastRun("check-paranoid", area).orElseThrow();
        for (BaselineStore.ScanRun run : List.of(baseline, quick, paranoid)) {
            assertEquals(area, run.area());
            assertEquals(3, run.entries(), run.toString());
            assertEquals(0, run.errors(), run.toString());
            assertFalse(run.finished().isBefore(run.started()), run.toString());
        }
        assertEquals(bytes, baseline.bytes());
        assertEquals(0, quick.bytes(), "a quick check of an unchanged tree re-hashes nothing");
        assertEquals(bytes, paranoid.bytes());
        assertFalse(quick.started().isBefore(baseline.finished()), quick + " after " + baseline);
        assertEquals(List.of("check-paranoid", "check", "baseline"), store.recentRuns(10).stream().map(BaselineStore.ScanRun::kind).toList());
        assertTrue(store.lastRun("baseline", area + "/elsewhere").isEmpty());
    }

    @Test
    void oneFileSystemScanStaysOffAFileSystemMountedInsideTheTree() throws Exception {
        Path outer = Path.of("/dev");
        Path inner = outer.resolve("shm");
        Assumptions.assumeTrue(Files.isDirectory(inner) && Files.isWritable(inner)
                        && !Files.getAttribute(outer, "unix:dev").equals(Files.getAttribute(inner, "unix:dev")),
                "needs a writable /dev/shm mounted apart from /dev, as Linux has it, to scan across a mount without mounting one");
        Path marker = Files.createTempFile(inner, "vigil-onefs", ".txt");
        try {
            Path whole = dir.resolve("whole.ndjson");
            Path one = dir.resolve("one.ndjson");
            assertEquals(0, vigil("scan", outer.toString(), "--output", whole.toString()), err());
            assertEquals(0, vigil("scan", outer.toString(), "-x", "--output", one.toString()), err());
            assertTrue(Files.readString(whole).contains("\"path\":\"" + marker + "\""), "without -x the scan goes into " + inner);
            assertFalse(Files.readString(one).contains(marker.toString()), "with -x it does not");
            assertTrue(ndjson(one).stream().anyMatch(n -> n.get("path").asText().equals(outer.resolve("null").toString())),
                    "the rest of the tree is still scanned");
        } finally {
            Files.delete(marker);
        }
    }

    // Ignore files an attacker writes: a user who can write a directory of a checked area (a service's
    // configuration directory it owns, say) must not be able to hide changes with a `.vigilignore`.

    /** A baselined directory of two files, as a service's configuration directory, mode 0755. */
    private Path configDirectory(String db) throws Exception {
        Path tree = Files.createDirectory(dir.resolve("postgresql"));
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(tree.resolve("postgresql.conf"), "listen_addresses = 'localhost'\n");
        Files.writeString(tree.resolve("pg_hba.conf"), "local all all peer\n");
        assertEquals(0, vigil("baseline", "--db", db, tree.toString()));
        return tree;
    }

    /** A modified, a deleted and an added file beside the ignore file. */
    private static void tamper(Path tree) throws Exception {
        Files.writeString(tree.resolve("postgresql.conf"), "listen_addresses = '*'\n");
        Files.delete(tree.resolve("pg_hba.conf"));
        Files.writeString(tree.resolve("backdoor.sql"), "CREATE ROLE evil SUPERUSER;\n");
    }

    private void assertTamperingReported(Path tree, String check) {
        assertTrue(out().contains("MODIFIED   " + tree.resolve("postgresql.conf")), check + ":\n" + out());
        assertTrue(out().contains("DELETED    " + tree.resolve("pg_hba.conf")), check + ":\n" + out());
        assertTrue(out().contains("ADDED      " + tree.resolve("backdoor.sql")), check + ":\n" + out());
    }

    @Test
    void anIgnoreFileOfStarWrittenByAnotherUserHidesNothingAndIsReportedByCheckAndParanoidCheck() throws Exception {
        String db = dir.resolve("v.db").toString();
        Path tree = configDirectory(db);
        Path ignore = Files.writeString(tree.resolve(".vigilignore"), "*\n");
        Files.setAttribute(ignore, "unix:uid", 65534);
        tamper(tree);

        for (String check : new String[] {"check", "--paranoid"}) {
            int status = check.equals("check") ? vigil("check", "--db", db) : vigil("check", "--db", db, "--paranoid");
            assertEquals(1, status, out());
            assertTamperingReported(tree, check);
            assertTrue(out().contains("UNTRUSTED_IGNORE " + ignore + "\n    not applied: owned by uid 65534, not root\n"), out());
            assertTrue(out().contains(", 1 ignore file not applied."), out());
        }
    }

    @Test
    void aTrustedIgnoreFileOfStarNeverHidesItsOwnChangesNorItsRemoval() throws Exception {
        String db = dir.resolve("v.db").toString();
        Path tree = configDirectory(db);
        Path ignore = Files.writeString(tree.resolve(".vigilignore"), "*\n");
        assertEquals(0, vigil("accept", "--db", db, "--all"));
        assertEquals(0, vigil("check", "--db", db), out());

        Files.writeString(ignore, "*\n!postgresql.conf\n");
        assertEquals(1, vigil("check", "--db", db, "--paranoid"));
        assertTrue(out().contains("MODIFIED   " + ignore), out());

        Files.delete(ignore);
        assertEquals(1, vigil("check", "--db", db));
        assertTrue(out().contains("DELETED    " + ignore), out());
    }

    @ParameterizedTest(name = "ignore file mode {0}, its directory mode {1}")
    @CsvSource({"rw-rw-rw-, rwxr-xr-x, writable by others (mode 0666)",
            "rw-rw-r--, rwxr-xr-x, writable by its group (mode 0664)",
            "rw-r--r--, rwxrwxrwx, its directory is writable by others (mode 0777)",
            "rw-r--r--, rwxrwxrwt, its directory is writable by others (mode 1777)"})
    void anIgnoreFileOthersCanWriteIsReportedAndNotApplied(String fileMode, String dirMode, String reason) throws Exception {
        String db = dir.resolve("v.db").toString();
        Path tree = configDirectory(db);
        Path ignore = Files.writeString(tree.resolve(".vigilignore"), "*.sql\n");
        Files.setPosixFilePermissions(ignore, PosixFilePermissions.fromString(fileMode));
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString(dirMode.replace('t', 'x')));
        if (dirMode.endsWith("t")) {
            assertEquals(0, new ProcessBuilder("chmod", "+t", tree.toString()).start().waitFor());
        }
        tamper(tree);

        assertEquals(1, vigil("check", "--db", db));
        assertTamperingReported(tree, "check");
        assertTrue(out().contains("UNTRUSTED_IGNORE " + ignore + "\n    not applied: " + reason + "\n"), out());
    }

    @Test
    void aHugeSparseIgnoreFileIsReportedAndNotApplied() throws Exception {
        String db = dir.resolve("v.db").toString();
        Path tree = configDirectory(db);
        Path ignore = Files.writeString(tree.resolve(".vigilignore"), "*.sql\n");
        try (RandomAccessFile f = new RandomAccessFile(ignore.toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        tamper(tree);

        assertEquals(1, vigil("check", "--db", db));
        assertTamperingReported(tree, "check");
        assertTrue(out().contains("UNTRUSTED_IGNORE " + ignore + "\n    not applied: larger than 64 KiB\n"), out());
    }

    /**
     * A short config file in an install without config/vigil.properties, as a new user writes it: {@code vigil config}
     * and {@code vigil run} on it.
     */
    @Nested
    class ShortConfig {

        @RegisterExtension
        final InstallDirectory install = new InstallDirectory();

        private Path home;
        private final Path routes = Path.of("routes").toAbsolutePath();
        private final Path rules = Path.of("logrules").toAbsolutePath();

        @BeforeEach
        void install() {
            home = install.home;
        }

        private Path config(String text) throws Exception {
            return Files.writeString(home.resolve("my.properties"), text);
        }

        /** The three keys a user names: what to check, which rules, which log. */
        private Path threeKeys() throws Exception {
            Files.createDirectories(home.resolve("watched"));
            return config("vigil.files.areas=" + home.resolve("watched") + "\nvigil.logs.rules=" + rules
                    + "\nvigil.logs.files=" + home.resolve("syslog") + "\n");
        }

        @Test
        void aConfigWithThreeKeysStartsTheDaemon() throws Exception {
            Path config = threeKeys();
            Main main = RunCommand.daemon(VigilHome.load(config), routes, new DaemonConfiguration());
            try {
                main.start();
                assertTrue(main.getCamelContext().getRouteController().getRouteStatus("files-check").isStarted());
                assertTrue(main.getCamelContext().getRouteController().getRouteStatus("logs-check").isStarted());
                assertTrue(Files.exists(home.resolve("data/vigil.db")), "the default database, in the install directory");
            } finally {
                main.stop();
            }
        }

        @Test
        void configShowsWhereEachValueCameFromAndTheHostName() throws Exception {
            Path config = threeKeys();

            assertEquals(0, vigil("config", "--config", config.toString()), err());

            assertTrue(out().contains("# built-in default\n"), out());
            assertTrue(out().contains("vigil.history.keep=90d\n"), out());
            assertTrue(out().contains("# " + config + ":2\nvigil.logs.rules=" + rules + "\n"), out());
            assertTrue(out().contains("vigil.host=" + InetAddress.getLocalHost().getHostName() + "\n"), out());
            assertTrue(out().contains("# this machine's name (vigil.host is empty)\n"), out());
        }

        @Test
        void aSystemPropertyOverridesTheFile() throws Exception {
            Path config = config("vigil.logs.level=workstation\n");
            System.setProperty("vigil.logs.level", "paranoid");
            try {
                assertEquals(0, vigil("config", "--config", config.toString()), err());
            } finally {
                System.clearProperty("vigil.logs.level");
            }
            assertTrue(out().contains("# -Dvigil.logs.level\nvigil.logs.level=paranoid\n"), out());
        }

        @Test
        void anEnvironmentVariableOverridesTheFileAndABadOneIsNamed() throws Exception {
            Path config = config("vigil.logs.level=workstation\n");
            List<String> jvm = List.of("-Dvigil.home=" + home);

            ChildJvm.Ended ended = ChildJvm.vigil(jvm, Map.of("VIGIL_LOGS_LEVEL", "loud"), home.resolve("err"),
                    "config", "--config", config.toString());

            assertEquals(1, ended.status(), ended.err());
            assertEquals("vigil: environment VIGIL_LOGS_LEVEL: vigil.logs.level=loud is not paranoid, server or workstation\n",
                    ended.err());
            assertEquals(0, ChildJvm.vigil(jvm, Map.of("VIGIL_LOGS_LEVEL", "paranoid"), home.resolve("err"),
                    "config", "--config", config.toString()).status());
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "vigil.logs.levle=paranoid|1: unknown configuration key 'vigil.logs.levle'",
                "vigil.files.scan.interval=5 minutes|1: vigil.files.scan.interval=5 minutes is not a duration"})
        void aMisspeltKeyOrABadValueIsRefusedByConfigAndByRunNamingTheLine(String line, String problem) throws Exception {
            Path config = config(line + "\n");

            assertEquals(1, vigil("config", "--config", config.toString()));
            assertTrue(err().contains(config + ":" + problem), err());

            assertEquals(2, vigil("run", "--config", config.toString(), "--routes", routes.toString()));
            assertTrue(err().contains(config + ":" + problem), err());
            assertEquals(1, err().lines().count(), err());
        }
    }
}

package dev.vigil.store;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.fim.Change;
import dev.vigil.fim.ChangeKind;
import dev.vigil.fim.FileRecord;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.NoProblemsSink;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.RecordJson;
import dev.vigil.fim.ReportMark;
import dev.vigil.fim.ScanOptions;
import dev.vigil.fim.ScanStats;
import dev.vigil.fim.Scanner;
import dev.vigil.os.PathBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteBaselineTest {

    @TempDir
    Path dir;

    private static final Scanner.Sink QUIET = NoProblemsSink.INSTANCE;

    private List<Change> check(Integrity integrity, Path root, boolean paranoid) {
        List<Change> changes = new ArrayList<>();
        integrity.check(List.of(root), paranoid, QUIET, new ScanStats(), changes::add);
        return changes;
    }

    @Test
    void databaseIsPrivateInWalModeAndVersioned() throws Exception {
        Database db = Database.open(dir.resolve("data/vigil.db"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db.file())));
        assertEquals(Database.MIGRATIONS.size(), db.schemaVersion());
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertEquals("wal", rs.getString(1));
        }
        assertEquals(Database.MIGRATIONS.size(), Database.open(db.file()).schemaVersion(), "reopening migrates nothing twice");
    }

    @Test
    void aTricklesVerificationsAreReadBeforeTheyAreWrittenKeptAcrossConnectionsAndApartFromAnothersName() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        for (String name : List.of("a", "b", "c")) {
            Files.writeString(tree.resolve(name), name);
        }
        // a sibling whose name sorts between the root and the entries below it
        Path sibling = Files.createDirectory(dir.resolve("tree-x"));
        Files.writeString(sibling.resolve("d"), "d");
        Database db = Database.open(dir.resolve("v.db"));
        SqliteBaseline store = new SqliteBaseline(db);
        new Integrity(store, ScanOptions.defaults(), PathPolicy.none()).baseline(List.of(tree, sibling), QUIET, new ScanStats());
        byte[] root = PathBytes.of(tree);
        byte[] a = PathBytes.of(tree.resolve("a"));
        byte[] b = PathBytes.of(tree.resolve("b"));
        byte[] c = PathBytes.of(tree.resolve("c"));
        try (var order = store.verifications("one")) {
            order.record(b, 1);
            order.record(a, 2);
            order.record(c, 3);
            order.forget(c);
            assertEquals(2, order.verified(a), "read before it is written");
            assertEquals(0, order.verified(c));
        }
        try (var order = store.verifications("one"); var other = store.verifications("two")) {
            assertEquals(2, order.latest(), "written when closed, read on a new connection");
            assertEquals(List.of(PathBytes.escape(b), PathBytes.escape(a)),
                    order.oldest(0, 2, 10).stream().map(v -> PathBytes.escape(v.path())).toList(), "longest since verified first");
            assertEquals(List.of(PathBytes.escape(a)), order.oldest(1, 2, 10).stream().map(v -> PathBytes.escape(v.path())).toList());
            assertEquals(List.of(PathBytes.escape(root), PathBytes.escape(c)),
                    order.unverified(root, new byte[0], 0, 10).stream().map(r -> PathBytes.escape(r.path())).toList(),
                    "the baseline below the root not verified since 0, without the sibling's");
            assertEquals(List.of(PathBytes.escape(c)),
                    order.unverified(root, root, 0, 10).stream().map(r -> PathBytes.escape(r.path())).toList(), "after the root");
            assertEquals(List.of(PathBytes.escape(b), PathBytes.escape(c)),
                    order.unverified(root, new byte[0], 1, 10).stream().skip(1).map(r -> PathBytes.escape(r.path())).toList(),
                    "b was verified at 1, not after");
            assertEquals(0, other.latest());
            assertEquals(0, other.verified(a), "another name's order is its own");
        }
    }

    @Test
    void oddNamesRoundTripByteExactThroughDatabaseAndNdjson() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        byte[] odd = PathBytes.child(PathBytes.of(tree), "x\u00ff\n%y".getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(PathBytes.toPath(odd), "content");
        Files.createSymbolicLink(tree.resolve("link"), PathBytes.toPath(PathBytes.child(PathBytes.of(tree), new byte[]{(byte) 0xE9})));
        Integrity integrity = new Integrity(new SqliteBaseline(Database.open(dir.resolve("v.db"))), ScanOptions.defaults(), PathPolicy.none());
        integrity.baseline(List.of(tree), QUIET, new ScanStats());
        assertEquals(List.of(), check(integrity, tree, true), "the stored names match the tree byte for byte");

        try (var cursor = new SqliteBaseline(Database.open(dir.resolve("v.db"))).read(PathBytes.of(tree))) {
            while (cursor.hasNext()) {
                FileRecord r = cursor.next();
                String line = RecordJson.mapper().writeValueAsString(RecordJson.entry(r));
                FileRecord back = RecordJson.parseEntry(RecordJson.mapper().readTree(line));
                assertArrayEquals(r.path(), back.path());
                assertEquals(null, new dev.vigil.fim.ChangeDetector(PathPolicy.none()).compare(r, back),
                        "NDJSON keeps every attribute of " + r.displayPath());
            }
        }
    }

    @Test
    void quickCheckSeesContentChangedWithMtimeRestoredAndAcceptTakesItIn() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Path f = tree.resolve("f");
        Files.writeString(f, "aaaa");
        Integrity integrity = new Integrity(new SqliteBaseline(Database.open(dir.resolve("v.db"))), ScanOptions.defaults(), PathPolicy.none());
        integrity.baseline(List.of(tree), QUIET, new ScanStats());
        var mtime = Files.getLastModifiedTime(f);
        Files.writeString(f, "bbbb");
        Files.setLastModifiedTime(f, mtime);

        List<Change> changes = check(integrity, tree, false);
        assertEquals(1, changes.size(), changes.toString());
        assertEquals(ChangeKind.MODIFIED, changes.get(0).kind());
        assertTrue(changes.get(0).attributes().contains(dev.vigil.fim.Attribute.HASH));

        integrity.accept(List.of(f), QUIET, new ScanStats());
        assertEquals(List.of(), check(integrity, tree, false));
    }

    @Test
    void acceptingADeletedPathRemovesItFromTheBaseline() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.writeString(tree.resolve("gone"), "x");
        Integrity integrity = new Integrity(new SqliteBaseline(Database.open(dir.resolve("v.db"))), ScanOptions.defaults(), PathPolicy.none());
        integrity.baseline(List.of(tree), QUIET, new ScanStats());
        Files.delete(tree.resolve("gone"));
        List<Change> changes = check(integrity, tree, false);
        assertEquals(List.of(ChangeKind.ATTRIBUTES, ChangeKind.DELETED), changes.stream().map(Change::kind).toList());

        List<String> problems = new ArrayList<>();
        integrity.accept(List.of(tree.resolve("gone"), tree), new Scanner.Sink() {
            @Override
            public void entry(FileRecord record) {
            }

            @Override
            public void problem(byte[] path, String message) {
                problems.add(message);
            }
        }, new ScanStats());
        assertEquals(List.of(), check(integrity, tree, false));
    }

    @Test
    void notimeAndNoinodePathsIgnoreThoseAttributes() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Path f = tree.resolve("rewritten");
        Files.writeString(f, "same");
        PathPolicy policy = new PathPolicy(List.of(PathBytes.of(f)), List.of(PathBytes.of(f)));
        Integrity integrity = new Integrity(new SqliteBaseline(Database.open(dir.resolve("v.db"))), ScanOptions.defaults(), policy);
        integrity.baseline(List.of(f), QUIET, new ScanStats());
        Path tmp = tree.resolve("tmp");
        Files.writeString(tmp, "same");
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(List.of(), check(integrity, f, false), "new inode and times, same content: not a change here");
    }

    @Test
    void excludedEntriesInTheBaselineAreNotReportedDeleted() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.writeString(tree.resolve("a.cache"), "x");
        Database db = Database.open(dir.resolve("v.db"));
        new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), PathPolicy.none()).baseline(List.of(tree), QUIET, new ScanStats());
        Integrity excluding = new Integrity(new SqliteBaseline(db),
                ScanOptions.defaults().withExcludes(new dev.vigil.fim.Excludes(List.of("*.cache"))), PathPolicy.none());
        assertEquals(List.of(), check(excluding, tree, false));
    }

    @Test
    void entriesBelowAnExcludedDirectoryAndExcludedNamesAtAnyDepthAreOutOfScopeNotDeleted() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.createDirectories(tree.resolve("app/cache/deep"));
        Files.createDirectories(tree.resolve("app/logs"));
        Files.createDirectories(tree.resolve("app.d"));
        for (String f : List.of("app/cache/deep/x", "app/cache/y", "app/logs/a.log", "app/logs/keep.log", "app/main.conf",
                "app/z.pyc", "app.d/w.pyc", "app.d/v.conf", "top.pyc")) {
            Files.writeString(tree.resolve(f), f);
        }
        Database db = Database.open(dir.resolve("v.db"));
        new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), PathPolicy.none()).baseline(List.of(tree), QUIET, new ScanStats());
        Files.writeString(tree.resolve("app/logs/.vigilignore"), "*.log\n!keep.log\n");
        Integrity excluding = new Integrity(new SqliteBaseline(db), ScanOptions.defaults().withExcludes(
                new dev.vigil.fim.Excludes(List.of("*.pyc", "cache", tree.resolve("app.d") + "/v.conf"))), PathPolicy.none());

        assertEquals(List.of("ATTRIBUTES " + tree.resolve("app/logs"), "ADDED " + tree.resolve("app/logs/.vigilignore")),
                check(excluding, tree, false).stream().map(c -> c.kind() + " " + c.displayPath()).toList(), "everything excluded since the baseline is out of scope; a.log by the ignore file");
    }

    @Test
    void anEntryLeftOutByAnIgnoreFileIsOutOfScopeWhicheverThreadListsItsDirectory() throws Exception {
        // "d-new" sorts between "d" and "d/x": the merge meets the baseline's d/x before the walk has to list d.
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.createDirectories(tree.resolve("d"));
        Files.writeString(tree.resolve("d/x"), "x");
        Database db = Database.open(dir.resolve("v.db"));
        Integrity integrity = new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), PathPolicy.none());
        integrity.baseline(List.of(tree), QUIET, new ScanStats());
        Files.writeString(tree.resolve("d/.vigilignore"), "x\n");
        Files.writeString(tree.resolve("d-new"), "new");
        for (int i = 0; i < 20; i++) {
            // a new Integrity each round: nothing of the ignore file is known before the walk reads it
            Integrity fresh = new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), PathPolicy.none());
            assertEquals(List.of("ATTRIBUTES " + tree, "ATTRIBUTES " + tree.resolve("d"), "ADDED " + tree.resolve("d-new"),
                            "ADDED " + tree.resolve("d/.vigilignore")),
                    check(fresh, tree, false).stream().map(c -> c.kind() + " " + c.displayPath()).toList(), "round " + i);
        }
    }

    @Test
    void aBaselineReadClosedByAnInterruptedThreadStillEndsItsReadingThread() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        for (int i = 0; i < 5_000; i++) {
            Files.writeString(tree.resolve("f" + i), "x");
        }
        SqliteBaseline store = new SqliteBaseline(Database.open(dir.resolve("v.db")));
        new Integrity(store, ScanOptions.defaults(), PathPolicy.none()).baseline(List.of(tree), QUIET, new ScanStats());
        var cursor = store.read(PathBytes.of(tree));
        cursor.next();
        Thread.currentThread().interrupt();
        cursor.close();
        assertTrue(Thread.interrupted(), "the caller's interrupt is kept");
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().equals("vigil-baseline-reader") && t.isAlive()),
                "no reading thread goes on using the database after close");
    }

    /**
     * Records a finding saying {@code what} with its mark, as the daemon's report route does; {@code what} if it was
     * news and is now in the history, empty if the mark was made already.
     */
    private static Optional<String> recorded(EventLog events, String what, ReportMark mark) {
        Long row = events.record(new Finding(Source.FILES, "TEST", what, "h", Instant.now(), Severity.WARNING, Map.of()), List.of(mark));
        return row == null ? Optional.empty() : Optional.of(what);
    }

    @Test
    void theDaemonReportsADeviationOnceAgainWhenItChangesAndWhenItIsReverted() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        // The directory's times change with every entry added or removed; leave them out to see a clean revert.
        PathPolicy policy = new PathPolicy(List.of(), List.of(PathBytes.of(tree)));
        Database db = Database.open(dir.resolve("v.db"));
        Integrity integrity = new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), policy);
        integrity.baseline(List.of(tree), QUIET, new ScanStats());

        List<String> seen = new ArrayList<>();
        EventLog events = new EventLog(db);
        Runnable check = () -> integrity.checkForReport(List.of(tree), false, QUIET, new ScanStats(),
                (c, mark) -> recorded(events, c.kind() + " " + c.displayPath(), mark)
                        .ifPresent(told -> seen.add(c.kind() + " " + c.displayPath().substring(tree.toString().length()))),
                mark -> recorded(events, "REVERTED " + PathBytes.escape(mark.path()), mark)
                        .ifPresent(told -> seen.add("REVERTED " + PathBytes.escape(mark.path()).substring(tree.toString().length()))));
        Path dropped = tree.resolve("dropped");
        Files.writeString(dropped, "x");
        check.run();
        check.run();
        assertEquals(List.of("ADDED /dropped"), seen, "reported once");

        Files.writeString(dropped, "longer");
        check.run();
        assertEquals(List.of("ADDED /dropped", "ADDED /dropped"), seen, "a different deviation is reported again");

        Files.delete(dropped);
        check.run();
        check.run();
        assertEquals("REVERTED /dropped", seen.get(2));
        assertEquals(3, seen.size(), seen.toString());

        Files.writeString(dropped, "x");
        check.run();
        integrity.accept(List.of(dropped), QUIET, new ScanStats());
        Files.delete(dropped);
        check.run();
        assertEquals(List.of("ADDED /dropped", "ADDED /dropped", "REVERTED /dropped", "ADDED /dropped", "DELETED /dropped"), seen,
                "after accept the file is part of the baseline, so removing it is a deletion, not a revert");
    }

    @Test
    void aDeviationWhoseFindingWasNeverRecordedIsFoundAgainByTheNextCheck() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Path hosts = Files.writeString(tree.resolve("hosts"), "127.0.0.1 localhost\n");
        Database db = Database.open(dir.resolve("v.db"));
        Integrity integrity = new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), PathPolicy.none());
        integrity.baseline(List.of(tree), QUIET, new ScanStats());
        Files.writeString(hosts, "10.0.0.66 localhost\n");

        List<String> lost = new ArrayList<>();
        integrity.checkForReport(List.of(tree), false, QUIET, new ScanStats(), (c, mark) -> lost.add(c.kind() + " " + c.displayPath()),
                mark -> { });
        assertEquals(List.of("MODIFIED " + hosts), lost, "found, and then lost before its record (a kill, a failed route)");

        List<String> seen = new ArrayList<>();
        EventLog events = new EventLog(db);
        Runnable check = () -> integrity.checkForReport(List.of(tree), false, QUIET, new ScanStats(),
                (c, mark) -> recorded(events, c.kind() + " " + c.displayPath(), mark).ifPresent(seen::add), mark -> { });
        check.run();
        check.run();
        assertEquals(List.of("MODIFIED " + hosts), seen, "found again, then reported once");
    }

    @Test
    void twoCheckersThatFindOneDeviationAtOnceRecordItOnce() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        // The directory's times change with every entry added or removed; leave them out to see a clean revert.
        PathPolicy policy = new PathPolicy(List.of(), List.of(PathBytes.of(tree)));
        Database db = Database.open(dir.resolve("v.db"));
        Integrity integrity = new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), policy);
        integrity.baseline(List.of(tree), QUIET, new ScanStats());
        EventLog events = new EventLog(db);

        Path dropped = Files.writeString(tree.resolve("dropped"), "x");
        List<ReportMark> found = new ArrayList<>();
        Runnable check = () -> integrity.checkForReport(List.of(tree), false, QUIET, new ScanStats(), (c, mark) -> found.add(mark),
                found::add);
        check.run();
        try (Integrity.Verifier watch = integrity.verifier()) {
            found.add(watch.verify(dropped, QUIET, true).mark());
        }
        assertEquals(2, found.size(), "both saw it before either recorded it");
        assertEquals(List.of("ADDED " + dropped), found.stream()
                .flatMap(mark -> recorded(events, "ADDED " + dropped, mark).stream()).toList(), "the first record reports it");

        Files.delete(dropped);
        found.clear();
        check.run();
        check.run();
        assertEquals(2, found.size(), "both saw the revert before either recorded it");
        assertEquals(List.of("REVERTED " + dropped), found.stream()
                .flatMap(mark -> recorded(events, "REVERTED " + dropped, mark).stream()).toList(), "a revert too");
    }

    @Test
    void aNotimeFileRewrittenWithTheSameDeviatingContentIsNotReportedAgainButAFurtherChangeIs() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Path conf = Files.writeString(tree.resolve("app.conf"), "listen 80\n");
        PathPolicy policy = new PathPolicy(List.of(), List.of(PathBytes.of(conf)));
        Database db = Database.open(dir.resolve("v.db"));
        Integrity integrity = new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), policy);
        integrity.baseline(List.of(tree), QUIET, new ScanStats());
        List<String> seen = new ArrayList<>();
        EventLog events = new EventLog(db);
        Runnable check = () -> integrity.checkForReport(List.of(tree), false, QUIET, new ScanStats(),
                (c, mark) -> recorded(events, c.kind() + " " + c.displayPath(), mark).ifPresent(seen::add),
                mark -> recorded(events, "REVERTED " + PathBytes.escape(mark.path()), mark).ifPresent(seen::add));

        Files.writeString(conf, "listen 8080\n");
        check.run();
        dev.vigil.fim.Tools.rewriteLater(conf, "listen 8080\n");
        check.run();
        assertEquals(List.of("MODIFIED " + conf), seen, "the owner rewrote it with the same deviating content");

        Files.writeString(conf, "listen 4444\n");
        check.run();
        assertEquals(List.of("MODIFIED " + conf, "MODIFIED " + conf), seen, "new content is a new deviation");
    }

    @Test
    void underTheGrowingPolicyAnAppendIsQuietButARewriteOfTheOldPartOrATruncationIsModified() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Path log = Files.writeString(tree.resolve("app.log"), "Dec  4 10:00:00 host app: started\n");
        Path conf = Files.writeString(tree.resolve("app.conf"), "listen 80\n");
        PathPolicy policy = new PathPolicy(List.of(), List.of()).withGrowing(List.of(PathBytes.of(log)));
        Integrity integrity = new Integrity(new SqliteBaseline(Database.open(dir.resolve("v.db"))), ScanOptions.defaults(), policy);
        integrity.baseline(List.of(tree), QUIET, new ScanStats());
        List<String> seen = new ArrayList<>();
        Runnable check = () -> integrity.check(List.of(tree), false, QUIET, new ScanStats(),
                c -> seen.add(c.kind() + " " + c.displayPath()));

        Files.writeString(log, "Dec  4 10:00:01 host app: request\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(conf, "listen 8080\n", java.nio.file.StandardOpenOption.APPEND);
        check.run();
        assertEquals(List.of("MODIFIED " + conf), seen, "the log grew, its old part as it was; the config is not a growing path");

        seen.clear();
        Files.writeString(log, "Dec  4 10:00:00 host app: STARTED\nDec  4 10:00:01 host app: request\nmore\n");
        check.run();
        assertEquals(List.of("MODIFIED " + conf, "MODIFIED " + log), seen, "its old part was rewritten, though it grew");

        seen.clear();
        Files.writeString(log, "Dec  4");
        check.run();
        assertEquals(List.of("MODIFIED " + conf, "MODIFIED " + log), seen, "it shrank");
    }

    @Test
    void aDatabaseAtAnOlderSchemaIsMigratedForwardOnOpenKeepingItsBaseline() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.writeString(tree.resolve("passwd"), "root:x:0:0\n");
        Files.createDirectory(tree.resolve("sub"));
        Files.writeString(tree.resolve("sub/hosts"), "127.0.0.1 localhost\n");
        Path current = dir.resolve("current.db");
        new Integrity(new SqliteBaseline(Database.open(current)), ScanOptions.defaults(), PathPolicy.none())
                .baseline(List.of(tree), QUIET, new ScanStats());

        // What a Vigil with only the first two migrations left behind: their SQL, its version, a baseline in it.
        Path old = dir.resolve("old.db");
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + old); var s = c.createStatement()) {
            for (String migration : Database.MIGRATIONS.subList(0, 2)) {
                try (var in = Database.class.getResourceAsStream("migrations/" + migration)) {
                    s.executeUpdate(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            s.execute("INSERT INTO schema_version(version) VALUES (2)");
            s.execute("ATTACH DATABASE '" + current + "' AS cur");
            s.execute("INSERT INTO baseline SELECT path, type, size, mode, uid, gid, inode, device, links, mtime_ns,"
                    + " ctime_ns, target, hash, xattrs, error FROM cur.baseline");
            for (String table : List.of("setting", "area", "scan_run")) {
                s.execute("INSERT INTO " + table + " SELECT * FROM cur." + table);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name IN ('reported', 'pid_state')")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the older file has the second migration's tables and not the third's");
            }
        }

        Database db = Database.open(old);
        assertEquals(Database.MIGRATIONS.size(), db.schemaVersion());
        SqliteBaseline store = new SqliteBaseline(db);
        assertArrayEquals(new SqliteBaseline(Database.open(current)).totals(), store.totals());
        assertEquals(4, store.totals()[0], "the tree, its two files and its subdirectory");
        assertEquals(List.of("baseline"), store.recentRuns(10).stream().map(dev.vigil.fim.BaselineStore.ScanRun::kind).toList());
        Integrity integrity = new Integrity(store, ScanOptions.defaults(), PathPolicy.none());
        assertEquals(List.of(), check(integrity, tree, true), "the kept rows still describe the tree exactly");
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT (SELECT count(*) FROM pid_state) + (SELECT count(*) FROM file_event WHERE 0)"
                        + " + (SELECT count(requeued) FROM outbox_delivery)")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the later migrations' tables and column are there, empty");
        }

        assertEquals(List.of(), check(integrity, tree, false), "rows without a quick key are compared whole");
        Files.writeString(tree.resolve("passwd"), "toor:x:0:0\n");
        List<Change> changes = check(integrity, tree, false);
        assertEquals(List.of(ChangeKind.MODIFIED), changes.stream().map(Change::kind).toList());
    }

    @Test
    void aQuickCheckFindsEveryStatChangeWhetherARowHasItsQuickKeyOrNot() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        for (String name : List.of("kept", "chmod", "touched", "removed", "relinked")) {
            Files.writeString(tree.resolve(name), name);
        }
        Files.createSymbolicLink(tree.resolve("link"), tree.resolve("kept"));
        Database db = Database.open(dir.resolve("v.db"));
        Integrity integrity = new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), PathPolicy.none());
        integrity.baseline(List.of(tree), QUIET, new ScanStats());
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT count(*), count(quick_key) FROM baseline")) {
            rs.next();
            assertEquals(7, rs.getInt(1));
            assertEquals(7, rs.getInt(2), "a baseline keeps every row's quick key");
        }
        assertEquals(List.of(), check(integrity, tree, false));

        Files.setPosixFilePermissions(tree.resolve("chmod"), PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(tree.resolve("touched"), java.nio.file.attribute.FileTime.fromMillis(0));
        Files.delete(tree.resolve("removed"));
        Files.createLink(tree.resolve("second-name"), tree.resolve("relinked"));
        Files.delete(tree.resolve("link"));
        Files.createSymbolicLink(tree.resolve("link"), tree.resolve("chmod"));
        Files.writeString(tree.resolve("added"), "added");
        List<String> expected = List.of("ATTRIBUTES tree", "ADDED added", "ATTRIBUTES chmod", "MODIFIED link",
                "ATTRIBUTES relinked", "DELETED removed", "ADDED second-name", "ATTRIBUTES touched");
        assertEquals(expected, described(check(integrity, tree, false)));
        try (Connection c = db.connect()) {
            c.createStatement().executeUpdate("UPDATE baseline SET quick_key = NULL");
        }
        assertEquals(expected, described(check(integrity, tree, false)), "the same, every row compared whole");
    }

    @Test
    void aCheckOfARootReadsNoneOfASiblingsRowsWhoseNameGoesOnFromTheRoots() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.writeString(tree.resolve("a"), "a");
        // "tree-x" and "tree.x" sort between "tree" and "tree/", inside the range a check reads in order
        for (String sibling : List.of("tree-x", "tree.x")) {
            Files.writeString(Files.createDirectory(dir.resolve(sibling)).resolve("b"), "b");
        }
        Database db = Database.open(dir.resolve("v.db"));
        Integrity integrity = new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), PathPolicy.none());
        integrity.baseline(List.of(tree, dir.resolve("tree-x"), dir.resolve("tree.x")), QUIET, new ScanStats());
        Files.delete(dir.resolve("tree-x/b"));
        Files.delete(dir.resolve("tree.x/b"));

        assertEquals(List.of(), check(integrity, tree, false));
        assertEquals(List.of(), check(integrity, tree, true));
        Files.delete(tree.resolve("a"));
        assertEquals(List.of("ATTRIBUTES tree", "DELETED a"), described(check(integrity, tree, false)));
        assertEquals(List.of("ATTRIBUTES tree", "DELETED a"), described(check(integrity, tree, true)));
    }

    private static List<String> described(List<Change> changes) {
        return changes.stream().map(c -> c.kind() + " " + PathBytes.toPath(c.path()).getFileName()).toList();
    }
}

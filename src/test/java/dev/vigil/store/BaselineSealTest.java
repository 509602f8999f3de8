package dev.vigil.store;

import dev.vigil.alert.Details;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Json;
import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.ChangeFindings;
import dev.vigil.fim.FileRecord;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.ListingDigest;
import dev.vigil.fim.NoProblemsSink;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ReportMark;
import dev.vigil.fim.ScanOptions;
import dev.vigil.fim.ScanStats;
import dev.vigil.fim.Scanner;
import dev.vigil.fim.Seal;
import dev.vigil.os.PathBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The seal of the baseline on real SQLite files over real trees: kept by Vigil's writes from the rows they touch,
 * and verified by the daemon's full check from the rows it reads, which is how rows changed with plain SQL show.
 */
class BaselineSealTest {

    @TempDir
    Path dir;

    private static final Scanner.Sink QUIET = NoProblemsSink.INSTANCE;

    private Path tree(String name, String... files) throws Exception {
        Path tree = Files.createDirectories(dir.resolve("areas").resolve(name));
        for (String f : files) {
            Files.writeString(tree.resolve(f), f + " content\n");
        }
        return tree;
    }

    static Integrity integrity(SqliteBaseline store) {
        return new Integrity(store, ScanOptions.defaults(), PathPolicy.none());
    }

    /** The seal of the baseline at or below {@code root} as it is in the tables now: its rows and listing digests. */
    static Seal sealOf(Database db, Path root) throws Exception {
        Seal seal = Seal.empty();
        try (BaselineStore.Cursor rows = new SqliteBaseline(db).read(PathBytes.of(root))) {
            rows.forEachRemaining(seal::add);
        }
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT key, digest FROM baseline_listing"
                + " WHERE " + PathRange.LISTING_CONDITION)) {
            Database.bind(ps, new PathRange(PathBytes.of(root)).listingArgs());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seal.addListing(rs.getBytes(1), rs.getBytes(2));
                }
            }
        }
        return seal;
    }

    /** The listing digest kept for directory {@code directory}, null if none is. */
    static byte[] keptListing(Database db, Path directory) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT digest FROM baseline_listing WHERE key = ?")) {
            Database.bind(ps, (Object) ListingDigest.key(PathBytes.of(directory)));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    private static void sql(Database db, String sql, Object... args) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, args);
            assertEquals(1, ps.executeUpdate(), sql);
        }
    }

    private static List<BaselineStore.Tampering> fullCheck(Integrity integrity, Path root) {
        List<BaselineStore.Tampering> tampered = new ArrayList<>();
        integrity.checkForReport(List.of(root), false, QUIET, new ScanStats(), (c, mark) -> { }, mark -> { }, tampered::add);
        return tampered;
    }

    @Test
    void theSameRowsHaveTheSameSealWhateverOrderTheyWereBaselinedIn() throws Exception {
        Path etc = tree("etc", "passwd", "group", "hosts");
        Path bin = tree("bin", "ls", "cat");
        SqliteBaseline first = new SqliteBaseline(Database.open(dir.resolve("first.db")));
        Database secondDb = Database.open(dir.resolve("second.db"));
        integrity(first).baseline(List.of(etc), QUIET, new ScanStats());
        integrity(first).baseline(List.of(bin), QUIET, new ScanStats());
        SqliteBaseline second = new SqliteBaseline(secondDb);
        integrity(second).baseline(List.of(bin), QUIET, new ScanStats());
        BaselineStore.SealState after = integrity(second).baseline(List.of(etc), QUIET, new ScanStats()).seal();

        assertEquals(first.seal().value(), second.seal().value());
        assertEquals(after.value(), second.seal().value(), "what the baseline returns is what is kept");
        assertEquals(7, second.seal().rows(), "two directories and five files");
        assertEquals(sealOf(secondDb, etc).add(sealOf(secondDb, bin)), second.seal().seal(),
                "the seal of the rows and listings there are");
        assertNotNull(keptListing(secondDb, etc), "each baselined directory's listing is kept");
        assertNull(keptListing(secondDb, etc.getParent()), "not that of the directory above an area, which was not walked");
    }

    @Test
    void acceptingOnePathUpdatesTheSealFromThatPathsRowsAloneWithoutRereadingTheTable() throws Exception {
        Path etc = tree("etc", "passwd", "group", "hosts");
        Database db = Database.open(dir.resolve("v.db"));
        SqliteBaseline store = new SqliteBaseline(db);
        integrity(store).baseline(List.of(etc), QUIET, new ScanStats());
        BaselineStore.SealState before = store.seal();
        FileRecord oldPasswd = store.find(PathBytes.of(etc.resolve("passwd"))).orElseThrow();
        byte[] oldListing = keptListing(db, etc);
        // a row changed behind Vigil's back: an accept that read the whole table would take it into the seal
        sql(db, "UPDATE baseline SET hash = ? WHERE path = ?", "0".repeat(64), PathBytes.of(etc.resolve("hosts")));

        Files.writeString(etc.resolve("passwd"), "root:x:0:0\nnew:x:1000:1000\n");
        BaselineStore.SealState after = integrity(store).accept(List.of(etc.resolve("passwd")), QUIET, new ScanStats()).seal();

        FileRecord newPasswd = store.find(PathBytes.of(etc.resolve("passwd"))).orElseThrow();
        assertEquals(before.seal().copy().remove(oldPasswd).add(newPasswd).removeListing(ListingDigest.key(PathBytes.of(etc)),
                oldListing), after.seal(), "the kept seal, less the old row and the listing it was in, plus the new row");
        assertNull(keptListing(db, etc), "the listing of the directory of an accepted entry is no longer kept");
        assertEquals(after.value(), store.seal().value());
        assertEquals(before.generation() + 1, store.seal().generation());
        assertNotEquals(sealOf(db, etc), store.seal().seal(), "the row changed elsewhere is not in it: the table was not read");
    }

    @Test
    void aRowChangedWithPlainSqlIsFoundByEveryFullCheckUntilItsFindingIsRecordedThenNoMore() throws Exception {
        Path etc = tree("etc", "passwd", "shadow");
        Database db = Database.open(dir.resolve("v.db"));
        SqliteBaseline store = new SqliteBaseline(db);
        Integrity integrity = integrity(store);
        integrity.baseline(List.of(etc), QUIET, new ScanStats());
        assertEquals(List.of(), fullCheck(integrity, etc));
        BaselineStore.SealState verified = store.seal();
        assertNotNull(verified.verified(), "a full check that found the rows as kept verifies the seal");

        // an intruder makes the baseline agree with a trojaned file, so the checks stay quiet about it
        Files.writeString(etc.resolve("shadow"), "root:$evil$:1::::::\n");
        FileRecord trojaned = new Scanner(ScanOptions.defaults()).hash(new Scanner(ScanOptions.defaults())
                .record(PathBytes.of(etc.resolve("shadow")), QUIET, new ScanStats()), QUIET, new ScanStats());
        sql(db, "UPDATE baseline SET hash = ?, size = ?, mtime_ns = ?, ctime_ns = ? WHERE path = ?", trojaned.hash(),
                trojaned.size(), trojaned.mtimeNs(), trojaned.ctimeNs(), trojaned.path());
        assertEquals(verified.value(), store.seal().value(), "the kept seal knows nothing of it yet");

        List<BaselineStore.Tampering> found = fullCheck(integrity, etc);
        assertEquals(1, found.size());
        assertEquals(verified.value(), found.get(0).kept().value());
        assertEquals(sealOf(db, etc), found.get(0).found(), "the seal of the rows as they are now");
        assertEquals(verified.value(), store.seal().value(), "nothing kept changes before the finding is recorded");
        assertEquals(found, fullCheck(integrity, etc), "a finding lost before it was recorded (a kill) is found again");

        EventLog events = new EventLog(db);
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        Finding finding = ChangeFindings.tampered(found.get(0), "host", now);
        List<ReportMark> marks = List.of(new ReportMark.SealReplaced(found.get(0), now));
        assertNotNull(events.record(finding, marks), "recorded with the seal it reports");
        assertEquals(found.get(0).found().value(), store.seal().value(), "the seal reported from now on is the rows' own");
        assertNull(events.record(finding, marks), "the same tampering recorded again is no news");
        assertEquals(List.of(), fullCheck(integrity, etc), "reported once");
    }

    @Test
    void aCheckThatDoesNotCoverEveryBaselinedAreaLeavesTheSealUnverified() throws Exception {
        Path etc = tree("etc", "passwd");
        Path bin = tree("bin", "ls");
        Database db = Database.open(dir.resolve("v.db"));
        SqliteBaseline store = new SqliteBaseline(db);
        Integrity integrity = integrity(store);
        integrity.baseline(List.of(etc, bin), QUIET, new ScanStats());
        sql(db, "UPDATE baseline SET uid = 4242 WHERE path = ?", PathBytes.of(bin.resolve("ls")));

        assertEquals(List.of(), fullCheck(integrity, etc), "the rows of bin were not read");
        assertNull(store.seal().verified());
        assertEquals(1, fullCheck(integrity, dir.resolve("areas")).size(), "a check of both areas reads them all");
    }

    @Test
    void forgettingAnAreaTakesItsRowsOutOfTheSeal() throws Exception {
        Path etc = tree("etc", "passwd");
        Path bin = tree("bin", "ls", "cat");
        SqliteBaseline store = new SqliteBaseline(Database.open(dir.resolve("v.db")));
        integrity(store).baseline(List.of(etc), QUIET, new ScanStats());
        BaselineStore.SealState etcOnly = store.seal();
        integrity(store).baseline(List.of(bin), QUIET, new ScanStats());

        BaselineStore.Forgotten forgotten = integrity(store).forget(bin);
        assertEquals(3, forgotten.entries());
        assertEquals(etcOnly.value(), forgotten.seal().value());
        assertEquals(etcOnly.value(), store.seal().value());
    }

    /**
     * A change to the baseline and its ACCEPTED are one transaction: each baseline, accept and forget of a baseline
     * with rows leaves its ACCEPTED handed over with the seal after it, and a change whose ACCEPTED cannot be written
     * is not made. Written after the change, a failure or a kill between the two left a new seal with no ACCEPTED,
     * which a collector takes for tampering.
     */
    @Test
    void eachChangeToTheBaselineWritesItsAcceptedInItsOwnTransaction() throws Exception {
        Path etc = tree("etc", "passwd", "group");
        Path bin = tree("bin", "ls");
        Database db = Database.open(dir.resolve("v.db"));
        SqliteBaseline store = new SqliteBaseline(db, "web1");
        integrity(store).baseline(List.of(etc), QUIET, new ScanStats());
        assertEquals(List.of(), handedOver(db), "a first baseline announces nothing: a collector starts from no rows");

        integrity(store).baseline(List.of(bin), QUIET, new ScanStats());
        Files.writeString(etc.resolve("passwd"), "root:x:0:0\n");
        BaselineStore.SealState accepted = integrity(store).accept(List.of(etc.resolve("passwd")), QUIET, new ScanStats()).seal();
        BaselineStore.Forgotten forgotten = integrity(store).forget(bin);
        List<Finding> announced = handedOver(db);
        assertEquals(List.of("baseline", "accept", "forget"),
                announced.stream().map(f -> f.details().get(Details.OPERATION)).toList());
        assertEquals(accepted.value(), announced.get(1).details().get(Details.SEAL));
        assertEquals(forgotten.seal().value(), announced.get(2).details().get(Details.SEAL));
        assertEquals(List.of("web1"), announced.stream().map(Finding::host).distinct().toList());

        BaselineStore.SealState before = store.seal();
        FileRecord group = store.find(PathBytes.of(etc.resolve("group"))).orElseThrow();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER refused BEFORE INSERT ON event BEGIN SELECT RAISE(ABORT, 'disk full'); END");
        }
        Files.writeString(etc.resolve("group"), "root:x:0:\n");
        assertThrows(StoreException.class,
                () -> integrity(store).accept(List.of(etc.resolve("group")), QUIET, new ScanStats()));
        assertEquals(before.value(), store.seal().value(), "the accept whose ACCEPTED was refused is not made");
        assertEquals(before.generation(), new BaselineSeal(db).current().generation());
        assertEquals(group.hash(), store.find(PathBytes.of(etc.resolve("group"))).orElseThrow().hash(), "its row as it was");
        assertEquals(3, handedOver(db).size());
    }

    /** The findings handed over to the daemon, in the order they were written. */
    private static List<Finding> handedOver(Database db) throws Exception {
        List<Finding> found = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT finding FROM event WHERE pooled = 2"
                + " ORDER BY id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found.add(Json.read(rs.getString(1), Finding.class));
            }
        }
        return found;
    }

    @Test
    void aBaselineTakenBeforeSealsExistedIsSealedFromItsRowsWhenFirstAskedFor() throws Exception {
        Path etc = tree("etc", "passwd", "group");
        Database db = Database.open(dir.resolve("v.db"));
        SqliteBaseline store = new SqliteBaseline(db);
        integrity(store).baseline(List.of(etc), QUIET, new ScanStats());
        sql(db, "DELETE FROM baseline_seal");

        BaselineStore.SealState current = new BaselineSeal(db).current();
        assertEquals(sealOf(db, etc), current.seal());
        assertEquals(3, current.rows());
    }
}

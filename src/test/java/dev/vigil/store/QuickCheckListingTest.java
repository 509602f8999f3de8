package dev.vigil.store;

import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.Change;
import dev.vigil.fim.ChangeKind;
import dev.vigil.fim.FileRecord;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.ListingDigest;
import dev.vigil.fim.NoProblemsSink;
import dev.vigil.fim.ScanOptions;
import dev.vigil.fim.ScanStats;
import dev.vigil.fim.Scanner;
import dev.vigil.os.PathBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.vigil.store.BaselineSealTest.integrity;
import static dev.vigil.store.BaselineSealTest.keptListing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A quick check passes over the rows of a directory whose listing digest is as kept, on real SQLite files over real
 * trees: it reports exactly what a check that reads every row reports, it does pass over them (a row deleted with plain
 * SQL goes unseen), and a listing forged with plain SQL is found by the full check as a broken seal.
 */
class QuickCheckListingTest {

    @TempDir
    Path dir;

    private static final Scanner.Sink QUIET = NoProblemsSink.INSTANCE;

    private Path area;

    /** An area of three directories of 20 files each, one of them inside another. */
    private void tree() throws Exception {
        area = dir.resolve("area");
        for (String d : List.of("d", "d/s", "t")) {
            Path p = Files.createDirectories(area.resolve(d));
            for (int i = 0; i < 20; i++) {
                Files.writeString(p.resolve("f" + i), d + i + "\n");
            }
        }
    }

    /** The operations on {@code db}'s baseline, taken of the area now. */
    private Integrity baselined(Database db) {
        Integrity integrity = integrity(new SqliteBaseline(db));
        integrity.baseline(List.of(area), QUIET, new ScanStats());
        return integrity;
    }

    private static List<String> check(Integrity integrity, Path root) {
        List<String> changes = new ArrayList<>();
        integrity.check(List.of(root), false, QUIET, new ScanStats(), c -> changes.add(describe(c)));
        return changes;
    }

    private static String describe(Change c) {
        return c.kind() + " " + PathBytes.escape(c.path()) + " " + c.attributes();
    }

    private static void sql(Database db, String sql, Object... args) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, args);
            ps.executeUpdate();
        }
    }

    @Test
    void aQuickCheckReportsWhatACheckReadingEveryRowReports() throws Exception {
        tree();
        Database listed = Database.open(dir.resolve("listed.db"));
        Database unlisted = Database.open(dir.resolve("unlisted.db"));
        Integrity withListings = baselined(listed);
        Integrity withoutListings = baselined(unlisted);
        assertNotNull(keptListing(listed, area.resolve("d/s")));
        sql(unlisted, "DELETE FROM baseline_listing");
        assertEquals(List.of(), check(withListings, area));

        List<Edit> edits = List.of(
                // below d, whose own listing stays as kept: its files passed over, s's compared
                () -> Files.writeString(area.resolve("d/s/f3"), "longer content\n"),
                () -> Files.writeString(area.resolve("t/new"), "added\n"),
                () -> Files.delete(area.resolve("t/f7")),
                () -> chmod(area.resolve("d/f11"), "rw-------"),
                () -> Files.move(area.resolve("d/s/f4"), area.resolve("d/s/f4-renamed")),
                () -> {
                    try (Stream<Path> files = Files.list(area.resolve("t"))) {
                        for (Path f : files.toList()) {
                            Files.delete(f);
                        }
                    }
                    Files.delete(area.resolve("t"));
                });
        for (Edit edit : edits) {
            edit.make();
            List<String> found = check(withListings, area);
            assertEquals(check(withoutListings, area), found);
            assertEquals(false, found.isEmpty(), "each change is found");
        }
    }

    @Test
    void theRowsOfADirectoryWhoseListingIsAsKeptAreNotRead() throws Exception {
        tree();
        Database db = Database.open(dir.resolve("v.db"));
        Integrity integrity = baselined(db);

        sql(db, "DELETE FROM baseline WHERE path = ?", (Object) PathBytes.of(area.resolve("d/f5")));
        assertEquals(List.of(), check(integrity, area), "the row's absence is not seen: d's rows were passed over");
        sql(db, "DELETE FROM baseline_listing WHERE key = ?", (Object) ListingDigest.key(PathBytes.of(area.resolve("d"))));
        assertEquals(List.of("ADDED " + PathBytes.escape(PathBytes.of(area.resolve("d/f5"))) + " []"), check(integrity, area),
                "without d's listing its rows are read");
    }

    @Test
    void aListingForgedWithPlainSqlHidesAChangeFromQuickChecksUntilTheFullCheckFindsTheSealBroken() throws Exception {
        tree();
        Database db = Database.open(dir.resolve("v.db"));
        Integrity integrity = baselined(db);
        BaselineStore.SealState kept = new SqliteBaseline(db).seal();

        // an intruder trojans a file and makes d's kept listing that of d as it is now
        Path trojaned = area.resolve("d/f9");
        Files.writeString(trojaned, "trojaned content\n");
        Scanner stat = new Scanner(ScanOptions.defaults().withHashContent(false));
        List<FileRecord> now = new ArrayList<>();
        try (Stream<Path> files = Files.list(area.resolve("d"))) {
            files.map(p -> stat.record(PathBytes.of(p), QUIET, new ScanStats()))
                    .sorted((a, b) -> java.util.Arrays.compareUnsigned(a.path(), b.path())).forEach(now::add);
        }
        byte[] key = ListingDigest.key(PathBytes.of(area.resolve("d")));
        sql(db, "UPDATE baseline_listing SET digest = ? WHERE key = ?", ListingDigest.of(key, now, true), key);
        assertEquals(List.of(), check(integrity, area), "the quick check passes over d");

        List<String> found = new ArrayList<>();
        List<BaselineStore.Tampering> tampered = new ArrayList<>();
        integrity.checkForReport(List.of(area), false, QUIET, new ScanStats(), (c, mark) -> found.add(describe(c)),
                mark -> { }, tampered::add);
        assertEquals(1, tampered.size(), "the full check finds the listing changed behind Vigil's back");
        assertEquals(kept.value(), tampered.get(0).kept().value());
        assertEquals(1, found.size(), found.toString());
        assertEquals(true, found.get(0).startsWith("MODIFIED " + PathBytes.escape(PathBytes.of(trojaned))), found.toString());
    }

    @Test
    void aDirectoryWithAnIgnoreFileHasItsEntriesComparedOneByOneSoTheFileIsJudgedAtEveryCheck() throws Exception {
        tree();
        Path ignore = area.resolve("d/.vigilignore");
        Files.writeString(ignore, "f0\n");
        chmod(ignore, "rw-rw-rw-");
        Integrity integrity = baselined(Database.open(dir.resolve("v.db")));

        for (int i = 0; i < 2; i++) {
            List<String> found = check(integrity, area);
            assertEquals(1, found.size(), found.toString());
            assertEquals(true, found.get(0).startsWith(ChangeKind.UNTRUSTED_IGNORE + " " + PathBytes.escape(PathBytes.of(ignore))),
                    found.toString());
        }
    }

    @Test
    void acceptingAnEntryDropsTheListingOfItsDirectoryAndKeepsTheOthers() throws Exception {
        tree();
        Database db = Database.open(dir.resolve("v.db"));
        Integrity integrity = baselined(db);
        byte[] keptT = keptListing(db, area.resolve("t"));

        Files.writeString(area.resolve("d/s/f1"), "accepted\n");
        integrity.accept(List.of(area.resolve("d/s/f1")), QUIET, new ScanStats());
        assertNull(keptListing(db, area.resolve("d/s")));
        assertNotNull(keptListing(db, area.resolve("d")));
        assertEquals(List.of(), check(integrity, area));

        integrity.accept(List.of(area.resolve("d")), QUIET, new ScanStats());
        assertNotNull(keptListing(db, area.resolve("d/s")), "an accepted directory's listings are kept again");
        assertNull(keptListing(db, area), "the listing of the directory it is in is dropped");
        assertEquals(new String(keptT, java.nio.charset.StandardCharsets.ISO_8859_1),
                new String(keptListing(db, area.resolve("t")), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(BaselineSealTest.sealOf(db, area), new SqliteBaseline(db).seal().seal(), "the seal kept through it all");
    }

    /** A change made to the tree. */
    private interface Edit {
        void make() throws Exception;
    }

    private static void chmod(Path p, String permissions) throws Exception {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(permissions));
    }
}

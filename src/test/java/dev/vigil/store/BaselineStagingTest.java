package dev.vigil.store;

import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.NoProblemsSink;
import dev.vigil.fim.ScanStats;
import dev.vigil.fim.Scanner;
import dev.vigil.fim.Seal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.vigil.store.BaselineSealTest.integrity;
import static dev.vigil.store.BaselineSealTest.sealOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Where a scan is staged: a table of the main database per run, put in the baseline's place or copied into it,
 * and dropped by a later run when a kill left it behind. Real SQLite files, a real tree, a real killed process.
 */
class BaselineStagingTest {

    @TempDir
    Path dir;

    private static final Scanner.Sink QUIET = NoProblemsSink.INSTANCE;

    private Path tree(String name, String... files) throws Exception {
        Path tree = Files.createDirectories(dir.resolve(name));
        for (String f : files) {
            Files.writeString(tree.resolve(f), f);
        }
        return tree;
    }

    private static List<String> stagingTables(Database db) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE name LIKE 'baseline_staging_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void rebaseliningOneAreaKeepsTheOthersRowsWhicheverWayTheStagedRowsArePutInPlace() throws Exception {
        Path etc = tree("etc", "passwd", "group", "hosts", "fstab");
        Path bin = tree("bin", "ls");
        Database db = Database.open(dir.resolve("vigil.db"));
        SqliteBaseline store = new SqliteBaseline(db);
        Integrity integrity = integrity(store);
        integrity.baseline(List.of(etc, bin), QUIET, new ScanStats());
        Seal binBefore = sealOf(db, bin);
        Seal etcBefore = sealOf(db, etc);
        assertEquals(7, store.seal().seal().rows());

        // 2 rows outside etc, 5 staged: the staging table takes the baseline's place, bin's rows copied into it
        Files.writeString(etc.resolve("hosts"), "changed\n");
        integrity.baseline(List.of(etc), QUIET, new ScanStats());
        assertEquals(binBefore, sealOf(db, bin));
        Seal etcAfter = sealOf(db, etc);
        assertEquals(etcBefore.rows(), etcAfter.rows());
        assertNotEquals(etcBefore, etcAfter, "the changed file's row is the new one");
        assertEquals(Seal.empty().add(etcAfter).add(binBefore), store.seal().seal());

        // 5 rows outside bin, 2 staged: bin's rows are copied into the baseline
        Files.writeString(bin.resolve("cat"), "cat\n");
        integrity.baseline(List.of(bin), QUIET, new ScanStats());
        assertEquals(etcAfter, sealOf(db, etc));
        assertEquals(3, sealOf(db, bin).rows());
        assertEquals(Seal.empty().add(etcAfter).add(sealOf(db, bin)), store.seal().seal());
        assertEquals(List.of(), stagingTables(db));
    }

    @Test
    void aStagingTableLeftByAKilledRunIsDroppedByTheNextRunAndTheOldBaselineStillReads() throws Exception {
        Path etc = tree("etc", "passwd", "group", "hosts");
        Database db = Database.open(dir.resolve("vigil.db"));
        SqliteBaseline store = new SqliteBaseline(db);
        Integrity integrity = integrity(store);
        integrity.baseline(List.of(etc), QUIET, new ScanStats());
        Seal before = sealOf(db, etc);

        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StagingProbe.class.getName(),
                db.file().toString(), etc.toString(), "10000").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("staged"));
            assertEquals("staged", line, "the probe staged its rows");
            assertEquals(2, stagingTables(db).size(), "a run stages rows and listing digests, a table each");

            try (BaselineStore.Snapshot running = store.newSnapshot()) {
                assertEquals(4, stagingTables(db).size(), "a running process's tables are its own: left alone");
            }
            assertEquals(2, stagingTables(db).size(), "an abandoned staging drops its tables");
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(2, stagingTables(db).size(), "SIGKILL: nothing of the probe's own clean-up ran");
        assertEquals(before, sealOf(db, etc), "the old baseline, untouched by the killed run");
        assertEquals(before, store.seal().seal());

        integrity.baseline(List.of(etc), QUIET, new ScanStats());
        assertEquals(List.of(), stagingTables(db), "the next run dropped the killed run's tables");
        assertEquals(before, sealOf(db, etc));
        assertEquals(before, store.seal().seal());
    }

    @Test
    void aScanStagedInADatabaseReplacedSinceIsNotAcceptedIntoTheOneMovedAside() throws Exception {
        Path etc = tree("etc", "passwd");
        Path file = dir.resolve("vigil.db");
        Database db = Database.open(file);
        SqliteBaseline store = new SqliteBaseline(db);
        try (BaselineStore.Snapshot snapshot = store.newSnapshot()) {
            snapshot.add(new dev.vigil.fim.FileRecord(dev.vigil.os.PathBytes.of(etc.resolve("passwd")),
                    dev.vigil.fim.EntryType.FILE, 1, 0644, 0, 0, 1, 1, 1, 0, 0, null, null, null, null));
            // moved aside with its WAL and shared memory, and a new database made at the path
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.move(dir.resolve("vigil.db" + suffix), dir.resolve("aside.db" + suffix));
            }
            Database.open(file).close();

            StoreException refused = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
                    () -> snapshot.accept(List.of(dev.vigil.os.PathBytes.of(etc))));
            org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("was replaced"), refused.getMessage());
        }
        try (Database aside = Database.open(dir.resolve("aside.db"))) {
            assertEquals(0, new SqliteBaseline(aside).totals()[0], "nothing accepted into the file moved aside");
        }
    }

    /**
     * A first baseline's rows, its seal and its area are one transaction: a full check reading the areas and the seal
     * between them found rows sealed outside every area it knew, and reported the baseline tampered. Here the area
     * cannot be recorded (a trigger refuses it, as a full disk would): nothing of the baseline is kept.
     */
    @Test
    void aFirstBaselineWhoseAreaCannotBeRecordedKeepsNoRowsAndNoSeal() throws Exception {
        Path etc = tree("etc", "passwd", "group");
        Database db = Database.open(dir.resolve("vigil.db"));
        SqliteBaseline store = new SqliteBaseline(db);
        Integrity integrity = integrity(store);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER refused BEFORE INSERT ON area BEGIN SELECT RAISE(ABORT, 'disk full'); END");
        }

        org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
                () -> integrity.baseline(List.of(etc), QUIET, new ScanStats()));

        assertEquals(0, store.totals()[0], "no rows");
        assertEquals(0, store.seal().seal().rows(), "no seal of them");
        assertEquals(List.of(), store.areas());
        assertEquals(java.util.Optional.empty(), store.hashAlgorithm());
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER refused");
        }
        integrity.baseline(List.of(etc), QUIET, new ScanStats());
        assertEquals(3, store.seal().seal().rows());
        assertEquals(1, store.areas().size());
    }
}

package dev.vigil.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Database}'s transactions, on a real SQLite file: all of their statements are written, or none. */
class DatabaseTest {

    @TempDir
    Path dir;

    private List<String> settings(Database db) {
        return db.query("cannot read the settings", "SELECT name FROM setting ORDER BY name", rs -> rs.getString(1));
    }

    private static void insertSetting(Connection c, String name) throws java.sql.SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO setting(name, value) VALUES ('" + name + "', 'x')");
        }
    }

    @Test
    void aStatementFailingInTheMiddleLeavesNothingOfTheTransactionWritten() {
        Database db = Database.open(dir.resolve("vigil.db"));

        StoreException e = assertThrows(StoreException.class, () -> db.inTransaction("cannot write the settings", c -> {
            insertSetting(c, "first");
            insertSetting(c, "second");
            insertSetting(c, "first");
        }));

        assertTrue(e.getMessage().startsWith("cannot write the settings: [SQLITE_CONSTRAINT_PRIMARYKEY]"), e.getMessage());
        assertEquals(List.of(), settings(db), "the two rows before the failing one are not written");
        db.inTransaction("cannot write the settings", c -> insertSetting(c, "first"));
        assertEquals(List.of("first"), settings(db));
    }

    @Test
    void anExceptionNotFromSqliteAlsoLeavesNothingWrittenAndIsThrownAsItIs() {
        Database db = Database.open(dir.resolve("vigil.db"));
        IllegalStateException thrown = new IllegalStateException("a row that cannot be made");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> db.inTransaction("cannot write", c -> {
            insertSetting(c, "first");
            throw thrown;
        }));

        assertSame(thrown, e);
        assertEquals(List.of(), settings(db));
    }

    @Test
    void aConnectionKeptAfterAFailedTransactionWritesAgainInAutoCommitMode() throws Exception {
        Database db = Database.open(dir.resolve("vigil.db"));
        try (Connection kept = db.connect()) {
            assertThrows(java.sql.SQLException.class, () -> Database.transaction(kept, c -> {
                insertSetting(c, "first");
                insertSetting(c, "first");
            }));

            insertSetting(kept, "after");
            assertEquals(List.of("after"), settings(db), "seen from another connection while this one is still open");
        }
    }

    @Test
    void aFullDatabaseFailsWithSqlitesOwnErrorAndWritesNothing() {
        Database db = Database.open(dir.resolve("vigil.db"));

        StoreException e = assertThrows(StoreException.class, () -> db.inTransaction("cannot write the settings", c -> {
            try (Statement s = c.createStatement()) {
                // the file may not grow: what a full disk does to a write
                s.execute("PRAGMA max_page_count = " + pageCount(c));
                for (int i = 0; i < 1000; i++) {
                    s.execute("INSERT INTO setting(name, value) VALUES ('" + i + "', hex(randomblob(1000)))");
                }
            }
        }));

        assertTrue(e.getMessage().startsWith("cannot write the settings: [SQLITE_FULL]"), e.getMessage());
        assertEquals(List.of(), settings(db));
    }

    @Test
    void aDamagedDatabaseVerifiedAlongsideIsTheErrorBeforeTheCallersOwnAndIsNotWrittenTo() throws Exception {
        Path file = dir.resolve("vigil.db");
        try (Database db = Database.open(file)) {
            db.update("cannot make the table", "CREATE TABLE probe(v)");
            db.inTransaction("cannot fill the table", c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)"
                            + " INSERT INTO probe SELECT hex(randomblob(100)) FROM n");
                }
            });
        }
        damageTheMiddle(file);
        Database db = Database.open(file);
        IllegalStateException own = new IllegalStateException("a read of the damaged file failed first");

        Database.Verdict verdict = db.verifyAlongside();

        DamagedDatabaseException e = assertThrows(DamagedDatabaseException.class, () -> verdict.before(own));
        assertTrue(e.getMessage().startsWith("database " + file + " is damaged ("), e.getMessage());
        assertSame(own, e.getSuppressed()[0]);
        DamagedDatabaseException again = assertThrows(DamagedDatabaseException.class, verdict::await, "asked again, the same verdict");
        assertSame(again, assertThrows(DamagedDatabaseException.class, () -> verdict.before(again)),
                "a failure that is the verdict's own error (an output awaited it) is told as it is");
        assertThrows(DamagedDatabaseException.class, () -> db.inTransaction("cannot write the settings", c -> insertSetting(c, "after")));
        assertThrows(DamagedDatabaseException.class, () -> db.update("cannot write the settings",
                "INSERT INTO setting(name, value) VALUES ('after', 'x')"));
        assertEquals(List.of(), settings(db), "neither write reached the file");
    }

    @Test
    void anIntactDatabaseVerifiedAlongsideLeavesTheCallersFailureToTheCallerAndIsWritten() {
        Database db = Database.open(dir.resolve("vigil.db"));

        Database.Verdict verdict = db.verifyAlongside();

        verdict.before(new IllegalStateException("the caller's own failure, the caller's to throw"));
        db.inTransaction("cannot write the settings", c -> insertSetting(c, "after"));
        assertEquals(List.of("after"), settings(db));
    }

    /** Eight pages in the middle of the file overwritten, as {@code dev.vigil.camel.DamagedDatabaseTest} damages a baseline. */
    private static void damageTheMiddle(Path file) throws java.io.IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long page = 4096;
            byte[] garbage = new byte[(int) (8 * page)];
            Arrays.fill(garbage, (byte) 0xA5);
            ch.write(ByteBuffer.wrap(garbage), ch.size() / 2 / page * page);
        }
    }

    private static long pageCount(Connection c) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA page_count")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

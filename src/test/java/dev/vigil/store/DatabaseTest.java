package dev.vigil.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
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

    private static long pageCount(Connection c) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA page_count")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package dev.vigil.store;

import dev.vigil.Stderr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connections Database keeps between operations: which it keeps, which it lets go, and when. */
class DatabasePoolTest {

    @TempDir
    Path dir;

    /** How many temporary tables the connection the next operation borrows has: made on it by an earlier one. */
    private static int temporaryTables(Database db) {
        return db.query("count", "SELECT count(*) FROM sqlite_temp_master", rs -> rs.getInt(1)).get(0);
    }

    private static Void makeTemporaryTable(java.sql.Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE mark(v)");
        }
        return null;
    }

    @Test
    void theNextOperationGetsTheConnectionTheLastOneGaveBack() {
        try (Database db = Database.open(dir.resolve("vigil.db"))) {
            db.withConnection("mark", DatabasePoolTest::makeTemporaryTable);
            assertEquals(1, temporaryTables(db));
        }
    }

    @Test
    void aConnectionAnOperationFailedOnIsNotKept() {
        try (Database db = Database.open(dir.resolve("vigil.db"))) {
            assertThrows(StoreException.class, () -> db.withConnection("fail", c -> {
                makeTemporaryTable(c);
                throw new SQLException("the operation failed");
            }));
            assertEquals(0, temporaryTables(db));

            assertThrows(IllegalStateException.class, () -> db.withConnection("fail", c -> {
                makeTemporaryTable(c);
                throw new IllegalStateException("the caller's own failure");
            }));
            assertEquals(0, temporaryTables(db));
        }
    }

    @Test
    void aConnectionLeftInATransactionIsNotKeptAndItsWritesAreRolledBack() {
        try (Database db = Database.open(dir.resolve("vigil.db"))) {
            db.update("table", "CREATE TABLE probe(v)");
            db.withConnection("left open", c -> {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO probe VALUES (1)");
                }
                return null;
            });
            assertEquals(0, db.query("count", "SELECT count(*) FROM probe", rs -> rs.getInt(1)).get(0),
                    "kept, the connection would show its own uncommitted row");
            db.update("insert", "INSERT INTO probe VALUES (2)"); // the write lock was not left held
            assertEquals(1, db.query("count", "SELECT count(*) FROM probe", rs -> rs.getInt(1)).get(0));
        }
    }

    @Test
    void aFailedTransactionIsRolledBackAndTheConnectionNotKept() {
        try (Database db = Database.open(dir.resolve("vigil.db"))) {
            db.update("table", "CREATE TABLE probe(v UNIQUE)");
            assertThrows(StoreException.class, () -> db.inTransaction("insert twice", c -> {
                makeTemporaryTable(c);
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO probe VALUES (1)");
                    s.execute("INSERT INTO probe VALUES (1)");
                }
            }));
            assertEquals(0, db.query("count", "SELECT count(*) FROM probe", rs -> rs.getInt(1)).get(0));
            assertEquals(0, temporaryTables(db));
        }
    }

    @Test
    void aFileMovedAsideAndReplacedIsToldOnceAndNoLongerWrittenThroughAKeptConnection() throws Exception {
        Path file = dir.resolve("vigil.db");
        try (Database db = Database.open(file)) {
            db.update("table", "CREATE TABLE probe(v)");
            db.update("insert", "INSERT INTO probe VALUES ('before')");
            // What DamagedDatabaseException tells the user to do: move it aside with its WAL and shared memory.
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.move(dir.resolve("vigil.db" + suffix), dir.resolve("aside.db" + suffix));
            }
            try (Database replacement = Database.open(file)) {
                replacement.update("table", "CREATE TABLE probe(v)");
            }

            List<String> told = Stderr.during(() -> {
                db.update("insert", "INSERT INTO probe VALUES ('after')");
                db.update("insert", "INSERT INTO probe VALUES ('after')");
            }).lines().filter(l -> l.contains("replaced while Vigil runs")).toList();

            assertEquals(1, told.size(), "another file at the path is told once, at the first operation that meets it: " + told);
            assertTrue(told.get(0).contains("WARN") && told.get(0).contains("the database " + file + " is file ("), told.get(0));
            try (Database now = Database.open(file); Database aside = Database.open(dir.resolve("aside.db"))) {
                assertEquals(List.of("after", "after"), now.query("read", "SELECT v FROM probe", rs -> rs.getString(1)));
                assertEquals(List.of("before"), aside.query("read", "SELECT v FROM probe", rs -> rs.getString(1)));
            }
        }
    }

    @Test
    void whileOpenTheWalOutlivesEachWriteAndCloseCheckpointsIt() {
        Path wal = dir.resolve("vigil.db-wal");
        Database db = Database.open(dir.resolve("vigil.db"));
        db.update("table", "CREATE TABLE probe(v)");
        assertTrue(Files.exists(wal), "the write is in the WAL, not yet checkpointed");

        db.close();
        assertFalse(Files.exists(wal), "the idle connection was the last one");

        db.update("insert", "INSERT INTO probe VALUES (1)");
        assertFalse(Files.exists(wal), "after close, each operation has a connection of its own");
        assertEquals(0, temporaryTables(db));
    }
}

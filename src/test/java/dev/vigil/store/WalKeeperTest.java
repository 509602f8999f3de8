package dev.vigil.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the daemon's idle connection is for: the WAL stays between writes, instead of a checkpoint after each. */
class WalKeeperTest {

    @TempDir
    Path dir;

    @Test
    void whileKeptTheWalOutlivesEachWriteAndGoesWithTheKeeper() {
        Database db = Database.open(dir.resolve("vigil.db"));
        Path wal = dir.resolve("vigil.db-wal");
        SqliteBaseline store = new SqliteBaseline(db);
        store.addAreas(List.of("/etc".getBytes(StandardCharsets.UTF_8)));
        assertFalse(Files.exists(wal), "without a keeper, the write's own connection was the last and checkpointed");

        try (WalKeeper keeper = new WalKeeper(db)) {
            store.addAreas(List.of("/usr".getBytes(StandardCharsets.UTF_8)));
            assertTrue(Files.exists(wal), "the write is in the WAL, not yet checkpointed");
        }

        assertFalse(Files.exists(wal), "the keeper was the last connection");
    }
}

package dev.vigil.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * Keeps the histories from growing without end: findings ({@code event}) and raw watcher events
 * ({@code file_event}) older than the retention period are deleted. A busy watched tree writes a raw event per
 * write, so without this the database grows for as long as the daemon runs.
 *
 * <p>Rows go in batches, each its own transaction, so a first prune of millions of rows never holds the write
 * lock long enough to delay the findings being recorded meanwhile.
 */
public final class HistoryRetention {

    private static final int BATCH = 10_000;
    private static final List<String> TABLES = List.of("event", "file_event");

    private final Database db;
    private final Duration keep;
    private final InstantSource clock;

    public HistoryRetention(Database db, Duration keep, InstantSource clock) {
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("the history must be kept for a positive time, not " + keep);
        }
        this.db = db;
        this.keep = keep;
        this.clock = clock;
    }

    /** Deletes what is older than the retention period; returns how many rows went. */
    public long prune() {
        String before = EventLog.SORTABLE.format(clock.instant().minus(keep));
        long deleted = 0;
        try (Connection c = db.connect()) {
            for (String table : TABLES) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id IN (SELECT id FROM "
                        + table + " WHERE time < ? ORDER BY time LIMIT " + BATCH + ")")) {
                    ps.setString(1, before);
                    int n;
                    do {
                        n = ps.executeUpdate();
                        deleted += n;
                    } while (n == BATCH);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot prune the history in " + db.file() + ": " + e.getMessage(), e);
        }
        return deleted;
    }
}

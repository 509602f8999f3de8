package dev.vigil.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Keeps the histories from growing without end: findings ({@code event}), raw watcher events
 * ({@code file_event}, also bounded in rows: see {@link FileEventHistory#append}), reports delivered to every channel ({@code outbox_*}) and records of scan runs
 * ({@code scan_run}, but never the last of each kind and area, which progress estimates use) older than the
 * retention period are deleted. A busy watched tree writes a raw event per write, so without this the database grows for as long
 * as the daemon runs. A report some channel has not taken (pending, or given up and waiting for
 * {@code vigil outbox retry}) is kept whatever its age. The order of a trickle no route runs any more (table
 * {@code trickle_verified}, a row per entry the trickle verified) is deleted as well: without it, every trickle
 * route renamed or removed would leave a row per file behind for good.
 *
 * <p>Rows go in batches, each its own transaction, so a first prune of millions of rows never holds the write
 * lock long enough to delay the findings being recorded meanwhile.
 */
public final class HistoryRetention {

    private static final int BATCH = 10_000;
    private static final List<String> TABLES = List.of("event", "file_event");

    private final Database db;
    private final Duration keep;
    private final FileEventHistory rawEvents;
    private final Supplier<Set<String>> trickles;
    private final InstantSource clock;

    /**
     * Keeps the histories for {@code keep}, at most {@code maxRawEvents} raw watcher events (the newest), and the
     * orders of the trickles {@code trickles} names when asked (the names routes run now).
     */
    public HistoryRetention(Database db, Duration keep, long maxRawEvents, Supplier<Set<String>> trickles,
                            InstantSource clock) {
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("the history must be kept for a positive time, not " + keep);
        }
        this.db = db;
        this.keep = keep;
        this.rawEvents = new FileEventHistory(db, maxRawEvents);
        this.trickles = trickles;
        this.clock = clock;
    }

    /**
     * Deletes what is older than the retention period, raw events beyond their bound and the orders of trickles no
     * longer run; returns how many rows went.
     */
    public long prune() {
        String before = EventLog.SORTABLE.format(clock.instant().minus(keep));
        return db.withConnection("cannot prune the history in " + db.file(), c -> {
            long deleted = 0;
            for (String table : TABLES) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id IN (SELECT id FROM "
                        + table + " WHERE time < ? ORDER BY time LIMIT " + BATCH + ")")) {
                    ps.setString(1, before);
                    deleted += Database.deleteInBatches(ps, BATCH);
                }
            }
            deleted += pruneDelivered(c, before);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM scan_run WHERE finished < ? AND id NOT IN"
                    + " (SELECT max(id) FROM scan_run GROUP BY kind, area)")) {
                // scan_run keeps its times as Instant.toString() writes them, not in EventLog's sortable form
                ps.setString(1, clock.instant().minus(keep).toString());
                deleted += ps.executeUpdate();
            }
            return deleted + rawEvents.trim(c) + forgetTricklesNotRun(c, trickles.get());
        });
    }

    /** The rows of trickles not in {@code running}, found by seeking from one trickle's name to the next. */
    private static long forgetTricklesNotRun(Connection c, Set<String> running) throws SQLException {
        long deleted = 0;
        try (PreparedStatement next = c.prepareStatement("SELECT trickle FROM trickle_verified WHERE trickle > ?"
                + " ORDER BY trickle LIMIT 1");
             PreparedStatement delete = c.prepareStatement("DELETE FROM trickle_verified WHERE trickle = ? AND path IN"
                     + " (SELECT path FROM trickle_verified WHERE trickle = ? LIMIT " + BATCH + ")")) {
            String trickle = "";
            while (true) {
                next.setString(1, trickle);
                try (ResultSet rs = next.executeQuery()) {
                    if (!rs.next()) {
                        return deleted;
                    }
                    trickle = rs.getString(1);
                }
                if (!running.contains(trickle)) {
                    delete.setString(1, trickle);
                    delete.setString(2, trickle);
                    deleted += Database.deleteInBatches(delete, BATCH);
                }
            }
        }
    }

    /** Reports every channel has taken: their deliveries first, then the reports left without any. */
    private static long pruneDelivered(Connection c, String before) throws SQLException {
        long deleted = 0;
        try (PreparedStatement deliveries = c.prepareStatement("DELETE FROM outbox_delivery WHERE report_id IN (SELECT id"
                + " FROM outbox_report r WHERE created < ? AND NOT EXISTS (SELECT 1 FROM outbox_delivery d"
                + " WHERE d.report_id = r.id AND d.status != 'DELIVERED') LIMIT " + BATCH + ")");
             PreparedStatement reports = c.prepareStatement("DELETE FROM outbox_report WHERE created < ? AND NOT EXISTS"
                     + " (SELECT 1 FROM outbox_delivery d WHERE d.report_id = outbox_report.id)")) {
            int n;
            do {
                deliveries.setString(1, before);
                deliveries.executeUpdate();
                reports.setString(1, before);
                n = reports.executeUpdate();
                deleted += n;
            } while (n > 0);
        }
        return deleted;
    }
}

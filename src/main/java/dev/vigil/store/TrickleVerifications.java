package dev.vigil.store;

import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.FileRecord;
import dev.vigil.os.ByteKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One trickle's rows of table {@code trickle_verified} on one connection and its prepared statements, kept until
 * closed. Records and forgettings wait in a map of at most {@link #BATCH} entries and are written together in one
 * transaction, when it is full and before a read of many rows (the trickle writes for every entry it checks, and a
 * transaction each would cost more than the check); a point read looks in the map first. A crash loses at most
 * one batch: those entries seem longer since verified than they are, and are verified again early.
 */
final class TrickleVerifications implements BaselineStore.Verifications {

    static final int BATCH = 1024;
    /** In {@link #waiting}: forgotten. Numbers recorded are positive. */
    private static final long FORGOTTEN = 0;

    private final Database db;
    private final String trickle;
    private final Connection c;
    private final PreparedStatement find;
    private final PreparedStatement upsert;
    private final PreparedStatement delete;
    private final PreparedStatement oldest;
    private final PreparedStatement unverifiedRoot;
    private final PreparedStatement unverifiedBelow;
    private final Map<ByteKey, Long> waiting = new HashMap<>();

    TrickleVerifications(Database db, String trickle) {
        this.db = db;
        this.trickle = trickle;
        c = db.connectFor("cannot read the trickle's order");
        try {
            find = c.prepareStatement("SELECT verified FROM trickle_verified WHERE trickle = ? AND path = ?");
            upsert = c.prepareStatement("INSERT INTO trickle_verified(trickle, path, verified) VALUES (?, ?, ?)"
                    + " ON CONFLICT(trickle, path) DO UPDATE SET verified = excluded.verified");
            delete = c.prepareStatement("DELETE FROM trickle_verified WHERE trickle = ? AND path = ?");
            oldest = c.prepareStatement("SELECT path, verified FROM trickle_verified WHERE trickle = ? AND verified > ?"
                    + " AND verified <= ? ORDER BY verified LIMIT ?");
            // The root and the range below it apart: with PathRange's OR, SQLite read and sorted the whole range for
            // every page instead of seeking to where the page starts.
            String notVerified = " AND NOT EXISTS (SELECT 1 FROM trickle_verified v WHERE v.trickle = ?"
                    + " AND v.path = baseline.path AND v.verified > ?)";
            unverifiedRoot = c.prepareStatement("SELECT " + BaselineRows.NAMES + " FROM baseline WHERE path = ?" + notVerified);
            unverifiedBelow = c.prepareStatement("SELECT " + BaselineRows.NAMES + " FROM baseline WHERE path > ? AND path < ?"
                    + notVerified + " ORDER BY path LIMIT ?");
        } catch (SQLException e) {
            throw Database.closed(c, Database.failure("cannot read the trickle's order", e));
        }
    }

    @Override
    public long latest() {
        long latest = waiting.values().stream().mapToLong(Long::longValue).max().orElse(0);
        try (PreparedStatement ps = c.prepareStatement("SELECT max(verified) FROM trickle_verified WHERE trickle = ?")) {
            ps.setString(1, trickle);
            try (ResultSet rs = ps.executeQuery()) {
                return Math.max(latest, rs.next() ? rs.getLong(1) : 0);
            }
        } catch (SQLException e) {
            throw Database.failure("cannot read the trickle's order", e);
        }
    }

    @Override
    public long verified(byte[] path) {
        Long kept = waiting.get(ByteKey.of(path));
        if (kept != null) {
            return kept;
        }
        try {
            find.setString(1, trickle);
            find.setBytes(2, path);
            try (ResultSet rs = find.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw Database.failure("cannot read the trickle's order", e);
        }
    }

    @Override
    public void record(byte[] path, long when) {
        keep(path, when);
    }

    @Override
    public void forget(byte[] path) {
        keep(path, FORGOTTEN);
    }

    private void keep(byte[] path, long when) {
        waiting.put(ByteKey.of(path), when);
        if (waiting.size() >= BATCH) {
            write();
        }
    }

    @Override
    public List<BaselineStore.Verified> oldest(long after, long until, int limit) {
        write();
        List<BaselineStore.Verified> out = new ArrayList<>();
        try {
            Database.bind(oldest, trickle, after, until, limit);
            try (ResultSet rs = oldest.executeQuery()) {
                while (rs.next()) {
                    out.add(new BaselineStore.Verified(rs.getBytes(1), rs.getLong(2)));
                }
            }
        } catch (SQLException e) {
            throw Database.failure("cannot read the trickle's order", e);
        }
        return out;
    }

    @Override
    public List<FileRecord> unverified(byte[] root, byte[] after, long since, int limit) {
        write();
        List<FileRecord> out = new ArrayList<>();
        try {
            Object[] range = new PathRange(root).args();
            byte[] below = (byte[]) range[1];
            if (after.length == 0) {
                Database.bind(unverifiedRoot, root, trickle, since);
                readInto(unverifiedRoot, out);
            }
            // "root/" is no entry's path, and "/" is the root itself: the entries strictly below start after it.
            Database.bind(unverifiedBelow, Arrays.compareUnsigned(after, below) > 0 ? after : below, range[2], trickle, since,
                    limit - out.size());
            readInto(unverifiedBelow, out);
        } catch (SQLException e) {
            throw Database.failure("cannot read the baseline", e);
        }
        return out;
    }

    private static void readInto(PreparedStatement ps, List<FileRecord> out) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(BaselineRows.read(rs));
            }
        }
    }

    /** Writes what waits, in one transaction. */
    private void write() {
        if (waiting.isEmpty()) {
            return;
        }
        try {
            Database.transaction(c, t -> {
                for (Map.Entry<ByteKey, Long> e : waiting.entrySet()) {
                    PreparedStatement ps = e.getValue() == FORGOTTEN ? delete : upsert;
                    ps.setString(1, trickle);
                    ps.setBytes(2, e.getKey().bytes());
                    if (e.getValue() != FORGOTTEN) {
                        ps.setLong(3, e.getValue());
                    }
                    ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw Database.failure("cannot write the trickle's order", e);
        }
        waiting.clear();
    }

    @Override
    public void close() {
        try {
            write();
        } finally {
            try {
                for (PreparedStatement ps : List.of(find, upsert, delete, oldest, unverifiedRoot, unverifiedBelow)) {
                    ps.close();
                }
                c.close();
            } catch (SQLException e) {
                throw Database.failure("cannot close " + db.file(), e);
            }
        }
    }
}

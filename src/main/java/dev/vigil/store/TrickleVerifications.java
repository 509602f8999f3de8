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
 * One trickle's rows of table {@code trickle_verified} on one kept connection and its prepared statements, until
 * closed. Records and forgettings wait in a map of at most {@link #BATCH} entries and are written together in one
 * transaction, when it is full and before a read of many rows (the trickle writes for every entry it checks, and a
 * transaction each would cost more than the check); a point read looks in the map first. A crash loses at most
 * one batch: those entries seem longer since verified than they are, and are verified again early.
 *
 * <p>The connection follows a database file replaced meanwhile ({@link KeptConnection}); what waits belongs to the
 * file it was found against and goes with it, unwritten: the trickle goes on with the order the new file keeps.
 */
final class TrickleVerifications implements BaselineStore.Verifications {

    static final int BATCH = 1024;
    /** In {@link Session#waiting}: forgotten. Numbers recorded are positive. */
    private static final long FORGOTTEN = 0;

    private final String trickle;
    private final KeptConnection<Session> kept;

    /** The statements prepared on one connection, and what waits to be written through it. */
    private static final class Session {
        final Connection c;
        final PreparedStatement latest;
        final PreparedStatement find;
        final PreparedStatement upsert;
        final PreparedStatement delete;
        final PreparedStatement oldest;
        final PreparedStatement unverifiedRoot;
        final PreparedStatement unverifiedBelow;
        final Map<ByteKey, Long> waiting = new HashMap<>();

        Session(Connection c) throws SQLException {
            this.c = c;
            latest = c.prepareStatement("SELECT max(verified) FROM trickle_verified WHERE trickle = ?");
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
        }
    }

    TrickleVerifications(Database db, String trickle) {
        this.trickle = trickle;
        kept = new KeptConnection<>(db, "cannot read the trickle's order", Session::new);
    }

    @Override
    public long latest() {
        Session s = kept.get();
        long latest = s.waiting.values().stream().mapToLong(Long::longValue).max().orElse(0);
        try {
            s.latest.setString(1, trickle);
            try (ResultSet rs = s.latest.executeQuery()) {
                return Math.max(latest, rs.next() ? rs.getLong(1) : 0);
            }
        } catch (SQLException e) {
            throw Database.failure("cannot read the trickle's order", e);
        }
    }

    @Override
    public long verified(byte[] path) {
        Session s = kept.get();
        Long waiting = s.waiting.get(ByteKey.of(path));
        if (waiting != null) {
            return waiting;
        }
        try {
            s.find.setString(1, trickle);
            s.find.setBytes(2, path);
            try (ResultSet rs = s.find.executeQuery()) {
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
        Session s = kept.get();
        s.waiting.put(ByteKey.of(path), when);
        if (s.waiting.size() >= BATCH) {
            write(s);
        }
    }

    @Override
    public List<BaselineStore.Verified> oldest(long after, long until, int limit) {
        Session s = kept.get();
        write(s);
        List<BaselineStore.Verified> out = new ArrayList<>();
        try {
            Database.bind(s.oldest, trickle, after, until, limit);
            try (ResultSet rs = s.oldest.executeQuery()) {
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
        Session s = kept.get();
        write(s);
        List<FileRecord> out = new ArrayList<>();
        try {
            Object[] range = new PathRange(root).args();
            byte[] below = (byte[]) range[1];
            if (after.length == 0) {
                Database.bind(s.unverifiedRoot, root, trickle, since);
                readInto(s.unverifiedRoot, out);
            }
            // "root/" is no entry's path, and "/" is the root itself: the entries strictly below start after it.
            Database.bind(s.unverifiedBelow, Arrays.compareUnsigned(after, below) > 0 ? after : below, range[2], trickle, since,
                    limit - out.size());
            readInto(s.unverifiedBelow, out);
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

    /** Writes what waits in {@code s}, in one transaction on its connection. */
    private void write(Session s) {
        if (s.waiting.isEmpty()) {
            return;
        }
        try {
            Database.transaction(s.c, t -> {
                for (Map.Entry<ByteKey, Long> e : s.waiting.entrySet()) {
                    PreparedStatement ps = e.getValue() == FORGOTTEN ? s.delete : s.upsert;
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
        s.waiting.clear();
    }

    @Override
    public void close() {
        try {
            write(kept.get());
        } finally {
            kept.close();
        }
    }
}

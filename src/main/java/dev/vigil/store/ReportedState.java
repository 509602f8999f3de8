package dev.vigil.store;

import dev.vigil.fim.ReportMark;
import dev.vigil.os.ByteKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The deviation last reported for each path. The daemon reports a deviation from the baseline once, again
 * only when it becomes a different one, and notices when it goes away (a reverted change); `vigil accept`
 * clears what it accepts. A deviation is remembered by the transaction that records its finding
 * ({@link EventLog#record(dev.vigil.alert.Finding, List)}).
 */
public final class ReportedState {

    private final Database db;

    public ReportedState(Database db) {
        this.db = db;
    }

    /** Every reported path at or below {@code root} with its fingerprint. */
    public Map<ByteKey, String> under(byte[] root) {
        return db.queryMap("cannot read reported state", "SELECT path, fingerprint FROM reported WHERE " + PathRange.CONDITION,
                rs -> ByteKey.of(rs.getBytes(1)), rs -> rs.getString(2), new PathRange(root).args());
    }

    /** The first {@code limit} reported paths in byte order: the deviations still open. */
    public List<byte[]> paths(int limit) {
        return db.query("cannot read reported state", "SELECT path FROM reported ORDER BY path LIMIT " + limit, rs -> rs.getBytes(1));
    }

    /** How many deviations are open. */
    public long count() {
        return db.query("cannot read reported state", "SELECT count(*) FROM reported", rs -> rs.getLong(1)).get(0);
    }

    /**
     * Makes {@code mark} on {@code c}, in the caller's transaction (the one recording its finding), with one
     * conditional statement: a reported deviation is remembered unless it is the one remembered already, a reverted
     * one forgotten if it is still the one remembered. True if the mark changed the table, that is, if its finding
     * is news; false if another checker recorded the same first.
     */
    static boolean mark(Connection c, ReportMark.Deviation mark) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(mark.revert() ? "DELETE FROM reported WHERE path = ? AND fingerprint = ?"
                : "INSERT INTO reported(path, fingerprint) VALUES (?, ?) ON CONFLICT(path) DO UPDATE"
                + " SET fingerprint = excluded.fingerprint WHERE fingerprint <> excluded.fingerprint")) {
            ps.setBytes(1, mark.path());
            ps.setString(2, mark.fingerprint());
            return ps.executeUpdate() > 0;
        }
    }

    public void removeUnder(byte[] root) {
        update("DELETE FROM reported WHERE " + PathRange.CONDITION, new PathRange(root).args());
    }

    private int update(String sql, Object... args) {
        return db.update("cannot write reported state", sql, args);
    }
}

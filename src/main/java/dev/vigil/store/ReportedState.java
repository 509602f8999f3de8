package dev.vigil.store;

import dev.vigil.os.ByteKey;
import java.util.List;
import java.util.Map;

/**
 * The deviation last reported for each path. The daemon reports a deviation from the baseline once, again
 * only when it becomes a different one, and notices when it goes away (a reverted change); `vigil accept`
 * clears what it accepts.
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

    /** Remembers {@code fingerprint} for {@code path}; true if it was not remembered already (one statement, so atomic). */
    public boolean put(byte[] path, String fingerprint) {
        return update("INSERT INTO reported(path, fingerprint) VALUES (?, ?) ON CONFLICT(path) DO UPDATE"
                + " SET fingerprint = excluded.fingerprint WHERE fingerprint <> excluded.fingerprint", path, fingerprint) > 0;
    }

    /** Forgets {@code path} if its fingerprint is still {@code fingerprint}; true if it was. */
    public boolean remove(byte[] path, String fingerprint) {
        return update("DELETE FROM reported WHERE path = ? AND fingerprint = ?", path, fingerprint) > 0;
    }

    public void removeUnder(byte[] root) {
        update("DELETE FROM reported WHERE " + PathRange.CONDITION, new PathRange(root).args());
    }

    private int update(String sql, Object... args) {
        return db.update("cannot write reported state", sql, args);
    }
}

package dev.vigil.store;

import dev.vigil.os.ByteKey;
import dev.vigil.os.PathBytes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
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
        byte[][] range = SqliteBaseline.range(root);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT path, fingerprint FROM reported WHERE path = ? OR (path >= ? AND path < ?)")) {
            ps.setBytes(1, root);
            ps.setBytes(2, range[0]);
            ps.setBytes(3, range[1]);
            Map<ByteKey, String> out = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(ByteKey.of(rs.getBytes(1)), rs.getString(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read reported state: " + e.getMessage(), e);
        }
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
        byte[][] range = SqliteBaseline.range(root);
        update("DELETE FROM reported WHERE path = ? OR (path >= ? AND path < ?)", root, range[0], range[1]);
    }

    private int update(String sql, Object... args) {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot write reported state: " + e.getMessage(), e);
        }
    }
}

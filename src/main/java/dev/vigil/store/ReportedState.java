package dev.vigil.store;

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
    public Map<String, String> under(byte[] root) {
        byte[] low = java.util.Arrays.copyOf(root, root.length + 1);
        byte[] high = java.util.Arrays.copyOf(root, root.length + 1);
        low[root.length] = '/';
        high[root.length] = '0';
        boolean slash = root.length == 1 && root[0] == '/';
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT path, fingerprint FROM reported WHERE path = ? OR (path >= ? AND path < ?)")) {
            ps.setBytes(1, root);
            ps.setBytes(2, slash ? root : low);
            ps.setBytes(3, slash ? new byte[]{'0'} : high);
            Map<String, String> out = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(key(rs.getBytes(1)), rs.getString(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read reported state: " + e.getMessage(), e);
        }
    }

    public void put(byte[] path, String fingerprint) {
        update("INSERT INTO reported(path, fingerprint) VALUES (?, ?) ON CONFLICT(path) DO UPDATE SET fingerprint = excluded.fingerprint",
                path, fingerprint);
    }

    public void remove(byte[] path) {
        update("DELETE FROM reported WHERE path = ?", path);
    }

    /** Keys of {@link #under} as raw bytes. */
    public static byte[] path(String key) {
        return key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String key(byte[] path) {
        return new String(path, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private void update(String sql, Object... args) {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot write reported state: " + e.getMessage(), e);
        }
    }
}

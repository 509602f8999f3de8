package dev.vigil.store;

import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.FileRecord;
import dev.vigil.fim.QuickKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The baseline rows at or below a root in path order, on the caller's thread, each row's path and quick key read
 * and its other columns only when the row is asked for whole: an unchanged entry costs a quick check three calls
 * into sqlite-jdbc (step, path, key) instead of sixteen. A row without a key is compared whole.
 */
final class KeyedBaselineRows implements BaselineStore.Rows {

    private final Database db;
    private final Connection c;
    private final PreparedStatement ps;
    private final ResultSet rs;
    private byte[] path;
    private byte[] key;
    private FileRecord record;

    KeyedBaselineRows(Database db, byte[] root) {
        this.db = db;
        c = db.connectFor("cannot read the baseline");
        try {
            ps = c.prepareStatement("SELECT " + BaselineRows.NAMES + " FROM baseline WHERE " + PathRange.ORDERED_CONDITION
                    + " ORDER BY path");
            Database.bind(ps, new PathRange(root).orderedArgs());
            rs = ps.executeQuery();
        } catch (SQLException e) {
            throw Database.closed(c, Database.failure("cannot read the baseline", e));
        }
    }

    @Override
    public boolean advance() {
        record = null;
        try {
            if (!rs.next()) {
                path = null;
                key = null;
                return false;
            }
            path = rs.getBytes(1);
            key = BaselineRows.quickKey(rs);
            return true;
        } catch (SQLException e) {
            throw Database.failure("cannot read the baseline", e);
        }
    }

    @Override
    public byte[] path() {
        return path;
    }

    @Override
    public boolean matches(FileRecord current) {
        return QuickKey.matches(key, current);
    }

    @Override
    public FileRecord record() {
        if (record == null) {
            try {
                record = BaselineRows.read(rs);
            } catch (SQLException e) {
                throw Database.failure("cannot read the baseline", e);
            }
        }
        return record;
    }

    @Override
    public void close() {
        try {
            rs.close();
            ps.close();
            c.close();
        } catch (SQLException e) {
            throw Database.failure("cannot close " + db.file(), e);
        }
    }
}

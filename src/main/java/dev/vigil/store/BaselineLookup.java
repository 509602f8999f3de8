package dev.vigil.store;

import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.FileRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Point look-ups in the baseline and the reported state on one connection and its prepared statements, kept until closed. */
final class BaselineLookup implements BaselineStore.Lookup {

    private final Database db;
    private final Connection c;
    private final PreparedStatement ps;
    private final PreparedStatement reported;

    BaselineLookup(Database db) {
        this.db = db;
        c = db.connectFor("cannot read the baseline");
        try {
            ps = c.prepareStatement("SELECT " + BaselineRows.NAMES + " FROM baseline WHERE path = ?");
            reported = c.prepareStatement("SELECT fingerprint FROM reported WHERE path = ?");
        } catch (SQLException e) {
            throw Database.closed(c, Database.failure("cannot read the baseline", e));
        }
    }

    @Override
    public Optional<FileRecord> find(byte[] path) {
        try {
            ps.setBytes(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(BaselineRows.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Database.failure("cannot read the baseline", e);
        }
    }

    @Override
    public Optional<String> reported(byte[] path) {
        try {
            reported.setBytes(1, path);
            try (ResultSet rs = reported.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Database.failure("cannot read reported state", e);
        }
    }

    @Override
    public void close() {
        try {
            reported.close();
            ps.close();
            c.close();
        } catch (SQLException e) {
            throw Database.failure("cannot close " + db.file(), e);
        }
    }
}

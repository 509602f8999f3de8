package dev.vigil.store;

import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.FileRecord;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Point look-ups in the baseline and the reported state on one kept connection and its prepared statements, until
 * closed; they follow a database file replaced meanwhile ({@link KeptConnection}).
 */
final class BaselineLookup implements BaselineStore.Lookup {

    private final KeptConnection<Statements> kept;

    private record Statements(PreparedStatement find, PreparedStatement reported) {
    }

    BaselineLookup(Database db) {
        kept = new KeptConnection<>(db, "cannot read the baseline", c -> new Statements(
                c.prepareStatement("SELECT " + BaselineRows.NAMES + " FROM baseline WHERE path = ?"),
                c.prepareStatement("SELECT fingerprint FROM reported WHERE path = ?")));
    }

    @Override
    public Optional<FileRecord> find(byte[] path) {
        try {
            PreparedStatement ps = kept.get().find();
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
            PreparedStatement ps = kept.get().reported();
            ps.setBytes(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Database.failure("cannot read reported state", e);
        }
    }

    @Override
    public void close() {
        kept.close();
    }
}

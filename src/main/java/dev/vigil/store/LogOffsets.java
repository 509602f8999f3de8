package dev.vigil.store;

import dev.vigil.logcheck.LogTail;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** {@link LogTail} offsets kept in the {@code log_offset} table, one short transaction per save. */
public final class LogOffsets implements LogTail.OffsetStore {

    private final Database db;

    public LogOffsets(Database db) {
        this.db = db;
    }

    @Override
    public Optional<LogTail.Offset> load(Path file) {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT inode, position FROM log_offset WHERE path = ?")) {
            ps.setString(1, file.toAbsolutePath().toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new LogTail.Offset(rs.getLong(1), rs.getLong(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read log offset of " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void save(Path file, LogTail.Offset offset) {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO log_offset(path, inode, position, updated) "
                     + "VALUES (?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET inode = excluded.inode, "
                     + "position = excluded.position, updated = excluded.updated")) {
            ps.setString(1, file.toAbsolutePath().toString());
            ps.setLong(2, offset.inode());
            ps.setLong(3, offset.position());
            ps.setString(4, Instant.now().toString());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot save log offset of " + file + ": " + e.getMessage(), e);
        }
    }
}

package dev.vigil.store;

import dev.vigil.logcheck.LogTail;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The log tail's positions in tables {@code log_offset} (the file each path names) and {@code log_rotated} (the files
 * rotated away from it still read), one set per log group ({@code scope}).
 */
public final class LogOffsetStore implements LogTail.Offsets {

    private static final String COLUMNS = "device, inode, offset, fp_length, fp";

    private final Database db;
    private final String scope;
    private final Clock clock;

    public LogOffsetStore(Database db, String scope, Clock clock) {
        this.db = db;
        this.scope = scope;
        this.clock = clock;
    }

    @Override
    public Map<Path, LogTail.Position> load() {
        return db.queryMap("cannot read log_offset of " + scope + " in " + db.file(),
                "SELECT path, " + COLUMNS + " FROM log_offset WHERE scope = ?", rs -> Path.of(rs.getString(1)),
                rs -> new LogTail.Position(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getInt(5), rs.getString(6)), scope);
    }

    @Override
    public Map<Path, List<LogTail.Position>> loadRotated() {
        Map<Path, List<LogTail.Position>> rotated = new LinkedHashMap<>();
        db.forEachRow("cannot read log_rotated of " + scope + " in " + db.file(),
                "SELECT path, " + COLUMNS + " FROM log_rotated WHERE scope = ? ORDER BY path, seq", rs ->
                        rotated.computeIfAbsent(Path.of(rs.getString(1)), p -> new ArrayList<>()).add(new LogTail.Position(
                                rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getInt(5), rs.getString(6))), scope);
        return rotated;
    }

    @Override
    public void save(Map<Path, LogTail.Position> changed, Map<Path, List<LogTail.Position>> rotated) {
        String updated = clock.instant().toString();
        db.inTransaction("cannot write log_offset of " + scope + " in " + db.file(), c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT OR REPLACE INTO log_offset (scope, path, "
                    + COLUMNS + ", updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Map.Entry<Path, LogTail.Position> e : changed.entrySet()) {
                    bind(upsert, e.getKey(), e.getValue(), updated);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM log_rotated WHERE scope = ? AND path = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO log_rotated (scope, path, " + COLUMNS
                         + ", updated, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Map.Entry<Path, List<LogTail.Position>> e : rotated.entrySet()) {
                    Database.bind(delete, scope, e.getKey().toString());
                    delete.executeUpdate();
                    int seq = 0;
                    for (LogTail.Position p : e.getValue()) {
                        bind(insert, e.getKey(), p, updated);
                        insert.setInt(9, seq++);
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
        });
    }

    private void bind(PreparedStatement ps, Path path, LogTail.Position p, String updated) throws SQLException {
        Database.bind(ps, scope, path.toString(), p.device(), p.inode(), p.offset(), p.fingerprintLength(), p.fingerprint(),
                updated);
    }
}

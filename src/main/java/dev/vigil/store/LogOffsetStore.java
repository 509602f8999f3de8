package dev.vigil.store;

import dev.vigil.logcheck.LogTail;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.Map;

/** The log tail's positions in table {@code log_offset}, one set per log group ({@code scope}). */
public final class LogOffsetStore implements LogTail.Offsets {

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
                "SELECT path, device, inode, offset, fp_length, fp FROM log_offset WHERE scope = ?", rs -> Path.of(rs.getString(1)),
                rs -> new LogTail.Position(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getInt(5), rs.getString(6)), scope);
    }

    @Override
    public void save(Map<Path, LogTail.Position> changed) {
        String updated = clock.instant().toString();
        db.inTransaction("cannot write log_offset of " + scope + " in " + db.file(), c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT OR REPLACE INTO log_offset (scope, path, device,"
                    + " inode, offset, fp_length, fp, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Map.Entry<Path, LogTail.Position> e : changed.entrySet()) {
                    LogTail.Position p = e.getValue();
                    upsert.setString(1, scope);
                    upsert.setString(2, e.getKey().toString());
                    upsert.setLong(3, p.device());
                    upsert.setLong(4, p.inode());
                    upsert.setLong(5, p.offset());
                    upsert.setInt(6, p.fingerprintLength());
                    upsert.setString(7, p.fingerprint());
                    upsert.setString(8, updated);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        });
    }
}

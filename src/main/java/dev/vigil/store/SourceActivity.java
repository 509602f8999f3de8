package dev.vigil.store;

import dev.vigil.alert.Source;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the database tells of each source's work, for a view of the daemon from outside it: when each source last
 * found something, the log files followed and how far, the PID files and commands checked. (The file checks'
 * runs and the baseline's size are {@link SqliteBaseline}'s.)
 */
public final class SourceActivity {

    /** A log file the tail follows: its group, path, the byte after the last line read, when that was saved. */
    public record FollowedLog(String group, String path, long offset, Instant updated) {
    }

    private final Database db;

    public SourceActivity(Database db) {
        this.db = db;
    }

    /** The time of each source's newest finding. */
    public Map<Source, Instant> lastFindings() {
        return db.queryMap("cannot read events", "SELECT source, max(time) FROM event GROUP BY source",
                rs -> Source.of(rs.getString(1)), rs -> Instant.from(EventLog.SORTABLE.parse(rs.getString(2))));
    }

    /** Every log file followed, by group and path. */
    public List<FollowedLog> followedLogs() {
        return db.query("cannot read log_offset in " + db.file(), "SELECT scope, path, offset, updated FROM log_offset ORDER BY scope, path",
                rs -> new FollowedLog(rs.getString(1), rs.getString(2), rs.getLong(3), Instant.parse(rs.getString(4))));
    }

    /** How many PID files and required commands the PID checks remember. */
    public long pidSubjects() {
        return db.query("cannot read pid_state in " + db.file(), "SELECT count(*) FROM pid_state", rs -> rs.getLong(1)).get(0);
    }
}

package dev.vigil.store;

import dev.vigil.alert.Source;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Json;
import dev.vigil.alert.RecordedFinding;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The event history: every finding, written before it is pooled for its report, and the queries of
 * {@code vigil events}. A finding's row is marked pooled until {@link Outbox#store} takes it into a report.
 */
public final class EventLog {

    /** Fixed-width UTC times, so the text column sorts and compares in time order. */
    static final java.time.format.DateTimeFormatter SORTABLE =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private final Database db;

    public EventLog(Database db) {
        this.db = db;
    }

    /** Writes the finding as pooled; returns its row id. */
    public long record(Finding f) {
        return db.withConnection("cannot record an event in " + db.file(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO event(time, source, kind, subject, host, severity,"
                    + " finding, pooled) VALUES (?,?,?,?,?,?,?,1)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, SORTABLE.format(f.time()));
                ps.setString(2, f.source().text());
                ps.setString(3, f.kind());
                ps.setString(4, f.subject());
                ps.setString(5, f.host());
                ps.setString(6, f.severity().name());
                ps.setString(7, Json.write(f));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /**
     * Whether a finding with exactly this JSON ({@link Json#write}) was ever recorded: the collector asks it at
     * start for the few findings a kill left stored but not marked forwarded, so none is recorded twice. A scan
     * of the table, for those few only.
     */
    public boolean holds(String findingJson) {
        return !db.query("cannot look up an event in " + db.file(), "SELECT 1 FROM event WHERE finding = ? LIMIT 1",
                rs -> true, Json.write(Json.read(findingJson, Finding.class))).isEmpty();
    }

    /** The findings no report has taken yet, in the order they were recorded. */
    public List<RecordedFinding> pooled() {
        return db.query("cannot read the pooled findings from " + db.file(), "SELECT id, finding FROM event WHERE pooled = 1 ORDER BY id",
                rs -> new RecordedFinding(rs.getLong(1), Json.read(rs.getString(2), Finding.class)));
    }

    /**
     * What to select; null fields do not filter. {@code subjectGlob} is a shell glob over the subject
     * (path, log line, PID file).
     */
    public record Query(Instant since, Instant until, Source source, List<String> kinds, String subjectGlob) {
    }

    /** Matching findings, oldest first. */
    public List<Finding> query(Query q) {
        StringBuilder sql = new StringBuilder("SELECT finding FROM event WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (q.since() != null) {
            sql.append(" AND time >= ?");
            args.add(SORTABLE.format(q.since()));
        }
        if (q.until() != null) {
            sql.append(" AND time < ?");
            args.add(SORTABLE.format(q.until()));
        }
        if (q.source() != null) {
            sql.append(" AND source = ?");
            args.add(q.source().text());
        }
        if (q.kinds() != null && !q.kinds().isEmpty()) {
            sql.append(" AND kind IN (").append(String.join(",", q.kinds().stream().map(k -> "?").toList())).append(")");
            args.addAll(q.kinds().stream().map(String::toUpperCase).toList());
        }
        if (q.subjectGlob() != null) {
            sql.append(" AND subject GLOB ?");
            args.add(q.subjectGlob());
        }
        sql.append(" ORDER BY id");
        return db.query("cannot query events", sql.toString(), rs -> Json.read(rs.getString(1), Finding.class), args.toArray());
    }
}

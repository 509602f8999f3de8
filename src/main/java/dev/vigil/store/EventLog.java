package dev.vigil.store;

import dev.vigil.alert.Source;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Json;
import dev.vigil.alert.RecordedFinding;
import dev.vigil.fim.ChangeKind;
import dev.vigil.pid.PidKind;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The event history: every finding, written before it is pooled for its report, and the queries of
 * {@code vigil events}. A finding's row is marked pooled until {@link Outbox#store} takes it into a report.
 */
public final class EventLog {

    /** Fixed-width UTC times, so the text column sorts and compares in time order. */
    static final java.time.format.DateTimeFormatter SORTABLE =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /**
     * Each source of findings with the kinds it records: what {@code vigil events} and the web view accept as
     * filters, so a typo is an error rather than an empty answer. The kinds come from their enums where there is
     * one (ChangeKind, PidKind).
     */
    public static final Map<Source, List<String>> KINDS = Map.of(
            Source.FILES, Stream.concat(Arrays.stream(ChangeKind.values()).map(ChangeKind::name),
                    Stream.of("REVERTED", "MOVED", "OVERFLOW", "UNWATCHED", "MOUNT", "UNMOUNT")).toList(),
            Source.LOGS, List.of("SECURITY_ALERT", "SECURITY_EVENT", "SYSTEM_EVENT", "ROTATED"),
            Source.PIDS, Arrays.stream(PidKind.values()).map(PidKind::name).toList());

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

    /** The findings no report has taken yet, in the order they were recorded. */
    public List<RecordedFinding> pooled() {
        return db.query("cannot read the pooled findings from " + db.file(), "SELECT id, finding FROM event WHERE pooled = 1 ORDER BY id",
                rs -> new RecordedFinding(rs.getLong(1), Json.read(rs.getString(2), Finding.class)));
    }

    /**
     * What to select; null fields do not filter. {@code subjectGlob} is a shell glob over the subject
     * (path, log line, PID file); {@code process} matches the process a file finding names (its command name,
     * executable or the executable's file name).
     */
    public record Query(Instant since, Instant until, Source source, List<String> kinds, String subjectGlob, String process) {

        /** Without the process filter. */
        public Query(Instant since, Instant until, Source source, List<String> kinds, String subjectGlob) {
            this(since, until, source, kinds, subjectGlob, null);
        }
    }

    /** Matching findings, oldest first. */
    public List<Finding> query(Query q) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT finding FROM event WHERE " + where(q, args) + " ORDER BY id";
        return db.query("cannot query events", sql, rs -> Json.read(rs.getString(1), Finding.class), args.toArray());
    }

    /** The newest {@code limit} matching findings, newest first: a page of a long history. */
    public List<Finding> newest(Query q, int limit) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT finding FROM event WHERE " + where(q, args) + " ORDER BY id DESC LIMIT " + limit;
        return db.query("cannot query events", sql, rs -> Json.read(rs.getString(1), Finding.class), args.toArray());
    }

    private static String where(Query q, List<Object> args) {
        StringBuilder sql = new StringBuilder("1=1");
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
        if (q.process() != null) {
            sql.append(" AND ");
            FileEventHistory.processCondition(sql, args, "json_extract(finding, '$.details.comm')",
                    "json_extract(finding, '$.details.exe')", q.process(), List.of());
        }
        return sql.toString();
    }

    /** How many findings of a source were made in one hour (the hour's start, UTC). */
    public record HourlyCount(Source source, Instant hour, long count) {
    }

    /**
     * The findings made since {@code since}, counted per source and hour, oldest hour first; hours without a
     * finding are left out. The count runs in SQLite over the time index, so a long history is not read into memory.
     */
    public List<HourlyCount> hourlyCounts(Instant since) {
        return db.query("cannot count events", "SELECT source, substr(time, 1, 13), count(*) FROM event WHERE time >= ?"
                        + " GROUP BY substr(time, 1, 13), source ORDER BY 2, 1",
                rs -> new HourlyCount(Source.of(rs.getString(1)), Instant.parse(rs.getString(2) + ":00:00Z"), rs.getLong(3)),
                SORTABLE.format(since));
    }

    /**
     * The newest finding of {@code source} about each of {@code subjects} that has one, by subject: what an open
     * deviation last was. One pass over the source's findings, however many subjects.
     */
    public Map<String, Finding> newestAbout(Source source, Collection<String> subjects) {
        if (subjects.isEmpty()) {
            return Map.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(source.text());
        args.addAll(subjects);
        String sql = "SELECT subject, finding FROM event WHERE id IN (SELECT max(id) FROM event WHERE source = ? AND subject IN ("
                + String.join(",", subjects.stream().map(s -> "?").toList()) + ") GROUP BY subject)";
        return db.queryMap("cannot read events", sql, rs -> rs.getString(1), rs -> Json.read(rs.getString(2), Finding.class),
                args.toArray());
    }
}

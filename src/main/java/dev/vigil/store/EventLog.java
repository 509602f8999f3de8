package dev.vigil.store;

import dev.vigil.alert.Source;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Json;
import dev.vigil.alert.RecordedFinding;
import dev.vigil.alert.ReportGate;
import dev.vigil.alert.UtcInstantDeserializer;
import dev.vigil.fim.ChangeKind;
import dev.vigil.fim.FileKind;
import dev.vigil.fim.ReportMark;
import dev.vigil.fleet.FleetKind;
import dev.vigil.logcheck.LogKind;
import dev.vigil.pid.PidKind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The event history: every finding, written before it is pooled for its report, and the queries of
 * {@code vigil events}. A finding's row is marked pooled until {@link Outbox#store} takes it into a report.
 * A finding made outside the daemon's routes ({@code vigil accept}, a baseline) is recorded as handed over
 * ({@link #handOver}) until the daemon, running or started later, takes it into its pools ({@link #claimHandedOver}).
 */
public final class EventLog {

    /** Fixed-width UTC times, so the text column sorts and compares in time order. */
    static final java.time.format.DateTimeFormatter SORTABLE =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /**
     * A time as {@link #SORTABLE} writes it, read by its positions ({@code UtcInstantDeserializer.utc}): the outbox's
     * channels read three for each report, and {@code DateTimeFormatter}'s parse showed in the lanes' profile
     * (bench/README.md); anything else through {@link #SORTABLE}.
     */
    static Instant sortable(String text) {
        Instant read = UtcInstantDeserializer.utc(text);
        return read != null ? read : Instant.from(SORTABLE.parse(text));
    }

    /**
     * Each source of findings with the kinds it records: what {@code vigil events} and the web view accept as
     * filters, so a typo is an error rather than an empty answer. The kinds are those of the enums the findings
     * are made from, and {@value ReportGate#UNLISTED}, the last finding of a full pool's report of any source, which a
     * collector records as a host's finding.
     */
    public static final Map<Source, List<String>> KINDS = Map.of(
            Source.FILES, kinds(Stream.concat(names(ChangeKind.class), names(FileKind.class))),
            Source.LOGS, kinds(names(LogKind.class)),
            Source.PIDS, kinds(names(PidKind.class)),
            Source.FLEET, kinds(names(FleetKind.class)));

    private static Stream<String> names(Class<? extends Enum<?>> kinds) {
        return Arrays.stream(kinds.getEnumConstants()).map(Enum::name);
    }

    private static List<String> kinds(Stream<String> source) {
        return Stream.concat(source, Stream.of(ReportGate.UNLISTED)).toList();
    }

    private final Database db;

    public EventLog(Database db) {
        this.db = db;
    }

    /** Writes the finding as pooled; returns its row id. */
    public long record(Finding f) {
        return db.withConnection("cannot record an event in " + db.file(), c -> insert(c, f, POOLED));
    }

    /**
     * Writes the findings as pooled in one transaction (a collector's poll); returns their row ids in their order.
     * One commit for the batch instead of one per finding, which was the collector's largest cost per finding once
     * they were stored. The first insert takes the database's write lock for the transaction, so the rows after it
     * are given the ids that follow its own, not asked for one by one.
     */
    public List<Long> recordAll(List<Finding> findings) {
        List<Long> ids = new ArrayList<>(findings.size());
        db.inTransaction("cannot record events in " + db.file(), c -> {
            try (PreparedStatement insert = c.prepareStatement(INSERT + POOLED + ")");
                 PreparedStatement rowId = c.prepareStatement(ROW_ID);
                 PreparedStatement insertWithId = c.prepareStatement(INSERT_WITH_ID + POOLED + ")")) {
                for (Finding f : findings) {
                    if (ids.isEmpty()) {
                        ids.add(insert(insert, rowId, f));
                    } else {
                        long id = ids.get(ids.size() - 1) + 1;
                        insertWithId.setLong(8, id);
                        set(insertWithId, f);
                        insertWithId.executeUpdate();
                        ids.add(id);
                    }
                }
            }
        });
        return ids;
    }

    /**
     * Writes the finding as pooled and makes {@code marks} (null or empty for a finding that makes none: what
     * recording it changes in the store, {@link ReportMark}), in one transaction: a file finding counts as reported
     * exactly when it is in the history, so one lost before this (a kill, a failed route) is found again by the next
     * check. A finding none of whose marks is news (another checker recorded the same deviation first) is not
     * written: null. Otherwise returns the row id.
     */
    public Long record(Finding f, List<ReportMark> marks) {
        if (marks == null || marks.isEmpty()) {
            return record(f);
        }
        Long[] id = {null};
        db.inTransaction("cannot record an event in " + db.file(), c -> {
            boolean news = false;
            for (ReportMark mark : marks) {
                news |= make(c, mark);
            }
            if (news) {
                id[0] = insert(c, f, POOLED);
            }
        });
        return id[0];
    }

    /** Makes {@code mark} in the caller's transaction; true if it changed the store, that is, if it is news. */
    private static boolean make(Connection c, ReportMark mark) throws SQLException {
        if (mark instanceof ReportMark.Deviation deviation) {
            return ReportedState.mark(c, deviation);
        }
        ReportMark.SealReplaced seal = (ReportMark.SealReplaced) mark;
        return BaselineSeal.replace(c, seal.tampering(), seal.at());
    }

    /**
     * Writes a finding made outside the daemon's routes, for the daemon to report, in the caller's transaction (a
     * change to the baseline writes its ACCEPTED with itself, {@link SqliteBaseline}): it is in the history at once
     * and reaches the channels through the report pipeline and outbox like any other, whether the daemon runs now
     * or starts later.
     */
    static void handOver(Connection c, Finding f) throws SQLException {
        insert(c, f, HANDED_OVER);
    }

    /**
     * Takes the handed-over findings into the pool, in the order they were recorded: each row becomes pooled by a
     * statement that takes it only if it is still handed over, so a finding is taken once, and what a crash leaves
     * pooled is pooled again at the next start.
     */
    public List<RecordedFinding> claimHandedOver() {
        List<RecordedFinding> waiting = db.query("cannot read the handed-over findings from " + db.file(),
                "SELECT id, finding FROM event WHERE pooled = " + HANDED_OVER + " ORDER BY id",
                rs -> new RecordedFinding(rs.getLong(1), Json.read(rs.getString(2), Finding.class)));
        if (waiting.isEmpty()) {
            return waiting;
        }
        return db.withConnection("cannot take the handed-over findings from " + db.file(), c -> {
            List<RecordedFinding> claimed = new ArrayList<>();
            try (PreparedStatement claim = c.prepareStatement("UPDATE event SET pooled = " + POOLED
                    + " WHERE id = ? AND pooled = " + HANDED_OVER)) {
                for (RecordedFinding f : waiting) {
                    claim.setLong(1, f.event());
                    if (claim.executeUpdate() == 1) {
                        claimed.add(f);
                    }
                }
            }
            return claimed;
        });
    }

    private static final String INSERT = "INSERT INTO event(time, source, kind, subject, host, severity, finding, pooled)"
            + " VALUES (?,?,?,?,?,?,?,";
    private static final String INSERT_WITH_ID = "INSERT INTO event(time, source, kind, subject, host, severity, finding, id,"
            + " pooled) VALUES (?,?,?,?,?,?,?,?,";
    private static final String ROW_ID = "SELECT last_insert_rowid()";
    private static final int POOLED = 1;
    private static final int HANDED_OVER = 2;

    /**
     * Inserts the finding and returns its row id, asked of the connection after the insert has run to its end: with
     * {@code RETURNING}, an insert outside a transaction commits only when its statement is reset, and sqlite-jdbc
     * does not report a failure there (a full disk), so a finding would seem recorded that is not.
     */
    private static long insert(Connection c, Finding f, int pooled) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT + pooled + ")");
             PreparedStatement rowId = c.prepareStatement(ROW_ID)) {
            return insert(insert, rowId, f);
        }
    }

    /** {@link #insert(Connection, Finding, int)} with its two statements prepared: a batch prepares them once. */
    private static long insert(PreparedStatement insert, PreparedStatement rowId, Finding f) throws SQLException {
        set(insert, f);
        insert.executeUpdate();
        try (ResultSet id = rowId.executeQuery()) {
            id.next();
            return id.getLong(1);
        }
    }

    /** Sets the finding's seven columns, the first parameters of {@link #INSERT} and {@link #INSERT_WITH_ID}. */
    private static void set(PreparedStatement insert, Finding f) throws SQLException {
        insert.setString(1, SORTABLE.format(f.time()));
        insert.setString(2, f.source().text());
        insert.setString(3, f.kind());
        insert.setString(4, f.subject());
        insert.setString(5, f.host());
        insert.setString(6, f.severity().name());
        insert.setString(7, Json.write(f));
    }

    /**
     * Whether a finding with exactly this JSON ({@link Json#write}) was ever recorded ({@link #notHeld}).
     */
    public boolean holds(String findingJson) {
        return notHeld(List.of(Json.read(findingJson, Finding.class))).isEmpty();
    }

    /**
     * The findings of {@code findings}, in their order, that were never recorded with exactly their JSON ({@link
     * Json#write}): the collector asks it for the findings found stored and not forwarded (route fleet-orphaned-poll:
     * up to a thousand of a poll's, or one of the collector's own, at a time; fleet-forward-stored, through {@link
     * #holds}, one an older collector stored), so none it forwarded before a kill is recorded twice. Each is looked up
     * among its subject's rows (index event_source_subject), not by a scan of the whole history, which in a collector
     * holds every host's findings of the kept period, with one statement on one connection.
     */
    public List<Finding> notHeld(List<Finding> findings) {
        return db.withConnection("cannot look up events in " + db.file(), c -> {
            List<Finding> notHeld = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM event WHERE source = ? AND subject = ? AND finding = ? LIMIT 1")) {
                for (Finding f : findings) {
                    ps.setString(1, f.source().text());
                    ps.setString(2, f.subject());
                    ps.setString(3, Json.write(f));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            notHeld.add(f);
                        }
                    }
                }
            }
            return notHeld;
        });
    }

    /** The findings no report has taken yet, in the order they were recorded. */
    public List<RecordedFinding> pooled() {
        List<RecordedFinding> pooled = new ArrayList<>();
        forEachPooled(pooled::add);
        return pooled;
    }

    /** Gives each finding no report has taken yet to {@code each}, in the order recorded, one row in memory at a time. */
    public void forEachPooled(Consumer<RecordedFinding> each) {
        db.forEachRow("cannot read the pooled findings from " + db.file(),
                "SELECT id, finding FROM event WHERE pooled = 1 ORDER BY id", rs -> {
                    each.accept(new RecordedFinding(rs.getLong(1), Json.read(rs.getString(2), Finding.class)));
                    return null;
                });
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

    /** Counts per source and hour since a time, read from the index of (time, source) alone. */
    static final String HOURLY_COUNTS = "SELECT source, substr(time, 1, 13), count(*) FROM event WHERE time >= ?"
            + " GROUP BY substr(time, 1, 13), source ORDER BY 2, 1";

    /**
     * The findings made since {@code since}, counted per source and hour, oldest hour first; hours without a
     * finding are left out. The count runs in SQLite over the index of (time, source), so a long history is not read into memory.
     */
    public List<HourlyCount> hourlyCounts(Instant since) {
        return db.query("cannot count events", HOURLY_COUNTS,
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
        return db.queryMap("cannot read events", newestAboutSql(subjects.size()), rs -> rs.getString(1), rs -> Json.read(rs.getString(2), Finding.class),
                args.toArray());
    }

    /** The newest finding of a source about each of {@code subjects} subjects: one seek of the (source, subject) index each. */
    static String newestAboutSql(int subjects) {
        return "SELECT subject, finding FROM event WHERE id IN (SELECT max(id) FROM event WHERE source = ? AND subject IN ("
                + String.join(",", Collections.nCopies(subjects, "?")) + ") GROUP BY subject)";
    }
}

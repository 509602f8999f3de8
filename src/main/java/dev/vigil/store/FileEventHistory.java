package dev.vigil.store;

import dev.vigil.config.Key;
import dev.vigil.watch.EventHistory;
import dev.vigil.os.PathBytes;
import dev.vigil.watch.EventType;
import dev.vigil.watch.FileEvent;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The raw file events the watcher saw (table {@code file_event}), every one of them, so that "which process
 * touched this file?" has an answer even when the change made no finding. The watcher delivers events in
 * bursts (an {@code rm -rf} is thousands), so they are written a batch per transaction.
 */
public final class FileEventHistory implements EventHistory {

    /** {@code vigil.history.maxRows}'s default: about 300 MB of events (with their indexes). */
    public static final long DEFAULT_MAX_ROWS = Long.parseLong(Key.HISTORY_MAX_ROWS.defaultValue());
    /** Rows deleted per statement (each its own transaction) when trimming. */
    private static final int TRIM_BATCH = 10_000;
    private static final String COLUMNS = "time, types, path, old_path, directory, pid, ppid, comm, exe, uid, user_name,"
            + " attributed, detail";

    private final Database db;
    private final long maxRows;

    /** The history for reading, or for writing with the default bound. */
    public FileEventHistory(Database db) {
        this(db, DEFAULT_MAX_ROWS);
    }

    /** The history keeping at most {@code maxRows} events, the newest. */
    public FileEventHistory(Database db, long maxRows) {
        if (maxRows <= 0) {
            throw new IllegalArgumentException("the raw event history must keep a positive number of rows, not " + maxRows);
        }
        this.db = db;
        this.maxRows = maxRows;
    }

    /**
     * Appends {@code events} in one transaction, then deletes the oldest beyond the bound: a burst (an
     * {@code rm -rf} or an untar, thousands of events a second for as long as it lasts) cannot grow the table
     * past it between two runs of {@link HistoryRetention}.
     */
    @Override
    public void append(List<FileEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        db.withConnection("cannot record file events in " + db.file(), c -> {
            Database.transaction(c, t -> insert(t, events));
            return trim(c);
        });
    }

    private static void insert(Connection c, List<FileEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_event(" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            for (FileEvent e : events) {
                ps.setString(1, EventLog.SORTABLE.format(e.time()));
                ps.setString(2, framed(e.types()));
                ps.setString(3, escaped(e.path()));
                ps.setString(4, escaped(e.oldPath()));
                ps.setInt(5, e.directory() ? 1 : 0);
                setKnown(ps, 6, e.pid());
                setKnown(ps, 7, e.ppid());
                ps.setString(8, e.comm());
                ps.setString(9, e.exe());
                setKnown(ps, 10, e.uid());
                ps.setString(11, e.user());
                ps.setInt(12, e.attributed() ? 1 : 0);
                ps.setString(13, e.detail());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Deletes the oldest events beyond the bound on {@code c}; returns how many went. Ids are rowids, each above
     * every id in the table when it was inserted, so the newest {@code maxRows} events
     * are those above {@code max(id) - maxRows}: two lookups in the primary key when there is nothing to delete.
     */
    long trim(Connection c) throws SQLException {
        long newest;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT max(id) FROM file_event")) {
            newest = rs.next() ? rs.getLong(1) : 0;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM file_event WHERE id IN (SELECT id FROM file_event"
                + " WHERE id <= ? ORDER BY id LIMIT " + TRIM_BATCH + ")")) {
            ps.setLong(1, newest - maxRows);
            return Database.deleteInBatches(ps, TRIM_BATCH);
        }
    }

    /**
     * What to select; null fields do not filter. {@code process} matches the kernel's command name (cut to 15
     * characters), the executable or its file name, or any of {@code executables} (the programs the name runs
     * here: {@code sh} is often {@code /usr/bin/dash}); {@code types} matches events carrying any of them.
     */
    public record Query(Instant since, Instant until, String pathGlob, String process, List<String> executables,
                        String user, Integer pid, Set<EventType> types) {

        public Query {
            executables = executables == null ? List.of() : List.copyOf(executables);
        }

        /** Without executables beyond what {@code process} names itself. */
        public Query(Instant since, Instant until, String pathGlob, String process, String user, Integer pid,
                     Set<EventType> types) {
            this(since, until, pathGlob, process, List.of(), user, pid, types);
        }
    }

    @Override
    public List<FileEvent> eventsOf(Path path, Instant since, int limit) {
        String escaped = escaped(path);
        String from = since == null ? "" : EventLog.SORTABLE.format(since);
        String sql = "SELECT * FROM (SELECT id, " + COLUMNS + " FROM file_event WHERE path = ? AND time >= ?"
                + " UNION SELECT id, " + COLUMNS + " FROM file_event WHERE old_path = ? AND time >= ?"
                + " ORDER BY id DESC LIMIT ?) ORDER BY id";
        return db.query("cannot read the file events of " + escaped, sql, rs -> read(rs, 1), escaped, from, escaped, from, limit);
    }

    /** Matching events, oldest first. */
    public List<FileEvent> query(Query q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM file_event WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (q.since() != null) {
            sql.append(" AND time >= ?");
            args.add(EventLog.SORTABLE.format(q.since()));
        }
        if (q.until() != null) {
            sql.append(" AND time < ?");
            args.add(EventLog.SORTABLE.format(q.until()));
        }
        if (q.pathGlob() != null) {
            sql.append(" AND (path GLOB ? OR old_path GLOB ?)");
            args.add(q.pathGlob());
            args.add(q.pathGlob());
        }
        if (q.process() != null) {
            sql.append(" AND ");
            processCondition(sql, args, "comm", "exe", q.process(), q.executables());
        }
        if (q.user() != null) {
            sql.append(" AND (user_name = ? OR CAST(uid AS TEXT) = ?)");
            args.add(q.user());
            args.add(q.user());
        }
        if (q.pid() != null) {
            sql.append(" AND pid = ?");
            args.add(q.pid());
        }
        if (q.types() != null && !q.types().isEmpty()) {
            sql.append(" AND (").append(String.join(" OR ", q.types().stream().map(t -> "types LIKE ?").toList())).append(')');
            q.types().forEach(t -> args.add("%," + t.name() + ",%"));
        }
        sql.append(" ORDER BY id");
        return db.query("cannot query file events", sql.toString(), rs -> read(rs, 0), args.toArray());
    }

    /**
     * The condition that a process named by {@code comm} and {@code exe} (column expressions) is {@code process}:
     * its command name, its executable, that executable's file name, or any of {@code executables}. Raw events
     * and the findings that name their process select by the same rule.
     */
    static void processCondition(StringBuilder sql, List<Object> args, String comm, String exe, String process,
                                 List<String> executables) {
        sql.append("(").append(comm).append(" = ? OR ").append(exe).append(" = ? OR ").append(exe).append(" LIKE ? ESCAPE '\\'");
        args.add(process);
        args.add(process);
        args.add("%/" + Database.likeLiteral(process));
        for (String executable : executables) {
            sql.append(" OR ").append(exe).append(" = ?");
            args.add(executable);
        }
        sql.append(')');
    }

    /** The event in {@link #COLUMNS}, which start after column {@code at}. */
    private static FileEvent read(ResultSet rs, int at) throws SQLException {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String t : rs.getString(at + 2).split(",")) {
            if (!t.isEmpty()) {
                types.add(EventType.valueOf(t));
            }
        }
        return new FileEvent(types, path(rs.getString(at + 3)), path(rs.getString(at + 4)), rs.getInt(at + 5) != 0,
                java.time.format.DateTimeFormatter.ISO_INSTANT.parse(rs.getString(at + 1), Instant::from),
                known(rs, at + 6), known(rs, at + 7), rs.getString(at + 8), rs.getString(at + 9), known(rs, at + 10),
                rs.getString(at + 11), rs.getInt(at + 12) != 0, rs.getString(at + 13));
    }

    private static String framed(Set<EventType> types) {
        StringBuilder out = new StringBuilder(",");
        for (EventType t : EventType.values()) {
            if (types.contains(t)) {
                out.append(t.name()).append(',');
            }
        }
        return out.toString();
    }

    private static String escaped(Path path) {
        return path == null ? null : PathBytes.escape(PathBytes.of(path));
    }

    private static Path path(String escaped) {
        return escaped == null ? null : PathBytes.toPath(PathBytes.unescape(escaped));
    }

    /** -1 is the watcher's "unknown"; it is stored as NULL so it never matches a filter. */
    private static void setKnown(PreparedStatement ps, int index, int value) throws SQLException {
        if (value < 0) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    private static int known(ResultSet rs, int index) throws SQLException {
        int v = rs.getInt(index);
        return rs.wasNull() ? -1 : v;
    }
}

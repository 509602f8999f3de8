package dev.vigil.store;

import dev.vigil.alert.Source;
import dev.vigil.alert.ClosedReport;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.ReportJson;
import dev.vigil.fim.FileKind;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reports waiting for their channels. A report is written here, with one delivery row per channel, before any
 * channel sees it; each channel marks its own delivery, so a restart resends exactly what is undelivered. A channel's
 * deliveries are shared among its {@link Lane}s by their report's host.
 */
public final class Outbox {

    public enum Status { PENDING, DELIVERED, FAILED }

    /**
     * One report for one channel, with the JSON the outbox holds for it. {@code queued} is when the delivery was last
     * queued: the report's creation, or the last {@link #retry} of it; the retry max age counts from there.
     */
    public record Delivery(String reportId, long seq, String channel, Status status, int attempts, Instant created,
                           Instant queued, Instant nextAttempt, String lastError, ReportJson stored) {
        public Report report() {
            return stored.report();
        }
    }

    /**
     * Where a channel stands: its deliveries still pending, those given up, when it last delivered, and the error
     * of its oldest pending delivery if that one has failed (the channel is failing: the later reports of its
     * lane wait).
     */
    public record ChannelState(String channel, long backlog, long givenUp, Instant lastDelivery, String failing) {
    }

    /**
     * Lane {@code number} of a channel's {@code count}: the deliveries of the hosts whose {@link #hostHash} modulo
     * {@code count} is {@code number}. Every report of a host goes through the same lane, so a lane that reads its
     * deliveries in order keeps each host's order, and lanes can send reports of different hosts at once.
     */
    public record Lane(int number, int count) {
        public Lane {
            if (count < 1 || number < 0 || number >= count) {
                throw new IllegalArgumentException("no lane " + number + " of " + count);
            }
        }

        /** The lane of a host's reports. */
        public static Lane of(String host, int count) {
            return new Lane(hostHash(host) % count, count);
        }
    }

    private final Database db;

    public Outbox(Database db) {
        this.db = db;
    }

    /**
     * Stores a report with a pending delivery for each channel and marks its findings' event history rows as no
     * longer pooled, in one transaction: a crash leaves each finding either in the outbox or pooled.
     */
    public void store(ClosedReport closed, List<String> channels, Instant now) {
        storeAll(List.of(closed), channels, now);
    }

    /**
     * Stores reports that closed together (a collector's poll) as {@link #store} does one, in one transaction, in
     * order; returns each report stored now with the JSON stored, in the same order (not one it held before).
     */
    public List<ReportJson> storeAll(List<ClosedReport> reports, List<String> channels, Instant now) {
        String at = EventLog.SORTABLE.format(now);
        // written before the transaction, which holds SQLite's one write lock
        List<ReportJson> json = reports.stream().map(closed -> ReportJson.of(closed.report())).toList();
        List<ReportJson> stored = new ArrayList<>(json.size());
        db.inTransaction("cannot store " + (reports.size() == 1 ? "report " + reports.get(0).report().id() : reports.size()
                + " reports") + " in the outbox", c -> {
            // A report stored before is not stored again (nor its deliveries): one the outbox took, stored again after
            // a failure that came after its commit (ReportPipeline.returned), would otherwise fail every time.
            stored.clear();
            try (PreparedStatement r = c.prepareStatement("INSERT INTO outbox_report(id, seq, created, source, report, "
                    + "announces_seal) VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM outbox_report), ?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO NOTHING");
                 PreparedStatement d = c.prepareStatement("INSERT INTO outbox_delivery(report_id, channel, status, next_attempt, "
                         + "host_hash) VALUES (?,?,?,?,?)");
                 PreparedStatement e = c.prepareStatement("UPDATE event SET pooled = 0 WHERE id = ?")) {
                for (int i = 0; i < reports.size(); i++) {
                    ClosedReport closed = reports.get(i);
                    Report report = closed.report();
                    r.setString(1, report.id());
                    r.setString(2, at);
                    r.setString(3, report.source().text());
                    r.setString(4, json.get(i).json());
                    r.setInt(5, report.findings().stream().anyMatch(Outbox::announcement) ? 1 : 0);
                    if (r.executeUpdate() == 0) {
                        continue;
                    }
                    stored.add(json.get(i));
                    for (String channel : channels) {
                        d.setString(1, report.id());
                        d.setString(2, channel);
                        d.setString(3, Status.PENDING.name());
                        d.setString(4, at);
                        d.setInt(5, hostHash(report.host()));
                        d.addBatch();
                    }
                    for (long event : closed.events()) {
                        e.setLong(1, event);
                        e.addBatch();
                    }
                }
                d.executeBatch();
                e.executeBatch();
            }
        });
        return stored;
    }

    /**
     * When each source's last report that started a holdoff was made: the newest that is not a critical
     * finding's own report.
     */
    public Map<Source, Instant> lastReports() {
        return db.queryMap("cannot read the outbox", "SELECT source, max(created) FROM outbox_report"
                        + " WHERE json_extract(report, '$.findings[0].severity') != 'CRITICAL' GROUP BY source",
                rs -> Source.of(rs.getString(1)), rs -> EventLog.sortable(rs.getString(2)));
    }

    /**
     * The pending deliveries of the channel's lane that are due, oldest report first, stopping at the first one
     * that is not yet due: a lane receives its reports, so each host's, in order. Each report is taken from
     * {@code known} (by id) where it has it, and only the others' JSON is read: a report the caller has just stored
     * need not be parsed again.
     */
    public List<Delivery> due(String channel, Lane lane, Instant now, int limit, Function<String, ReportJson> known) {
        // In the order the rows were stored (rowid), which is the reports' order (seq): a report and its deliveries
        // are inserted in one transaction, each greater than every row there is. So the index of (channel, status,
        // delivered) gives them in order without reading the channel's other rows; delivered IS NULL, true of every
        // pending row, lets it. The other lanes' pending rows are read and passed over.
        List<Delivery> pending = select(known, "WHERE d.channel = ? AND d.status = 'PENDING' AND d.delivered IS NULL "
                + "AND d.host_hash % ? = ? ORDER BY d.rowid LIMIT " + limit, channel, lane.count(), lane.number());
        List<Delivery> due = new ArrayList<>();
        for (Delivery d : pending) {
            if (d.nextAttempt().isAfter(now)) {
                break;
            }
            due.add(d);
        }
        return due;
    }

    /**
     * The lanes of {@code count} that have a pending delivery of the channel due by {@code now}, so that only those
     * need to look: a daemon's reports take one lane, whatever the count.
     */
    public List<Lane> lanesDue(String channel, int count, Instant now) {
        return db.query("cannot read the outbox", "SELECT DISTINCT host_hash % ? FROM outbox_delivery WHERE channel = ? "
                        + "AND status = 'PENDING' AND delivered IS NULL AND next_attempt <= ? LIMIT ?",
                rs -> new Lane(rs.getInt(1), count), count, channel, EventLog.SORTABLE.format(now), count);
    }

    /**
     * The deliveries {@link #hashHosts} gives their host's hash, with their report's host: found through index
     * {@code outbox_delivery_unhashed} (migration 015), so a start with none to hash reads none of the outbox.
     */
    static final String UNHASHED = "SELECT d.rowid, json_extract(r.report, '$.host') FROM outbox_delivery d"
            + " JOIN outbox_report r ON r.id = d.report_id WHERE d.status IN ('PENDING', 'FAILED') AND d.host_hash IS NULL";

    /**
     * Gives the deliveries stored before lanes (migration 014) that a lane may still read, pending or given up, their
     * report's host's hash; the daemon does it when it starts, before any lane reads.
     */
    public void hashHosts() {
        db.inTransaction("cannot update the outbox", c -> {
            Map<Long, Integer> hashes = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement(UNHASHED); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    hashes.put(rs.getLong(1), hostHash(String.valueOf(rs.getString(2))));
                }
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE outbox_delivery SET host_hash = ? WHERE rowid = ?")) {
                for (Map.Entry<Long, Integer> h : hashes.entrySet()) {
                    u.setInt(1, h.getValue());
                    u.setLong(2, h.getKey());
                    u.addBatch();
                }
                u.executeBatch();
            }
        });
    }

    /**
     * A host's hash, never negative, stored with each delivery for {@link Lane}: String's hashCode, which the JDK
     * specifies, so a host keeps its lane across restarts and versions.
     */
    static int hostHash(String host) {
        return host.hashCode() & Integer.MAX_VALUE;
    }

    /** A channel's delivery of a report, done {@code at}. */
    public record Done(String reportId, Instant at) {
    }

    /** Marks the channel's deliveries done, in one transaction. */
    public void delivered(String channel, List<Done> done) {
        if (done.isEmpty()) {
            return;
        }
        db.inTransaction("cannot update the outbox", c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE outbox_delivery SET status = 'DELIVERED', "
                    + "attempts = attempts + 1, delivered = ?, last_error = NULL WHERE report_id = ? AND channel = ?")) {
                for (Done d : done) {
                    u.setString(1, EventLog.SORTABLE.format(d.at()));
                    u.setString(2, d.reportId());
                    u.setString(3, channel);
                    u.addBatch();
                }
                u.executeBatch();
            }
        });
    }

    /** Records a failed attempt: retried at {@code next}, or given up (FAILED) when there is none. */
    public void failed(String reportId, String channel, String error, Instant next) {
        if (next == null) {
            update("UPDATE outbox_delivery SET status = 'FAILED', attempts = attempts + 1, last_error = ? "
                    + "WHERE report_id = ? AND channel = ?", error, reportId, channel);
        } else {
            update("UPDATE outbox_delivery SET attempts = attempts + 1, last_error = ?, next_attempt = ? "
                    + "WHERE report_id = ? AND channel = ?", error, EventLog.SORTABLE.format(next), reportId, channel);
        }
    }

    /**
     * Makes the channel's deliveries waiting for a retry due at {@code now}, its receiver having answered something
     * else just now; returns how many there were. Their attempts and retry period are kept. Looked for first, so
     * that with none (nearly always) nothing waits for SQLite's write lock.
     */
    public int dueNow(String channel, Instant now) {
        String at = EventLog.SORTABLE.format(now);
        String waiting = " WHERE status = 'PENDING' AND channel = ? AND next_attempt > ?";
        if (db.query("cannot read the outbox", "SELECT 1 FROM outbox_delivery" + waiting + " LIMIT 1", rs -> true,
                channel, at).isEmpty()) {
            return 0;
        }
        return update("UPDATE outbox_delivery SET next_attempt = ?" + waiting, at, channel, at);
    }

    /**
     * Puts a failed report back in the queue of every channel that failed it, with a whole new retry period from
     * {@code now}; false if there was none.
     */
    public boolean retry(String reportId, Instant now) {
        String at = EventLog.SORTABLE.format(now);
        return update("UPDATE outbox_delivery SET status = 'PENDING', attempts = 0, next_attempt = ?, requeued = ? "
                + "WHERE report_id = ? AND status = 'FAILED'", at, at, reportId) > 0;
    }

    /** Deliveries for listing, newest report first; only failed ones if asked. */
    public List<Delivery> list(boolean failedOnly, int limit) {
        return select(id -> null, (failedOnly ? "WHERE d.status = 'FAILED' " : "") + "ORDER BY r.seq DESC, d.channel LIMIT "
                + limit);
    }

    /**
     * Whether the finding is an announcement of its baseline's new seal, as a fleet's collector takes one: an ACCEPTED
     * finding (which carries the seal after the change). The full check's own BASELINE_TAMPERED carries a seal too,
     * but announces nothing: the collector judges its seal unannounced.
     */
    static boolean announcement(Finding finding) {
        return finding.kind().equals(FileKind.ACCEPTED.name());
    }

    /**
     * Whether an announcement of the baseline's new seal ({@link #announcement}) has yet to reach the channel's
     * receiver: still handed over or pooled in the event history (written in the transaction of the change it
     * announces, it waits there for its report), or in a report the channel has yet to send. One statement, so one
     * snapshot of the database: a report taking the finding from the pool is seen on one side or the other.
     */
    public boolean announcementWaiting(String channel) {
        return db.query("cannot read the outbox", ANNOUNCEMENT_WAITING, rs -> rs.getInt(1) == 1, channel).get(0);
    }

    /**
     * {@link #announcementWaiting}: the ACCEPTED findings handed over or pooled, and the reports that hold one, each
     * through an index of their own (migration 017: a burst pools a million findings, a broker out of reach leaves as
     * many reports pending), each report with its channel's delivery by key (CROSS JOIN keeps SQLite from starting at
     * the channel's pending deliveries).
     */
    static final String ANNOUNCEMENT_WAITING = "SELECT EXISTS (SELECT 1 FROM event WHERE pooled IN (1, 2) AND kind = 'ACCEPTED')"
            + " OR EXISTS (SELECT 1 FROM outbox_report r CROSS JOIN outbox_delivery d ON d.report_id = r.id"
            + " AND d.channel = ? WHERE r.announces_seal = 1 AND d.status = 'PENDING' AND d.delivered IS NULL)";

    /** How many deliveries are still pending, over all channels. */
    public long pendingCount() {
        return db.query("cannot count the outbox", "SELECT count(*) FROM outbox_delivery WHERE status = 'PENDING'",
                rs -> rs.getLong(1)).get(0);
    }

    /** Each channel the outbox has deliveries for, by name. */
    public List<ChannelState> channels() {
        // The channels by a walk of the index from one name to the next, not a scan of every row.
        return db.query("cannot read the outbox", "WITH RECURSIVE c(channel) AS (SELECT min(channel) FROM outbox_delivery "
                        + "UNION ALL SELECT (SELECT min(x.channel) FROM outbox_delivery x WHERE x.channel > c.channel) FROM c "
                        + "WHERE c.channel IS NOT NULL) SELECT c.channel, "
                        + "(SELECT count(*) FROM outbox_delivery x WHERE x.channel = c.channel AND x.status = 'PENDING'), "
                        + "(SELECT count(*) FROM outbox_delivery x WHERE x.channel = c.channel AND x.status = 'FAILED'), "
                        + "(SELECT max(x.delivered) FROM outbox_delivery x WHERE x.channel = c.channel AND x.status = 'DELIVERED'), "
                        + "(SELECT x.last_error FROM outbox_delivery x WHERE x.channel = c.channel AND x.status = 'PENDING' "
                        + "AND x.delivered IS NULL ORDER BY x.rowid LIMIT 1) FROM c WHERE c.channel IS NOT NULL ORDER BY c.channel",
                rs -> new ChannelState(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        rs.getString(4) == null ? null : EventLog.sortable(rs.getString(4)), rs.getString(5)));
    }

    private List<Delivery> select(Function<String, ReportJson> known, String tail, Object... args) {
        String sql = "SELECT d.report_id, r.seq, d.channel, d.status, d.attempts, r.created, coalesce(d.requeued, r.created), "
                + "d.next_attempt, d.last_error, r.report "
                + "FROM outbox_delivery d JOIN outbox_report r ON r.id = d.report_id " + tail;
        return db.query("cannot read the outbox", sql, rs -> new Delivery(rs.getString(1), rs.getLong(2), rs.getString(3),
                Status.valueOf(rs.getString(4)), rs.getInt(5), EventLog.sortable(rs.getString(6)),
                EventLog.sortable(rs.getString(7)), EventLog.sortable(rs.getString(8)), rs.getString(9),
                report(known, rs.getString(1), rs)), args);
    }

    private static ReportJson report(Function<String, ReportJson> known, String id, ResultSet rs) throws SQLException {
        ReportJson report = known.apply(id);
        if (report != null) {
            return report;
        }
        String json = rs.getString(10);
        return new ReportJson(Report.fromJson(json), json);
    }

    private int update(String sql, Object... args) {
        return db.update("cannot update the outbox", sql, args);
    }
}

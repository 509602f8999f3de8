package dev.vigil.store;

import dev.vigil.alert.Finding;
import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.ChangeFindings;
import dev.vigil.fim.HashAlgorithm;
import dev.vigil.fim.Seal;
import dev.vigil.os.ByteKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The baseline in SQLite: what {@code fim} needs of storage, each part in a class of its own. A scan is staged
 * and accepted through {@link BaselineStaging}, checks read the baseline in path order through
 * {@link BaselineReadAhead}, single entries are found through {@link BaselineLookup}, all as
 * {@link BaselineRows}; each trickle's order is kept by {@link TrickleVerifications}; runs are in {@link ScanRuns},
 * reported deviations in {@link ReportedState}, and the seal of the baseline, kept by every write to it, in
 * {@link BaselineSeal}.
 */
public final class SqliteBaseline implements BaselineStore {

    private final Database db;
    /** The host that announces the baseline's changes; null: they are not announced. */
    private final String host;
    private final ReportedState reported;
    private final ScanRuns runs;
    private final BaselineSeal seal;

    /**
     * The baseline of {@code db}, each change to it (an accept, a baseline, a forget) announced as {@code host}'s
     * ACCEPTED finding ({@link ChangeFindings#accepted}), handed over to the daemon in the change's own transaction:
     * written after it, a kill or a failed write in between (the staging table's drop, the run's record) left a new
     * seal with no ACCEPTED, which a collector takes for tampering, and the accept without its record.
     */
    public SqliteBaseline(Database db, String host) {
        this.db = db;
        this.host = host;
        this.reported = new ReportedState(db);
        this.runs = new ScanRuns(db);
        this.seal = new BaselineSeal(db);
    }

    /**
     * The baseline of {@code db} to read (its seal for a heartbeat, its rows for a trickle's verifications, its totals
     * for {@code vigil db stats}), and for the store's own tests: a change made through it is not announced.
     */
    public SqliteBaseline(Database db) {
        this(db, null);
    }

    @Override
    public Map<ByteKey, String> reported(byte[] root) {
        return reported.under(root);
    }

    @Override
    public void clearReported(byte[] root) {
        reported.removeUnder(root);
    }

    @Override
    public Snapshot newSnapshot() {
        return new BaselineStaging(db, host);
    }

    @Override
    public Lookup lookup() {
        return new BaselineLookup(db);
    }

    @Override
    public Verifications verifications(String trickle) {
        return new TrickleVerifications(db, trickle);
    }

    @Override
    public Cursor read(byte[] root) {
        return new BaselineReadAhead(db, root);
    }

    @Override
    public Rows readKeyed(byte[] root) {
        return new KeyedBaselineRows(db, root);
    }

    @Override
    public Optional<HashAlgorithm> hashAlgorithm() {
        return db.query("cannot read setting hash_algorithm", "SELECT value FROM setting WHERE name = 'hash_algorithm'",
                rs -> HashAlgorithm.named(rs.getString(1))).stream().findFirst();
    }

    @Override
    public List<byte[]> areas() {
        return db.query("cannot read areas", "SELECT path FROM area ORDER BY path", rs -> rs.getBytes(1));
    }

    @Override
    public Forgotten forget(byte[] root) {
        long[] removed = {0};
        SealState[] after = new SealState[1];
        Instant now = Instant.now();
        db.inTransaction("cannot update the baseline", c -> {
            SealState kept = BaselineSeal.begin(c, now);
            Seal seal = kept.seal().copy().subtract(BaselineSeal.ofRange(c, "main.baseline", root))
                    .subtract(BaselineListings.remove(c, root));
            for (String table : List.of("area", "reported", "baseline")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + PathRange.CONDITION)) {
                    Database.bind(ps, new PathRange(root).args());
                    removed[0] = ps.executeUpdate();
                }
            }
            after[0] = BaselineSeal.write(c, kept, seal, now);
            announce(c, host, "forget", List.of(root), removed[0], kept, after[0], now);
        });
        return new Forgotten(removed[0], after[0]);
    }

    /**
     * Writes {@code host}'s ACCEPTED of a change to the baseline (none for a first baseline, nor without a host) in
     * the change's transaction {@code c}, handed over to the daemon.
     */
    static void announce(Connection c, String host, String operation, List<byte[]> roots, long entries, SealState before,
                         SealState after, Instant now) throws SQLException {
        if (host != null) {
            Optional<Finding> accepted = ChangeFindings.accepted(operation, roots, entries, before, after, host, now);
            if (accepted.isPresent()) {
                EventLog.handOver(c, accepted.get());
            }
        }
    }

    @Override
    public SealState seal() {
        return seal.current();
    }

    @Override
    public Optional<Tampering> verifySeal(SealState before, Seal read, Instant at) {
        // the listing digests are sealed with the rows, and read here: a full check reads the rows whole, not them
        Seal listings = db.withConnection("cannot read the listing digests of the baseline", BaselineListings::all);
        return seal.verify(before, read.copy().add(listings), at);
    }

    @Override
    public void recordRun(ScanRun run) {
        runs.record(run);
    }

    @Override
    public Optional<ScanRun> lastRun(String kind, String area) {
        return runs.last(kind, area);
    }

    /** When the newest check of the baseline (quick or paranoid) ended; empty before the first. */
    public Optional<Instant> lastCheck() {
        return runs.lastCheck();
    }

    /** The most recent runs, newest first. */
    public List<ScanRun> recentRuns(int limit) {
        return runs.recent(limit);
    }

    /** Entries in the baseline and the sum of their sizes. */
    public long[] totals() {
        return db.query("cannot count the baseline", "SELECT count(*), coalesce(sum(CASE WHEN type = 'FILE' THEN size END), 0)"
                + " FROM baseline", rs -> new long[]{rs.getLong(1), rs.getLong(2)}).get(0);
    }
}

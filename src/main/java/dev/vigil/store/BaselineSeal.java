package dev.vigil.store;

import dev.vigil.fim.BaselineStore.SealState;
import dev.vigil.fim.BaselineStore.Tampering;
import dev.vigil.fim.Seal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The seal of the baseline in table {@code baseline_seal} (one row): kept by every write to the baseline in its
 * own transaction ({@link #begin}, then {@link #write}), each reading only the rows it replaces; compared by the
 * daemon's full check with the seal of the rows it read ({@link #verify}); and read by whoever reports it
 * ({@link #current}, the daemon's {@code baselineSeal} bean).
 */
public final class BaselineSeal {

    private final Database db;

    public BaselineSeal(Database db) {
        this.db = db;
    }

    /** The kept seal, with when it changed and was last verified; computed from the rows the first time. */
    public SealState current() {
        return db.withConnection("cannot read the seal of the baseline", c -> {
            Optional<SealState> kept = read(c);
            if (kept.isPresent()) {
                return kept.get();
            }
            SealState[] made = new SealState[1];
            Database.transaction(c, t -> {
                initialise(t, Instant.now());
                made[0] = read(t).orElseThrow();
            });
            return made[0];
        });
    }

    /** See {@link dev.vigil.fim.BaselineStore#verifySeal}. */
    Optional<Tampering> verify(SealState before, Seal read, Instant at) {
        return db.withConnection("cannot verify the seal of the baseline", c -> {
            if (before.seal().equals(read)) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE baseline_seal SET verified = ? WHERE id = 1 AND generation = ?")) {
                    Database.bind(ps, EventLog.SORTABLE.format(at), before.generation());
                    ps.executeUpdate();
                }
                return Optional.empty();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM baseline_seal WHERE id = 1 AND generation = ?")) {
                Database.bind(ps, before.generation());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Tampering(before, read)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Replaces the kept seal by the one the tampering found, in the caller's transaction (the one recording its
     * finding), if no write of Vigil's came since the seal was read; true if it did, that is, if the finding is news.
     */
    static boolean replace(Connection c, Tampering t, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE baseline_seal SET lanes = ?, rows = ?,"
                + " generation = generation + 1, changed = ?, verified = ? WHERE id = 1 AND generation = ?")) {
            String time = EventLog.SORTABLE.format(at);
            Database.bind(ps, t.found().lanes(), t.found().rows(), time, time, t.kept().generation());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * The first step of a transaction that writes to the baseline: takes the write lock by counting the write
     * (so no other writer can come between reading the seal and writing it), and returns the seal as kept.
     */
    static SealState begin(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE main.baseline_seal SET generation = generation + 1 WHERE id = 1")) {
            if (ps.executeUpdate() == 0) {
                initialise(c, now);
            }
        }
        return read(c).orElseThrow();
    }

    /** The last step of that transaction: the seal after the write. */
    static SealState write(Connection c, SealState begun, Seal after, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE main.baseline_seal SET lanes = ?, rows = ?, changed = ?,"
                + " verified = NULL WHERE id = 1")) {
            Database.bind(ps, after.lanes(), after.rows(), EventLog.SORTABLE.format(now));
            ps.executeUpdate();
        }
        return new SealState(after, begun.generation(), now, null);
    }

    /** The seal of the rows of {@code table} (the baseline or a staging table) at or below {@code root}. */
    static Seal ofRange(Connection c, String table, byte[] root) throws SQLException {
        return ofRows(c, "SELECT " + BaselineRows.NAMES + " FROM " + table + " WHERE " + PathRange.CONDITION,
                new PathRange(root).args());
    }

    private static Seal ofRows(Connection c, String sql, Object... args) throws SQLException {
        return of(c, (seal, rs) -> seal.add(BaselineRows.read(rs)), sql, args);
    }

    /** Adds what a result's current row stands for to a seal. */
    @FunctionalInterface
    interface Element {
        void addTo(Seal seal, ResultSet rs) throws SQLException;
    }

    /** The seal of what the query's rows stand for, each added by {@code element}. */
    static Seal of(Connection c, Element element, String sql, Object... args) throws SQLException {
        Seal seal = Seal.empty();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    element.addTo(seal, rs);
                }
            }
        }
        return seal;
    }

    /** The seal of every row there is, as the first kept one; the caller's transaction holds the write lock. */
    private static void initialise(Connection c, Instant now) throws SQLException {
        try (PreparedStatement claim = c.prepareStatement("INSERT OR IGNORE INTO main.baseline_seal(id, lanes, rows,"
                + " generation, changed) VALUES (1, ?, 0, 0, ?)")) {
            Database.bind(claim, Seal.empty().lanes(), EventLog.SORTABLE.format(now));
            if (claim.executeUpdate() == 0) {
                return;
            }
        }
        Seal all = ofRows(c, "SELECT " + BaselineRows.NAMES + " FROM main.baseline").add(BaselineListings.all(c));
        try (PreparedStatement ps = c.prepareStatement("UPDATE main.baseline_seal SET lanes = ?, rows = ? WHERE id = 1")) {
            Database.bind(ps, all.lanes(), all.rows());
            ps.executeUpdate();
        }
    }

    private static Optional<SealState> read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT lanes, rows, generation, changed, verified FROM main.baseline_seal WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            String verified = rs.getString(5);
            return Optional.of(new SealState(Seal.of(rs.getBytes(1), rs.getLong(2)), rs.getLong(3),
                    EventLog.sortable(rs.getString(4)), verified == null ? null : EventLog.sortable(verified)));
        }
    }
}

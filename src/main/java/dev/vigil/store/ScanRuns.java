package dev.vigil.store;

import dev.vigil.fim.BaselineStore.ScanRun;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The record of each scan, baseline or check (table {@code scan_run}): for {@code vigil db stats} and for the
 * progress estimate, which takes the entries of the last run over the same area.
 */
final class ScanRuns {

    private final Database db;

    ScanRuns(Database db) {
        this.db = db;
    }

    void record(ScanRun run) {
        db.update("cannot write to " + db.file(), "INSERT INTO scan_run(kind, area, started, finished, files, bytes, errors)"
                        + " VALUES (?,?,?,?,?,?,?)", run.kind(), run.area(), run.started().toString(), run.finished().toString(),
                run.entries(), run.bytes(), run.errors());
    }

    Optional<ScanRun> last(String kind, String area) {
        return select("WHERE kind = ? AND area = ?", 1, kind, area).stream().findFirst();
    }

    /** When the newest check of the baseline (quick or paranoid) ended. */
    Optional<Instant> lastCheck() {
        return db.query("cannot read scan runs", "SELECT finished FROM scan_run WHERE kind IN ('check', 'check-paranoid')"
                + " ORDER BY id DESC LIMIT 1", rs -> Instant.parse(rs.getString(1))).stream().findFirst();
    }

    /** The most recent runs, newest first. */
    List<ScanRun> recent(int limit) {
        return select("", limit);
    }

    private List<ScanRun> select(String where, int limit, Object... args) {
        return db.query("cannot read scan runs", "SELECT kind, area, started, finished, files, bytes, errors FROM scan_run "
                        + where + " ORDER BY id DESC LIMIT " + limit,
                rs -> new ScanRun(rs.getString(1), rs.getString(2), Instant.parse(rs.getString(3)),
                        Instant.parse(rs.getString(4)), rs.getLong(5), rs.getLong(6), rs.getLong(7)), args);
    }
}

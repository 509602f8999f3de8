package dev.vigil.store;

import dev.vigil.pid.PidKind;
import dev.vigil.pid.PidState;
import dev.vigil.pid.ProcessInfo;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The PID checks' memory in table {@code pid_state}: loaded once when a check set starts, then only the
 * entries a check changed are written, in one short transaction, so a thousand PID files that stay healthy
 * cost no writes at all.
 */
public final class PidStateStore {

    private final Database db;
    private final Clock clock;

    public PidStateStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Every remembered entry of the check set {@code scope}, by subject. */
    public Map<String, PidState> load(String scope) {
        return db.queryMap("cannot read pid_state of " + scope + " in " + db.file(), "SELECT subject, problem, problem_key,"
                + " boot_id, pid, command, start_ticks, started, exe, uid, user_name FROM pid_state WHERE scope = ?"
                + " ORDER BY subject", rs -> rs.getString(1), PidStateStore::read, scope);
    }

    /** A problem a PID check reported and has not seen clear yet, and when its entry last changed. */
    public record OpenProblem(String scope, String subject, PidKind problem, Instant since) {
    }

    /** Every open problem of every check set, by check set and subject. */
    public List<OpenProblem> problems() {
        return db.query("cannot read pid_state in " + db.file(), "SELECT scope, subject, problem, updated FROM pid_state"
                + " WHERE problem IS NOT NULL ORDER BY scope, subject", rs -> new OpenProblem(rs.getString(1), rs.getString(2),
                PidKind.valueOf(rs.getString(3)), Instant.parse(rs.getString(4))));
    }

    private static PidState read(ResultSet rs) throws SQLException {
        String problem = rs.getString(2);
        ProcessInfo process = null;
        if (rs.getObject(5) != null) {
            process = new ProcessInfo(rs.getInt(5), rs.getString(6), rs.getLong(7),
                    Instant.parse(rs.getString(8)), rs.getString(9), rs.getInt(10), rs.getString(11));
        }
        return new PidState(rs.getString(1), problem == null ? null : PidKind.valueOf(problem), rs.getString(3),
                rs.getString(4), process);
    }

    /** Writes the entries a check changed and deletes those it no longer covers, all or nothing. */
    public void save(String scope, Map<String, PidState> changed, Collection<String> removed) {
        if (changed.isEmpty() && removed.isEmpty()) {
            return;
        }
        String updated = clock.instant().toString();
        db.inTransaction("cannot write pid_state of " + scope + " in " + db.file(), c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT OR REPLACE INTO pid_state (scope, subject, problem,"
                    + " problem_key, boot_id, pid, command, start_ticks, started, exe, uid, user_name, updated)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM pid_state WHERE scope = ? AND subject = ?")) {
                for (PidState state : changed.values()) {
                    ProcessInfo p = state.process();
                    upsert.setString(1, scope);
                    upsert.setString(2, state.subject());
                    upsert.setString(3, state.problem() == null ? null : state.problem().name());
                    upsert.setString(4, state.problemKey());
                    upsert.setString(5, state.bootId());
                    if (p == null) {
                        for (int i = 6; i <= 12; i++) {
                            upsert.setNull(i, Types.NULL);
                        }
                    } else {
                        upsert.setInt(6, p.pid());
                        upsert.setString(7, p.command());
                        upsert.setLong(8, p.startTicks());
                        upsert.setString(9, p.started().toString());
                        upsert.setString(10, p.exe());
                        upsert.setInt(11, p.uid());
                        upsert.setString(12, p.user());
                    }
                    upsert.setString(13, updated);
                    upsert.addBatch();
                }
                for (String subject : removed) {
                    delete.setString(1, scope);
                    delete.setString(2, subject);
                    delete.addBatch();
                }
                upsert.executeBatch();
                delete.executeBatch();
            }
        });
    }
}

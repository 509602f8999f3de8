package dev.vigil.store;

import dev.vigil.alert.Heartbeat;

import java.time.Instant;
import java.util.Optional;

/**
 * The seal the fleet heartbeat last showed, in table {@code heartbeat_seal} (one row): what a daemon restarted while an
 * ACCEPTED waits shows again, as the running one would have (see the heartbeats bean).
 */
public final class HeartbeatSeal {

    private final Database db;

    public HeartbeatSeal(Database db) {
        this.db = db;
    }

    /** The seal last shown, if one was. */
    public Optional<Heartbeat.Seal> last() {
        return db.query("cannot read the seal the heartbeat showed from " + db.file(),
                "SELECT value, rows, verified FROM heartbeat_seal WHERE id = 1", rs -> {
                    String verified = rs.getString(3);
                    return new Heartbeat.Seal(rs.getString(1), rs.getLong(2), verified == null ? null : Instant.parse(verified));
                }).stream().findFirst();
    }

    /** Keeps {@code seal} as the one shown. */
    public void shown(Heartbeat.Seal seal) {
        db.update("cannot keep the seal the heartbeat showed in " + db.file(),
                "INSERT INTO heartbeat_seal(id, value, rows, verified) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE"
                        + " SET value = excluded.value, rows = excluded.rows, verified = excluded.verified",
                seal.value(), seal.rows(), seal.verifiedAt() == null ? null : seal.verifiedAt().toString());
    }
}

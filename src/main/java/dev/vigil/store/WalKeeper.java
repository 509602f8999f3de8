package dev.vigil.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One idle connection to the database, held while the daemon runs. Every store operation opens and closes its
 * own connection, and when the last connection to the file closes SQLite checkpoints the WAL into the database
 * and deletes it, with fsyncs: without this, every small write paid that. The cost is in bench/README.md.
 */
public final class WalKeeper implements AutoCloseable {

    private final Database db;
    private final Connection idle;

    /** Opens the idle connection; {@link Database#connect}'s journal-mode pragma has it open the WAL. */
    public WalKeeper(Database db) {
        this.db = db;
        try {
            idle = db.connect();
        } catch (SQLException e) {
            throw Database.failure("cannot open " + db.file(), e);
        }
    }

    @Override
    public void close() {
        try {
            idle.close();
        } catch (SQLException e) {
            throw Database.failure("cannot close " + db.file(), e);
        }
    }
}

package dev.vigil.store;

import java.nio.file.Path;

/** SQLite found the database damaged; the message names the file, what SQLite said and how to recover. */
public final class DamagedDatabaseException extends StoreException {
    public DamagedDatabaseException(Path file, String detail, Throwable cause) {
        super("database " + file + " is damaged (" + detail + "). Stop the daemon if it runs (it keeps the file open)."
                + " Restore it from a backup, or move it aside (with its"
                + " -wal and -shm files) and run `vigil baseline` again to record the current state anew", cause);
    }
}

package dev.vigil.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A connection its owner keeps across operations, with what it prepared on it, that follows the file at the
 * database's path as {@link Database}'s idle connections do: before each operation ({@link #get}) the file at the
 * path is compared (device and inode) with the one the connection was opened on, and when another file is there (a
 * damaged database moved aside and replaced, a backup copied into place) the connection is closed, with what was
 * prepared on it, and a new one is opened on the file now at the path and prepared again. Without that, a look-up the
 * daemon keeps for days (the trickle's) would go on comparing with a baseline no longer at the path, and write into it.
 *
 * <p>Comparing costs one stat of the path per operation, as a borrow from the idle connections does. An owner uses
 * it from one thread at a time.
 */
final class KeptConnection<T> implements AutoCloseable {

    /** What the owner prepares on a connection (statements, and whatever belongs to that connection alone). */
    @FunctionalInterface
    interface Prepare<T> {
        T on(Connection c) throws SQLException;
    }

    private final Database db;
    private final String what;
    private final Prepare<T> prepare;
    private Connection c;
    private Object openedFile;
    private T prepared;

    /** Opens and prepares at once, failing as {@link Database#failure} says with {@code what}. */
    KeptConnection(Database db, String what, Prepare<T> prepare) {
        this.db = db;
        this.what = what;
        this.prepare = prepare;
        open();
    }

    private void open() {
        // read before the connection opens: a file replaced in between is then seen at the next operation
        Object file = db.fileKey();
        Connection opened = db.connectFor(what);
        try {
            prepared = prepare.on(opened);
        } catch (SQLException e) {
            throw Database.closed(opened, Database.failure(what, e));
        }
        c = opened;
        openedFile = file;
    }

    /**
     * What was prepared on a connection to the file now at the path: the one kept, or, if another file is there now,
     * a new one's (what was prepared on the old one is gone, closed with it).
     */
    T get() {
        if (c == null) { // a new file could not be opened at the last operation: tried again
            open();
        } else if (!db.fileKey().equals(openedFile)) {
            Connection old = c;
            c = null;
            prepared = null;
            Database.closeAfter(old, null);
            open();
        }
        return prepared;
    }

    /** Closes the connection and, with it, what was prepared on it; the owner is done with it. */
    @Override
    public void close() {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            throw Database.failure("cannot close " + db.file(), e);
        }
    }
}

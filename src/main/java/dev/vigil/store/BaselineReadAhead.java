package dev.vigil.store;

import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.FileRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The baseline rows at or below a root in path order, read and decoded on a thread of their own in batches,
 * so a check's merge on the caller's thread does not also pay for reading SQLite. At most a few batches wait.
 */
final class BaselineReadAhead implements BaselineStore.Cursor {

    private static final int ROWS = 1024;
    /** Marks the end of the rows; compared by identity. */
    private static final List<FileRecord> END = new ArrayList<>(0);

    private final Database db;
    private final BlockingQueue<List<FileRecord>> batches = new ArrayBlockingQueue<>(4);
    private final Thread reader;
    /** A {@link StoreException} or an {@link Error}. */
    private volatile Throwable failure;
    private Iterator<FileRecord> batch = Collections.emptyIterator();
    private boolean ended;

    BaselineReadAhead(Database db, byte[] root) {
        this.db = db;
        reader = HelperThreads.start("vigil-baseline-reader", () -> readAll(root));
    }

    private void readAll(byte[] root) {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT " + BaselineRows.NAMES + " FROM baseline WHERE "
                     + PathRange.ORDERED_CONDITION + " ORDER BY path")) {
            Database.bind(ps, new PathRange(root).orderedArgs());
            try (ResultSet rs = ps.executeQuery()) {
                List<FileRecord> rows = new ArrayList<>(ROWS);
                while (rs.next()) {
                    rows.add(BaselineRows.read(rs));
                    if (rows.size() == ROWS) {
                        batches.put(rows);
                        rows = new ArrayList<>(ROWS);
                    }
                }
                batches.put(rows);
            }
        } catch (InterruptedException e) {
            return;
        } catch (Error e) {
            // an Error too must reach the caller, who would otherwise wait forever, and as an Error: the
            // daemon ends on one rather than retry
            failure = e;
        } catch (Throwable e) {
            failure = e instanceof StoreException se ? se : new StoreException("cannot read the baseline: "
                    + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
        }
        try {
            batches.put(END);
        } catch (InterruptedException e) {
            // closed: no one is waiting for the end
        }
    }

    @Override
    public boolean hasNext() {
        while (!batch.hasNext()) {
            if (ended) {
                return false;
            }
            List<FileRecord> next;
            try {
                next = batches.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while reading the baseline", e);
            }
            if (next == END) {
                ended = true;
                if (failure instanceof Error e) {
                    throw e;
                }
                if (failure != null) {
                    throw (StoreException) failure;
                }
                return false;
            }
            batch = next.iterator();
        }
        return true;
    }

    @Override
    public FileRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return batch.next();
    }

    /** Stops the reading thread, which closes its connection. */
    @Override
    public void close() {
        reader.interrupt();
        HelperThreads.joinUninterruptibly(reader);
    }
}

package dev.vigil.store;

import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.EntryType;
import dev.vigil.fim.FileRecord;
import dev.vigil.fim.Seal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A scan to be accepted, staged in a temporary table of its own connection by one writer thread (batched
 * transactions, a bounded queue in front so memory does not grow with the tree); acceptance then replaces a range
 * of the baseline in one short transaction, which updates the seal ({@link BaselineSeal}) from the rows of that
 * range alone: less the rows it replaces, read there, plus the staged rows, sealed by the writer as it staged them.
 */
final class BaselineStaging implements BaselineStore.Snapshot {

    private static final int BATCH = 4096;
    private static final FileRecord END = new FileRecord(new byte[0], EntryType.FILE, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, null);

    private final Database db;
    private final Connection c;
    private final BlockingQueue<FileRecord> queue = new ArrayBlockingQueue<>(BATCH * 4);
    private final Thread writer;
    private volatile Throwable failure;
    /** The seal of the staged rows, added up by the writer as it stages them; read once it has ended. */
    private final Seal staged = Seal.empty();
    private boolean finished;
    /** Whether the writer has been told the end, so it ends by itself. */
    private boolean endQueued;

    BaselineStaging(Database db) {
        this.db = db;
        try {
            c = db.connect();
        } catch (SQLException e) {
            throw Database.failure("cannot stage a scan in " + db.file(), e);
        }
        try (Statement s = c.createStatement()) {
            s.execute(BaselineRows.createTable("temp.current"));
        } catch (SQLException e) {
            throw Database.closed(c, Database.failure("cannot stage a scan in " + db.file(), e));
        }
        writer = HelperThreads.start("vigil-snapshot-writer", this::write);
    }

    @Override
    public void add(FileRecord record) {
        checkWriter();
        try {
            queue.put(record);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while staging a scan", e);
        }
    }

    @Override
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        add(END);
        endQueued = true;
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while staging a scan", e);
        }
        checkWriter();
    }

    private void checkWriter() {
        if (failure instanceof Error e) {
            throw e; // memory exhausted, say: the daemon must end, not take it for a store failure and retry
        }
        if (failure != null) {
            throw new StoreException("staging the scan failed: " + failure.getMessage(), failure);
        }
    }

    private void write() {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO temp.current(" + BaselineRows.NAMES
                + ") VALUES (" + BaselineRows.PARAMETERS + ")")) {
            // Whole batches, one transaction each, row by row: sqlite-jdbc's addBatch/executeBatch clears its
            // whole batch array after every execution, and with the writer ahead of the scan (a few rows at a
            // time) that clearing took most of the writer's CPU.
            List<FileRecord> batch = new ArrayList<>(BATCH);
            boolean end = false;
            while (!end) {
                while (batch.size() < BATCH && !end) {
                    FileRecord r = queue.take();
                    end = r == END;
                    if (!end) {
                        batch.add(r);
                    }
                }
                Database.transaction(c, t -> {
                    for (FileRecord r : batch) {
                        BaselineRows.bind(ps, r);
                        ps.executeUpdate();
                    }
                });
                batch.forEach(staged::add);
                batch.clear();
            }
        } catch (Throwable t) {
            failure = t;
            queue.clear();
        }
    }

    @Override
    public BaselineStore.SealState accept(List<byte[]> roots) {
        finish();
        BaselineStore.SealState[] after = new BaselineStore.SealState[1];
        Instant now = Instant.now();
        try {
            Database.transaction(c, t -> {
                BaselineStore.SealState kept = BaselineSeal.begin(t, now);
                Seal seal = kept.seal().copy();
                // the staged rows were sealed as they were staged, unless a path came twice and replaced its row
                boolean stagedOnce = stagedRows(t) == staged.rows();
                for (byte[] root : roots) {
                    seal.subtract(BaselineSeal.ofRange(t, "main.baseline", root));
                    for (String sql : List.of("DELETE FROM main.baseline WHERE " + PathRange.CONDITION,
                            "INSERT INTO main.baseline(" + BaselineRows.NAMES + ") SELECT " + BaselineRows.NAMES
                                    + " FROM temp.current WHERE " + PathRange.CONDITION)) {
                        try (PreparedStatement ps = t.prepareStatement(sql)) {
                            Database.bind(ps, new PathRange(root).args());
                            ps.executeUpdate();
                        }
                    }
                    if (!stagedOnce) {
                        seal.add(BaselineSeal.ofRange(t, "temp.current", root));
                    }
                }
                if (stagedOnce) {
                    seal.add(staged);
                }
                after[0] = BaselineSeal.write(t, kept, seal, now);
            });
        } catch (SQLException e) {
            throw Database.failure("cannot update the baseline", e);
        }
        return after[0];
    }

    private static long stagedRows(Connection t) throws SQLException {
        try (Statement s = t.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM temp.current")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** After {@link #accept}, or to abandon the staging: the writer is stopped before its connection closes. */
    @Override
    public void close() {
        try {
            if (!endQueued) {
                writer.interrupt();
            }
            HelperThreads.joinUninterruptibly(writer);
        } finally {
            try {
                c.close();
            } catch (SQLException e) {
                throw Database.failure("cannot close " + db.file(), e);
            }
        }
    }
}

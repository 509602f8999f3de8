package dev.vigil.store;

import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.EntryType;
import dev.vigil.fim.FileRecord;
import dev.vigil.fim.HashAlgorithm;
import dev.vigil.fim.ListingDigest;
import dev.vigil.fim.QuickKey;
import dev.vigil.fim.Seal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scan to be accepted, staged in a table of the main database named for this run, by one writer thread (batched
 * transactions, a bounded queue in front so memory does not grow with the tree); acceptance then replaces a range
 * of the baseline in one short transaction, which updates the seal ({@link BaselineSeal}) from the rows of that
 * range alone: less the rows it replaces, read there, plus the staged rows, sealed by the writer as it staged them.
 *
 * <p>Where the rows the roots leave outside are no more than those staged (a first baseline, or one of every area),
 * the transaction copies those into the staging table, drops the baseline and renames the staging table in its
 * place: each staged row is written once, not once more by a copy. Otherwise it copies the staged rows into the
 * baseline's range and drops the staging table. Either way readers see the old baseline or the new one.
 *
 * <p>The name holds the process's id and start time, so that two processes (a command beside the daemon) never
 * share a table, and a table whose process is gone (killed mid-scan) is known to be left over: each staging drops
 * those first, so they do not pile up.
 */
final class BaselineStaging implements BaselineStore.Snapshot {

    private static final int BATCH = 4096;
    private static final String PREFIX = "baseline_staging_";
    private static final String LISTING_SUFFIX = "_listing";
    private static final AtomicLong RUNS = new AtomicLong();

    private static final FileRecord END = new FileRecord(new byte[0], EntryType.FILE, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, null);

    private final Database db;
    /** The host announcing what is accepted ({@link SqliteBaseline#announce}); null: none. */
    private final String host;
    /** The file staged into (its device and inode): accepting into another file now at the path is refused. */
    private final Object stagedInto;
    private final Connection c;
    /** The staging table, qualified: {@code main.baseline_staging_<pid>_<start ms>_<run>}. */
    private final String table;
    /** The staged rows' listing digests ({@link ListingDigest}), made by the writer: the staging table's name {@code _listing}. */
    private final String listingTable;
    private final BlockingQueue<FileRecord> queue = new ArrayBlockingQueue<>(BATCH * 4);
    private final Thread writer;
    private volatile Throwable failure;
    /** The seal of the staged rows, added up by the writer as it stages them; read once it has ended. */
    private final Seal staged = Seal.empty();
    private boolean finished;
    /** Whether the writer has been told the end, so it ends by itself. */
    private boolean endQueued;

    BaselineStaging(Database db, String host) {
        this.db = db;
        this.host = host;
        stagedInto = db.fileKey();
        c = db.connectFor("cannot stage a scan in " + db.file());
        ProcessHandle self = ProcessHandle.current();
        table = "main." + PREFIX + self.pid() + "_" + started(self) + "_" + RUNS.incrementAndGet();
        listingTable = table + LISTING_SUFFIX;
        try (Statement s = c.createStatement()) {
            dropLeftOver(c);
            s.execute(BaselineRows.createTable(table));
            s.execute(BaselineListings.createTable(listingTable));
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
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO " + table + "(" + BaselineRows.NAMES
                + ") VALUES (" + BaselineRows.PARAMETERS + ")");
             PreparedStatement listing = c.prepareStatement("INSERT OR REPLACE INTO " + listingTable + "(key, digest) VALUES (?, ?)")) {
            // each directory's listing digest made as its rows are staged, written once the rows have passed it
            ListingDigest.Builder listings = new ListingDigest.Builder((key, digest) -> {
                try {
                    listing.setBytes(1, key);
                    listing.setBytes(2, digest);
                    listing.executeUpdate();
                } catch (SQLException e) {
                    throw new StoreException("cannot stage a listing digest", e);
                }
            });
            // Whole batches, one transaction each, row by row: sqlite-jdbc's addBatch/executeBatch clears its
            // whole batch array after every execution, and with the writer ahead of the scan (a few rows at a
            // time) that clearing took most of the writer's CPU.
            List<FileRecord> batch = new ArrayList<>(BATCH);
            boolean end = false;
            while (!end) {
                // what is queued taken at once (one lock, not one a row), waiting only when nothing is; the end is
                // the last row ever queued
                while (batch.size() < BATCH && !end) {
                    if (queue.drainTo(batch, BATCH - batch.size()) == 0) {
                        batch.add(queue.take());
                    }
                    end = batch.get(batch.size() - 1) == END;
                    if (end) {
                        batch.remove(batch.size() - 1);
                    }
                }
                boolean last = end;
                Database.transaction(c, t -> {
                    for (FileRecord r : batch) {
                        byte[] quickKey = QuickKey.of(r);
                        BaselineRows.bind(ps, r, quickKey);
                        ps.executeUpdate();
                        listings.add(r, quickKey);
                    }
                    if (last) {
                        listings.finish();
                    }
                });
                staged.addAll(batch);
                batch.clear();
            }
        } catch (Throwable t) {
            failure = t;
            queue.clear();
        }
    }

    @Override
    public BaselineStore.SealState accept(List<byte[]> roots) {
        return accept(roots, "accept", t -> {
        });
    }

    @Override
    public BaselineStore.SealState acceptAsAreas(List<byte[]> roots, HashAlgorithm algorithm) {
        return accept(roots, "baseline", t -> {
            try (PreparedStatement ps = t.prepareStatement("INSERT INTO setting(name, value) VALUES ('hash_algorithm', ?)"
                    + " ON CONFLICT(name) DO UPDATE SET value = excluded.value")) {
                Database.bind(ps, algorithm.toString());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = t.prepareStatement("INSERT OR IGNORE INTO area(path) VALUES (?)")) {
                for (byte[] root : roots) {
                    Database.bind(ps, (Object) root);
                    ps.executeUpdate();
                }
            }
        });
    }

    /**
     * Accepts the staged rows at and below {@code roots}, and writes {@code also} and the change's announcement (an
     * {@code operation} of the staged rows) in the same transaction.
     */
    private BaselineStore.SealState accept(List<byte[]> roots, String operation, Database.Steps also) {
        finish();
        if (!db.fileKey().equals(stagedInto)) {
            // accepted, the scan would go into a file no one reads any more, and the baseline at the path stay as it is
            throw new StoreException("the database " + db.file() + " was replaced while the scan was staged in the one"
                    + " before: nothing accepted; run it again", null);
        }
        BaselineStore.SealState[] after = new BaselineStore.SealState[1];
        Instant now = Instant.now();
        try {
            Database.transaction(c, t -> {
                BaselineStore.SealState kept = BaselineSeal.begin(t, now);
                Seal seal = kept.seal().copy();
                // the staged rows were sealed as they were staged, unless a path came twice and replaced its row
                long stagedRows = count(t, table);
                boolean stagedOnce = stagedRows == staged.rows();
                long replaced = 0;
                for (byte[] root : roots) {
                    Seal replacing = BaselineSeal.ofRange(t, "main.baseline", root);
                    replaced += replacing.rows();
                    seal.subtract(replacing);
                    if (!stagedOnce) {
                        seal.add(BaselineSeal.ofRange(t, table, root));
                    }
                }
                if (stagedOnce) {
                    seal.add(staged);
                }
                for (byte[] root : roots) {
                    seal.subtract(BaselineListings.remove(t, root));
                }
                // copy the fewer rows: those outside the roots (the kept count less the replaced) or the staged ones
                if (kept.seal().rows() - replaced <= stagedRows) {
                    renameIntoPlace(t, roots);
                } else {
                    copyIntoRanges(t, roots);
                }
                // a path staged twice (by two walks) may have its listing from one walk and its row from the other:
                // then no listing is kept, and the next check reads these rows one by one
                if (stagedOnce) {
                    for (byte[] root : roots) {
                        seal.add(BaselineListings.copy(t, listingTable, root));
                    }
                }
                after[0] = BaselineSeal.write(t, kept, seal, now);
                also.run(t);
                SqliteBaseline.announce(t, host, operation, roots, stagedRows, kept, after[0], now);
            });
        } catch (SQLException e) {
            throw Database.failure("cannot update the baseline", e);
        }
        return after[0];
    }

    /** Adds the baseline's rows outside {@code roots} to the staging table, which then takes the baseline's place. */
    private void renameIntoPlace(Connection t, List<byte[]> roots) throws SQLException {
        String outside = String.join(" AND ", roots.stream().map(r -> "NOT (" + PathRange.CONDITION + ")").toList());
        try (PreparedStatement ps = t.prepareStatement("INSERT INTO " + table + "(" + BaselineRows.NAMES + ") SELECT "
                + BaselineRows.NAMES + " FROM main.baseline" + (roots.isEmpty() ? "" : " WHERE " + outside))) {
            Database.bind(ps, roots.stream().flatMap(r -> Arrays.stream(new PathRange(r).args())).toArray());
            ps.executeUpdate();
        }
        try (Statement s = t.createStatement()) {
            s.execute("DROP TABLE main.baseline");
            s.execute("ALTER TABLE " + table + " RENAME TO baseline");
        }
    }

    /** Replaces the baseline's rows at or below each root by the staged ones, then drops the staging table. */
    private void copyIntoRanges(Connection t, List<byte[]> roots) throws SQLException {
        for (byte[] root : roots) {
            for (String sql : List.of("DELETE FROM main.baseline WHERE " + PathRange.CONDITION,
                    "INSERT INTO main.baseline(" + BaselineRows.NAMES + ") SELECT " + BaselineRows.NAMES
                            + " FROM " + table + " WHERE " + PathRange.CONDITION)) {
                try (PreparedStatement ps = t.prepareStatement(sql)) {
                    Database.bind(ps, new PathRange(root).args());
                    ps.executeUpdate();
                }
            }
        }
        try (Statement s = t.createStatement()) {
            s.execute("DROP TABLE " + table);
        }
    }

    private static long count(Connection t, String table) throws SQLException {
        try (Statement s = t.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The start time of {@code process} in milliseconds since the epoch, 0 where the system does not tell it. */
    private static long started(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Drops the staging tables of processes that are gone, which a kill or a crash mid-scan left behind; a table of a
     * running process (this one's included) is its run's.
     */
    private static void dropLeftOver(Connection c) throws SQLException {
        List<String> leftOver = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM main.sqlite_master"
                + " WHERE type = 'table' AND substr(name, 1, " + PREFIX.length() + ") = '" + PREFIX + "'")) {
            while (rs.next()) {
                String name = rs.getString(1);
                String[] run = name.substring(PREFIX.length()).split("_");
                boolean named = run.length == 3 || run.length == 4 && name.endsWith(LISTING_SUFFIX);
                if (!named || !running(run[0], run[1])) {
                    leftOver.add(name);
                }
            }
        }
        try (Statement s = c.createStatement()) {
            for (String name : leftOver) {
                s.execute("DROP TABLE IF EXISTS main.\"" + name.replace("\"", "\"\"") + "\"");
            }
        }
    }

    private static boolean running(String pid, String start) {
        try {
            long id = Long.parseLong(pid);
            long ms = Long.parseLong(start);
            return ProcessHandle.of(id).filter(p -> started(p) == ms).isPresent();
        } catch (NumberFormatException e) {
            return false;
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
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
                s.execute("DROP TABLE IF EXISTS " + listingTable);
            } catch (SQLException e) {
                throw Database.failure("cannot drop " + table + " from " + db.file(), e);
            }
        } finally {
            try {
                c.close();
            } catch (SQLException e) {
                throw Database.failure("cannot close " + db.file(), e);
            }
        }
    }
}

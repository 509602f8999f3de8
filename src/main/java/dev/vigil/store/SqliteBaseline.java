package dev.vigil.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.EntryType;
import dev.vigil.fim.FileRecord;
import dev.vigil.fim.HashAlgorithm;
import dev.vigil.os.ByteKey;
import dev.vigil.os.PathBytes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The baseline in SQLite. A scan to be accepted is staged in a temporary table of its own connection by one
 * writer thread (batched transactions, a bounded queue in front so memory does not grow with the tree), and
 * acceptance then replaces a range of the baseline in one short transaction. Checks read the baseline in path
 * order through {@link #read}.
 */
public final class SqliteBaseline implements BaselineStore {

    private static final String COLUMNS = "path, type, size, mode, uid, gid, inode, device, links, mtime_ns, ctime_ns, target, hash, xattrs, error";
    private static final int BATCH = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final ReportedState reported;

    public SqliteBaseline(Database db) {
        this.db = db;
        this.reported = new ReportedState(db);
    }

    @Override
    public java.util.Map<ByteKey, String> reported(byte[] root) {
        return reported.under(root);
    }

    @Override
    public boolean markReported(byte[] path, String fingerprint) {
        return reported.put(path, fingerprint);
    }

    @Override
    public boolean forgetReported(byte[] path, String fingerprint) {
        return reported.remove(path, fingerprint);
    }

    @Override
    public void clearReported(byte[] root) {
        reported.removeUnder(root);
    }

    @Override
    public Snapshot newSnapshot() {
        try {
            return new SqliteSnapshot(db.connect());
        } catch (SQLException e) {
            throw new StoreException("cannot stage a scan in " + db.file() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Lookup lookup() {
        try {
            Connection c = db.connect();
            PreparedStatement ps;
            try {
                ps = c.prepareStatement("SELECT " + COLUMNS + " FROM baseline WHERE path = ?");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return new Lookup() {
                @Override
                public Optional<FileRecord> find(byte[] path) {
                    try {
                        ps.setBytes(1, path);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? Optional.of(readRecord(rs)) : Optional.empty();
                        }
                    } catch (SQLException e) {
                        throw new StoreException("cannot read the baseline: " + e.getMessage(), e);
                    }
                }

                @Override
                public void close() {
                    try {
                        ps.close();
                        c.close();
                    } catch (SQLException e) {
                        throw new StoreException("cannot close " + db.file() + ": " + e.getMessage(), e);
                    }
                }
            };
        } catch (SQLException e) {
            throw new StoreException("cannot read the baseline: " + e.getMessage(), e);
        }
    }

    @Override
    public Cursor read(byte[] root) {
        return new ReadAheadCursor(root);
    }

    @Override
    public Optional<HashAlgorithm> hashAlgorithm() {
        return setting("hash_algorithm").map(HashAlgorithm::named);
    }

    @Override
    public void hashAlgorithm(HashAlgorithm algorithm) {
        update("INSERT INTO setting(name, value) VALUES ('hash_algorithm', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                algorithm.toString());
    }

    @Override
    public List<byte[]> areas() {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT path FROM area ORDER BY path")) {
            List<byte[]> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getBytes(1));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read areas: " + e.getMessage(), e);
        }
    }

    @Override
    public void addAreas(List<byte[]> roots) {
        for (byte[] root : roots) {
            update("INSERT OR IGNORE INTO area(path) VALUES (?)", root);
        }
    }

    @Override
    public long forget(byte[] root) {
        byte[][] r = range(root);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            long removed = 0;
            try {
                for (String table : List.of("area", "reported", "baseline")) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                            + " WHERE path = ? OR (path >= ? AND path < ?)")) {
                        bind(ps, root, r[0], r[1]);
                        removed = ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                throw Database.rolledBack(c, e);
            }
            return removed;
        } catch (SQLException e) {
            throw new StoreException("cannot update the baseline: " + e.getMessage(), e);
        }
    }

    @Override
    public void recordRun(ScanRun run) {
        update("INSERT INTO scan_run(kind, area, started, finished, files, bytes, errors) VALUES (?,?,?,?,?,?,?)",
                run.kind(), run.area(), run.started().toString(), run.finished().toString(), run.entries(), run.bytes(), run.errors());
    }

    @Override
    public Optional<ScanRun> lastRun(String kind, String area) {
        List<ScanRun> runs = runs("WHERE kind = ? AND area = ?", 1, kind, area);
        return runs.stream().findFirst();
    }

    /** The most recent runs, newest first. */
    public List<ScanRun> recentRuns(int limit) {
        return runs("", limit);
    }

    /** Entries in the baseline and the sum of their sizes. */
    public long[] totals() {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(CASE WHEN type = 'FILE' THEN size END), 0) FROM baseline")) {
            rs.next();
            return new long[]{rs.getLong(1), rs.getLong(2)};
        } catch (SQLException e) {
            throw new StoreException("cannot count the baseline: " + e.getMessage(), e);
        }
    }

    private List<ScanRun> runs(String where, int limit, Object... args) {
        String sql = "SELECT kind, area, started, finished, files, bytes, errors FROM scan_run " + where
                + " ORDER BY id DESC LIMIT " + limit;
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<ScanRun> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ScanRun(rs.getString(1), rs.getString(2), Instant.parse(rs.getString(3)),
                            Instant.parse(rs.getString(4)), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read scan runs: " + e.getMessage(), e);
        }
    }

    private Optional<String> setting(String name) {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT value FROM setting WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read setting " + name + ": " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... args) {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot write to " + db.file() + ": " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    /** The upper bound of the range of paths strictly below {@code root}: "root/" up to "root0". */
    static byte[][] range(byte[] root) {
        boolean slashRoot = root.length == 1 && root[0] == '/';
        byte[] low = slashRoot ? root : Arrays.copyOf(root, root.length + 1);
        byte[] high = slashRoot ? new byte[]{'0'} : Arrays.copyOf(root, root.length + 1);
        if (!slashRoot) {
            low[root.length] = '/';
            high[root.length] = '0';
        }
        return new byte[][]{low, high};
    }

    private static PreparedStatement rangeQuery(Connection c, byte[] root) throws SQLException {
        byte[][] r = range(root);
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM baseline"
                + " WHERE path = ? OR (path >= ? AND path < ?) ORDER BY path");
        ps.setBytes(1, root);
        ps.setBytes(2, r[0]);
        ps.setBytes(3, r[1]);
        return ps;
    }

    private static void bindRecord(PreparedStatement ps, FileRecord r) throws SQLException {
        ps.setBytes(1, r.path());
        ps.setString(2, r.type().name());
        ps.setLong(3, r.size());
        ps.setInt(4, r.mode());
        ps.setInt(5, r.uid());
        ps.setInt(6, r.gid());
        ps.setLong(7, r.inode());
        ps.setLong(8, r.device());
        ps.setLong(9, r.links());
        ps.setLong(10, r.mtimeNs());
        ps.setLong(11, r.ctimeNs());
        ps.setBytes(12, r.target());
        ps.setString(13, r.hash());
        try {
            ps.setString(14, r.xattrs().isEmpty() ? null : JSON.writeValueAsString(r.xattrs()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ps.setString(15, r.error());
    }

    private static FileRecord readRecord(ResultSet rs) throws SQLException {
        String xattrs = rs.getString(14);
        TreeMap<String, String> map = null;
        if (xattrs != null) {
            try {
                map = JSON.readValue(xattrs, new TypeReference<TreeMap<String, String>>() { });
            } catch (JsonProcessingException e) {
                throw new StoreException("corrupt xattrs column: " + e.getMessage(), e);
            }
        }
        return new FileRecord(rs.getBytes(1), EntryType.valueOf(rs.getString(2)), rs.getLong(3), rs.getInt(4),
                rs.getInt(5), rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                rs.getLong(11), rs.getBytes(12), rs.getString(13), map, rs.getString(15));
    }

    private static final class SqliteSnapshot implements Snapshot {
        private static final FileRecord END = new FileRecord(new byte[0], EntryType.FILE, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, null);

        private final Connection c;
        private final BlockingQueue<FileRecord> queue = new ArrayBlockingQueue<>(BATCH * 4);
        private final Thread writer;
        private volatile Throwable failure;
        private boolean finished;
        /** Whether the writer has been told the end, so it ends by itself. */
        private boolean endQueued;

        SqliteSnapshot(Connection c) throws SQLException {
            this.c = c;
            try (Statement s = c.createStatement()) {
                // Keyed by path without a rowid, like the baseline, so reading it in path order is sequential.
                s.execute("CREATE TEMP TABLE current (path BLOB PRIMARY KEY, type TEXT NOT NULL, size INTEGER, "
                        + "mode INTEGER, uid INTEGER, gid INTEGER, inode INTEGER, device INTEGER, links INTEGER, "
                        + "mtime_ns INTEGER, ctime_ns INTEGER, target BLOB, hash TEXT, xattrs TEXT, error TEXT) WITHOUT ROWID");
            }
            writer = new Thread(this::write, "vigil-snapshot-writer");
            writer.setDaemon(true);
            writer.start();
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
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO temp.current(" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
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
                    c.setAutoCommit(false);
                    for (FileRecord r : batch) {
                        bindRecord(ps, r);
                        ps.executeUpdate();
                    }
                    c.commit();
                    c.setAutoCommit(true);
                    batch.clear();
                }
            } catch (Throwable t) {
                failure = t;
                queue.clear();
            }
        }

        @Override
        public void accept(List<byte[]> roots) {
            finish();
            try {
                c.setAutoCommit(false);
                for (byte[] root : roots) {
                    byte[][] r = range(root);
                    for (String sql : List.of("DELETE FROM main.baseline WHERE path = ? OR (path >= ? AND path < ?)",
                            "INSERT INTO main.baseline(" + COLUMNS + ") SELECT " + COLUMNS
                                    + " FROM temp.current WHERE path = ? OR (path >= ? AND path < ?)")) {
                        try (PreparedStatement ps = c.prepareStatement(sql)) {
                            ps.setBytes(1, root);
                            ps.setBytes(2, r[0]);
                            ps.setBytes(3, r[1]);
                            ps.executeUpdate();
                        }
                    }
                }
                c.commit();
            } catch (SQLException e) {
                throw new StoreException("cannot update the baseline: " + e.getMessage(), Database.rolledBack(c, e));
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the connection is closed with the snapshot
                }
            }
        }

        /** After {@link #accept}, or to abandon the staging: the writer is stopped before its connection closes. */
        @Override
        public void close() {
            try {
                if (!endQueued) {
                    writer.interrupt();
                }
                joinUninterruptibly(writer);
            } finally {
                try {
                    c.close();
                } catch (SQLException e) {
                    throw new StoreException("cannot close " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * The baseline rows at or below a root in path order, read and decoded on a thread of their own in batches,
     * so a check's merge on the caller's thread does not also pay for reading SQLite. At most a few batches wait.
     */
    private final class ReadAheadCursor implements Cursor {
        private static final int ROWS = 1024;
        /** Marks the end of the rows; compared by identity. */
        private static final List<FileRecord> END = new ArrayList<>(0);

        private final BlockingQueue<List<FileRecord>> batches = new ArrayBlockingQueue<>(4);
        private final Thread reader;
        /** A {@link StoreException} or an {@link Error}. */
        private volatile Throwable failure;
        private Iterator<FileRecord> batch = Collections.emptyIterator();
        private boolean ended;

        ReadAheadCursor(byte[] root) {
            reader = new Thread(() -> readAll(root), "vigil-baseline-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void readAll(byte[] root) {
            try (Connection c = db.connect(); PreparedStatement ps = rangeQuery(c, root); ResultSet rs = ps.executeQuery()) {
                List<FileRecord> rows = new ArrayList<>(ROWS);
                while (rs.next()) {
                    rows.add(readRecord(rs));
                    if (rows.size() == ROWS) {
                        batches.put(rows);
                        rows = new ArrayList<>(ROWS);
                    }
                }
                batches.put(rows);
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
            joinUninterruptibly(reader);
        }
    }

    /**
     * Waits for a helper thread to end, even if this thread is interrupted meanwhile (the interrupt is kept for the
     * caller): a helper left running would go on using the database after its owner has moved on.
     */
    private static void joinUninterruptibly(Thread helper) {
        boolean interrupted = false;
        while (true) {
            try {
                helper.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

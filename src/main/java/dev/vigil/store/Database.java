package dev.vigil.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one SQLite file Vigil keeps: opened in WAL mode with a busy timeout on every connection, so the
 * daemon and the CLI can share it without "database is locked", and migrated forward on open.
 *
 * <p>Operations borrow a connection from a few idle ones kept with Vigil's pragmas, and give it back: opening one
 * (the file, four pragmas, the schema parsed again on its first statement) cost more than most operations on it,
 * and keeping one also keeps the WAL between writes (SQLite checkpoints and removes it when the last connection
 * closes). A connection serves one operation of one thread at a time. One that an operation leaves outside
 * auto-commit mode, or that saw any failure, is closed, never kept. Before a borrow the file at the path is
 * compared (device and inode) with the one the kept connections were opened on: a file moved aside and replaced
 * (how a damaged database is recovered) lets every kept connection go, so writes never go on into the old file,
 * and operations follow the path as they did when each opened its own. {@link #close} lets the idle ones go (the
 * daemon's and collector's Camel context when it stops, each command when it ends); an operation after it still
 * works, on a connection of its own. The connections that look-ups and the trickle's order keep for themselves, outside
 * the pool, follow a replaced file the same way ({@link KeptConnection}); those of one read of the baseline or one
 * staging stay on the file they began on, and staging refuses to accept into a file no longer at the path.
 *
 * <p>Written by hand rather than with HikariCP, which the fleet store uses: Hikari bounds the connections and has
 * a thread wait for one (then fail after its timeout), where a local SQLite connection is best simply opened when
 * none is idle; it evicts a connection only for SQL states sqlite-jdbc does not set, checks one with a query when
 * borrowed, and runs a housekeeping thread; and it cannot know that the file behind its URL was replaced, which
 * has to be checked here in any case. What is left is a deque of idle connections.
 *
 * <p>Migrations are SQL resources listed in {@link #MIGRATIONS}; version N is the N-th entry. They are
 * forward-only: an entry is never edited once released, a change is a new entry.
 */
public final class Database implements AutoCloseable {

    /** Ordered schema migrations; {@code schema_version} records how many have been applied. */
    static final List<String> MIGRATIONS = List.of(
            "001-baseline.sql",
            "002-daemon.sql",
            "003-pid-state.sql",
            "004-log-offsets.sql",
            "005-file-events.sql",
            "006-outbox-requeue.sql",
            "007-event-pooled.sql",
            "008-file-event-paths.sql",
            "009-baseline-seal.sql",
            "010-event-web-view-indexes.sql",
            "011-trickle-verified.sql",
            "012-outbox-channel-index.sql",
            "013-baseline-quick-key.sql",
            "014-outbox-lane.sql",
            "015-outbox-unhashed-index.sql",
            "016-baseline-listing.sql",
            "017-outbox-announcing.sql",
            "018-heartbeat-seal.sql",
            "019-log-rotated.sql");

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final int BUSY_TIMEOUT_MS = 30_000;
    /** Idle connections kept at most: the daemon's threads that use the store at once (watch, trickle, channels, web). */
    private static final int MAX_IDLE = 4;
    /** {@link #fileKey} when no file can be read at the path (SQLite will create one there). */
    private static final Object NO_FILE = new Object();
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    /**
     * SQLITE_OPEN_NOFOLLOW (SQLite 3.31): SQLite refuses a database path that is a symbolic link. sqlite-jdbc has
     * no constant for it, but passes its {@code open_mode} property to {@code sqlite3_open_v2} as it is.
     */
    private static final int NOFOLLOW = 0x01000000;
    private static final Properties OPEN_MODE = new Properties();

    static {
        OPEN_MODE.setProperty("open_mode", Integer.toString(SQLiteOpenMode.READWRITE.flag | SQLiteOpenMode.CREATE.flag | NOFOLLOW));
        // Otherwise sqlite-jdbc follows every INSERT with a query of its own (SELECT last_insert_rowid(), prepared
        // and stepped) in case getGeneratedKeys is asked; an insert that wants its key asks last_insert_rowid() itself.
        OPEN_MODE.setProperty(SQLiteConfig.Pragma.JDBC_GET_GENERATED_KEYS.pragmaName, "false");
    }

    private final Path file;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    /** What {@link #fileKey} said at the last borrow: the file the idle connections were opened on. */
    private Object openedFile;
    /**
     * What {@link #fileKey} said last, whoever asked: another file seen at the path is told once, by the first
     * operation that meets it (the idle pool's, a kept connection's, a staging's).
     */
    private final AtomicReference<Object> seenFile = new AtomicReference<>();
    /** Counts the times the idle connections were let go: a connection borrowed before that is not kept. */
    private long generation;
    private boolean closed;
    /** The verdict of a {@link #verifyAlongside} that writes wait for; null when none was started. */
    private volatile Verdict pending;

    private Database(Path file) {
        this.file = file;
    }

    /** Opens (creating if needed, mode 0600) and migrates the database at {@code file}; the caller closes it. */
    public static Database open(Path file) {
        Database db = new Database(file.toAbsolutePath());
        db.createFile();
        db.openedFile = db.fileKey();
        db.withConnection("cannot open database " + file, c -> {
            db.migrate(c);
            return null;
        }, db::damagedOr);
        return db;
    }

    /**
     * SQLite's {@code PRAGMA quick_check}: every page and record well formed (not that indexes match their
     * tables, which the full integrity_check adds). It reads the whole file, which is cheap enough to run at every
     * start (figures in bench/README.md, "Figures kept out of the code").
     *
     * @throws DamagedDatabaseException naming what is wrong and how to recover
     */
    public void verify() {
        List<String> problems = withConnection("cannot verify database " + file, c -> {
            List<String> found = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return found;
        }, this::damagedOr);
        if (!problems.equals(List.of("ok"))) {
            throw new DamagedDatabaseException(file, String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                    + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : ""), null);
        }
    }

    /**
     * {@link #verify} on a thread of its own, for a command that only reads before it reports (a quick check): the
     * quick_check reads the whole file, about half a second at a million entries, which then runs beside the walk
     * instead of before it. The caller awaits the verdict before it reports anything or returns, and puts it before
     * any failure of its own ({@link Verdict#before}): a damaged database stays an error, never a check that found
     * no difference, and its error is the one told even where a read of the damaged file failed first. Every write
     * through this object ({@link #update}, {@link #inTransaction}) awaits it as well, so nothing is written into a
     * database not yet found intact.
     */
    public Verdict verifyAlongside() {
        Verdict verdict = new Verdict();
        verdict.quickCheck = HelperThreads.start("vigil-verify", () -> {
            try {
                verify();
            } catch (RuntimeException | Error e) {
                verdict.failure = e;
            }
        });
        pending = verdict;
        return verdict;
    }

    /** The outcome of a {@link #verifyAlongside}. */
    public static final class Verdict {

        private Thread quickCheck;
        /** What the quick_check threw; read after the thread is joined. */
        private Throwable failure;

        private Verdict() {
        }

        /**
         * Waits for the quick_check to end.
         *
         * @throws DamagedDatabaseException if it found the database damaged, or the error that kept it from saying
         */
        public void await() {
            HelperThreads.joinUninterruptibly(quickCheck);
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }

        /**
         * Waits for the verdict on behalf of {@code failure}, a command's own: if the database is damaged, that
         * error is thrown, with {@code failure} added to it; else this returns and {@code failure} is the caller's
         * to throw.
         */
        public void before(Throwable failure) {
            try {
                await();
            } catch (RuntimeException | Error e) {
                // the caller's failure may be this very error, met by an await of its own
                if (e != failure) {
                    e.addSuppressed(failure);
                }
                throw e;
            }
        }
    }

    /** The verdict a write must wait for: that of the last {@link #verifyAlongside}, or null. */
    private void awaitPendingVerdict() {
        Verdict verdict = pending;
        if (verdict != null) {
            verdict.await();
        }
    }

    /**
     * The error as a damaged database's if SQLite said the file is corrupt or not a database at all, else as
     * {@link #failure}'s. Opening and verifying say so; other operations fail with their own message.
     */
    private StoreException damagedOr(String what, SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB
                ? new DamagedDatabaseException(file, e.getMessage(), e) : failure(what, e);
    }

    /** What a failed operation throws: {@code what} ("cannot read ...") and what SQLite said. */
    static StoreException failure(String what, SQLException e) {
        return new StoreException(what + ": " + e.getMessage(), e);
    }

    /** Closes {@code c}, which a caller was to keep and could not set up, and returns {@code failure}, which says why. */
    static StoreException closed(Connection c, StoreException failure) {
        try {
            c.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    public Path file() {
        return file;
    }

    /**
     * The database file and the WAL, shared-memory and journal files SQLite keeps beside it, and the daemon's
     * status file (with its temporary copy), which the daemon rewrites beside the database.
     */
    public List<Path> files() {
        Path absolute = file.toAbsolutePath();
        return java.util.stream.Stream.of("", "-wal", "-shm", "-journal", StatusFile.SUFFIX, StatusFile.SUFFIX + StatusFile.TEMPORARY)
                .map(suffix -> absolute.resolveSibling(absolute.getFileName() + suffix)).toList();
    }

    /** A new connection with Vigil's pragmas; the caller closes it. */
    public Connection connect() throws SQLException {
        // sqlite-jdbc's driver called directly: DriverManager's first connection looks for every driver of the
        // class path (ServiceLoader), opening each of its hundred-odd jars (0.07 to 0.1 s of CPU)
        Connection c = JDBC.createConnection("jdbc:sqlite:" + file, OPEN_MODE);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA foreign_keys=ON");
        }
        return c;
    }

    /**
     * {@link #connect} for a connection its caller keeps (a {@link KeptConnection}, staging, a check's read), failing as
     * {@link #failure} says with {@code what}.
     */
    Connection connectFor(String what) {
        try {
            return connect();
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Work on a connection, failing as JDBC does. */
    @FunctionalInterface
    interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    /** Statements that belong in one transaction. */
    @FunctionalInterface
    interface Steps {
        void run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on a borrowed connection in auto-commit mode (each statement its own transaction), which
     * {@code work} must leave in auto-commit mode to have it kept; an SQL failure is a {@link StoreException} saying
     * {@code what} could not be done.
     */
    <T> T withConnection(String what, Work<T> work) {
        return withConnection(what, work, Database::failure);
    }

    /** How an SQL failure becomes the exception an operation throws. */
    @FunctionalInterface
    private interface Failure {
        StoreException of(String what, SQLException e);
    }

    private <T> T withConnection(String what, Work<T> work, Failure failure) {
        long borrowedIn;
        Connection c;
        Object current = fileKey();
        try {
            synchronized (this) {
                if (!current.equals(openedFile)) {
                    letGoIdle();
                    openedFile = current;
                }
                borrowedIn = generation;
                c = idle.pollFirst();
            }
            if (c == null) {
                c = connect();
            }
        } catch (SQLException e) {
            throw failure.of(what, e);
        }
        T result;
        try {
            result = work.on(c);
        } catch (SQLException e) {
            throw closed(c, failure.of(what, e));
        } catch (RuntimeException | Error e) {
            closeAfter(c, e);
            throw e;
        }
        giveBack(c, borrowedIn);
        return result;
    }

    /**
     * The device and inode of the file at the path, or {@link #NO_FILE}. Another file than the one seen last is
     * logged (a warning): a database replaced under a running Vigil is either an administrator restoring a backup or
     * someone swapping the baseline, and what follows compares against the file now at the path.
     */
    Object fileKey() {
        Object key;
        try {
            key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            key = NO_FILE;
        }
        Object before = seenFile.getAndSet(key);
        if (before != null && !before.equals(key)) {
            LOG.warn("the database {} is {} (before: {}): replaced while Vigil runs; what follows reads and writes the"
                    + " file now at that path", file, describe(key), describe(before));
        }
        return key;
    }

    private static String describe(Object fileKey) {
        return fileKey == NO_FILE ? "no file" : "file " + fileKey;
    }

    private void letGoIdle() {
        generation++;
        for (Connection c; (c = idle.pollFirst()) != null; ) {
            closeAfter(c, null);
        }
    }

    /**
     * Keeps {@code c} for the next operation if it is clean (auto-commit mode, so no transaction left open), was
     * borrowed since the idle connections were last let go, and fewer than {@link #MAX_IDLE} are kept; else closes it.
     */
    private void giveBack(Connection c, long borrowedIn) {
        boolean clean;
        try {
            clean = c.getAutoCommit();
        } catch (SQLException e) {
            clean = false;
        }
        synchronized (this) {
            if (clean && !closed && borrowedIn == generation && idle.size() < MAX_IDLE) {
                idle.addFirst(c);
                return;
            }
        }
        closeAfter(c, null);
    }

    /** Closes {@code c}; a failure to close is added to {@code cause}, or dropped when there is none. */
    static void closeAfter(Connection c, Throwable cause) {
        try {
            c.close();
        } catch (SQLException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }

    /**
     * Closes the idle connections; the last connection to close checkpoints the WAL into the file. Operations after
     * this still work, each on a connection of its own.
     */
    @Override
    public synchronized void close() {
        closed = true;
        letGoIdle();
    }

    /** Reads one row of a result. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** The rows {@code sql} selects with {@code args} bound in order, each read by {@code row}. */
    <T> List<T> query(String what, String sql, Row<T> row, Object... args) {
        List<T> out = new ArrayList<>();
        forEachRow(what, sql, rs -> out.add(row.read(rs)), args);
        return out;
    }

    /** The rows {@code sql} selects with {@code args} bound in order, by {@code key}, in the order selected. */
    <K, V> Map<K, V> queryMap(String what, String sql, Row<K> key, Row<V> value, Object... args) {
        Map<K, V> out = new LinkedHashMap<>();
        forEachRow(what, sql, rs -> out.put(key.read(rs), value.read(rs)), args);
        return out;
    }

    /** Reads each row {@code sql} selects with {@code args} bound in order by {@code each}, as the cursor reaches it. */
    void forEachRow(String what, String sql, Row<?> each, Object... args) {
        withConnection(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        each.read(rs);
                    }
                }
                return null;
            }
        });
    }

    /** Runs one statement with {@code args} bound in order, a transaction of its own; returns the rows it changed. */
    int update(String what, String sql, Object... args) {
        awaitPendingVerdict();
        return withConnection(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * {@code text} as a pattern of {@code LIKE ? ESCAPE '\'} that matches it as written: its backslashes and LIKE's
     * wildcards ({@code %}, {@code _}) escaped.
     */
    public static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    /**
     * Runs {@code delete}, a DELETE of at most {@code batch} rows, until it deletes fewer; returns how many went.
     * In auto-commit mode each run is a transaction of its own, so a large backlog never holds the write lock long.
     */
    static long deleteInBatches(PreparedStatement delete, int batch) throws SQLException {
        long deleted = 0;
        int n;
        do {
            n = delete.executeUpdate();
            deleted += n;
        } while (n == batch);
        return deleted;
    }

    /** Runs {@code steps} in one transaction on a borrowed connection: all of them, or none if one fails. */
    void inTransaction(String what, Steps steps) {
        awaitPendingVerdict();
        withConnection(what, c -> {
            transaction(c, steps);
            return null;
        });
    }

    /**
     * Runs {@code steps} in one transaction on {@code c}, and leaves {@code c} in auto-commit mode again: committed
     * if they all succeed, else rolled back and their failure rethrown, so none of them is committed whatever they
     * throw.
     */
    static void transaction(Connection c, Steps steps) throws SQLException {
        c.setAutoCommit(false);
        try {
            steps.run(c);
            c.commit();
        } catch (Throwable t) {
            rollBack(c, t);
            throw t;
        }
        c.setAutoCommit(true);
    }

    /**
     * Rolls back the transaction {@code cause} ended and puts {@code c} back into auto-commit mode. SQLite rolls
     * back by itself on some errors (a full disk), and a rollback then fails with "no transaction is active", which
     * must not take the place of the error that says what happened: it is added to {@code cause}.
     */
    private static void rollBack(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** The schema version this database is at (the number of migrations applied). */
    public int schemaVersion() {
        return withConnection("cannot read schema version", Database::currentVersion);
    }

    /**
     * Refuses a symbolic link at the database's path or at any of the files SQLite keeps beside it, and creates
     * the file (0600, in a directory made 0700) unless it exists, so SQLite never makes it with its own mode.
     * SQLite then opens it with {@link #NOFOLLOW}; the WAL and shared-memory files it makes itself take the
     * database file's mode.
     */
    private void createFile() {
        try {
            PrivateFiles.createDirectories(file.getParent());
            for (Path f : files()) {
                PrivateFiles.refuseSymlink(f);
            }
            PrivateFiles.createIfAbsent(file);
        } catch (IOException e) {
            throw new StoreException("cannot create database " + file + ": " + e.getMessage(), e);
        }
    }

    private void migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        }
        int version = currentVersion(c);
        if (version > MIGRATIONS.size()) {
            throw new StoreException("database " + file + " has schema version " + version
                    + ", newer than this Vigil knows (" + MIGRATIONS.size() + ")", null);
        }
        for (int i = version; i < MIGRATIONS.size(); i++) {
            String migration = MIGRATIONS.get(i);
            int migrated = i + 1;
            transaction(c, t -> {
                try (Statement s = t.createStatement()) {
                    for (String sql : statements(migration)) {
                        s.execute(sql);
                    }
                    s.execute("DELETE FROM schema_version");
                    s.execute("INSERT INTO schema_version(version) VALUES (" + migrated + ")");
                }
            });
        }
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** A migration file split at semicolons that end a line; migrations hold no triggers or string literals with ";\n". */
    private static List<String> statements(String resource) {
        try (InputStream in = Database.class.getResourceAsStream("migrations/" + resource)) {
            if (in == null) {
                throw new StoreException("missing migration " + resource, null);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return java.util.Arrays.stream(text.split(";\\s*\\n"))
                    .map(String::strip)
                    .filter(sql -> !sql.isEmpty() && !sql.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--")))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.vigil.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The collector's fleet store as a JDBC {@link javax.sql.DataSource} (HikariCP): a {@code jdbc:postgresql://} URL
 * names a PostgreSQL server, pooled; anything else is the path of a SQLite file, opened through one connection (SQLite
 * has one writer, and one connection keeps its writes in the order they are made) in WAL mode, so `vigil hosts`
 * reads while the collector writes. The schema is the collector routes' (routes/collect/fleet.yaml).
 *
 * <p>On PostgreSQL, pgjdbc sends a poll's batched INSERTs as multi-row INSERTs ({@code reWriteBatchedInserts}):
 * otherwise each row is a statement of its own that the server binds and executes (bench/README.md, "Fleet").
 * Set as a driver property, so the URL's own {@code reWriteBatchedInserts} still wins (pgjdbc reads the URL's
 * parameters over the properties it is given).
 */
public final class FleetDataSource {

    private static final String POSTGRESQL = "jdbc:postgresql:";

    private FleetDataSource() {
    }

    /**
     * @param url      {@code vigil.collect.jdbc.url}: a SQLite path (relative to {@code home}) or a PostgreSQL URL
     * @param username a PostgreSQL login, or empty for the URL's
     */
    public static HikariDataSource open(String url, String username, String password, Path home) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("fleet");
        if (url.startsWith(POSTGRESQL)) {
            config.setJdbcUrl(url);
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            if (!username.isEmpty()) {
                config.setUsername(username);
                config.setPassword(password);
            }
            config.setMaximumPoolSize(4);
        } else if (url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("vigil.collect.jdbc.url=" + url
                    + ": the fleet store is a SQLite file path or a jdbc:postgresql:// URL");
        } else {
            Path file = home.resolve(url).toAbsolutePath();
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the directory of the fleet store " + file, e);
            }
            config.setJdbcUrl("jdbc:sqlite:" + file);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "FULL");
            config.addDataSourceProperty("busy_timeout", "30000");
            // A flood's writes land at random places of the report-id indexes (findings' and CAMEL_MESSAGEPROCESSED's
            // primary keys), which outgrow SQLite's default 2 MB page cache after some 40,000 reports: each insert read
            // its index pages again from the file or the WAL (pread was a sixth of the reports consumer's time in a
            // 200,000-finding flood, bench/README.md). 16 MB at most, filled only as the store grows (32 MB took a
            // flood's peak RSS to 392 MB, near the 400 MB aimed at).
            config.addDataSourceProperty(SQLiteConfig.Pragma.CACHE_SIZE.pragmaName, "-16384");
            // The temporary tables and statement journals of a poll's IN lists and multi-row UPDATEs in memory,
            // not in files under /var/tmp written at every poll.
            config.addDataSourceProperty(SQLiteConfig.Pragma.TEMP_STORE.pragmaName, "MEMORY");
            // no SELECT last_insert_rowid() after every INSERT (sqlite-jdbc's default, for getGeneratedKeys)
            config.addDataSourceProperty(SQLiteConfig.Pragma.JDBC_GET_GENERATED_KEYS.pragmaName, "false");
            config.setMaximumPoolSize(1);
        }
        return new HikariDataSource(config);
    }

    /** Whether {@code url} names a PostgreSQL server rather than a SQLite file. */
    public static boolean postgresql(String url) {
        return url.startsWith(POSTGRESQL);
    }
}

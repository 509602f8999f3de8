package dev.vigil.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.core.BaseConnection;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetDataSourceTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @TempDir
    Path home;

    @Test
    void aPostgresqlStoreSendsBatchedInsertsAsMultiRowInserts() throws Exception {
        assertTrue(rewrites(POSTGRES.newDatabase()));
    }

    @Test
    void theUrlsOwnReWriteBatchedInsertsWins() throws Exception {
        assertFalse(rewrites(POSTGRES.newDatabase() + "&reWriteBatchedInserts=false"));
    }

    @Test
    void aSqliteStoreKeepsA16MbPageCacheAndItsTemporaryStructuresInMemory() throws Exception {
        try (HikariDataSource store = FleetDataSource.open("fleet.db", "", "", home); Connection c = store.getConnection();
             Statement s = c.createStatement()) {
            assertEquals(-16384, pragma(s, "cache_size"));
            assertEquals(2, pragma(s, "temp_store"), "2: MEMORY");
        }
    }

    private static long pragma(Statement s, String name) throws Exception {
        try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private boolean rewrites(String url) throws Exception {
        try (HikariDataSource store = FleetDataSource.open(url, "", "", home); Connection c = store.getConnection()) {
            return c.unwrap(BaseConnection.class).getQueryExecutor().isReWriteBatchedInsertsEnabled();
        }
    }
}

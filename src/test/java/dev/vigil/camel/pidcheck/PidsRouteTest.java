package dev.vigil.camel.pidcheck;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Source;
import dev.vigil.camel.daemon.DaemonConfiguration;
import dev.vigil.store.Database;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * routes/pids.yaml as shipped, in camel-test-junit5's own context (not the daemon's): the real {@code pidcheck:}
 * source over a real PID file and SQLite file, with only the route's edge, {@code direct:report}, advised to a mock.
 */
class PidsRouteTest extends CamelTestSupport {

    /** Static: camel-test-junit5 configures the context while it constructs the test, before fields are injected. */
    @TempDir
    static Path dir;

    /** Closed after the class, before JUnit removes {@link #dir}: an open SQLite file keeps its WAL files there. */
    private static Database db;

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        Properties keys = new Properties();
        keys.setProperty("vigil.pids.files", dir.resolve("sshd.pid").toString());
        keys.setProperty("vigil.pids.require", "");
        keys.setProperty("vigil.pids.interval", "100ms");
        keys.setProperty("vigil.host", "test-host");
        configuration.withUseOverridePropertiesWithPropertiesComponent(keys);
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        db = Database.open(dir.resolve("vigil.db"));
        registry.bind(DaemonConfiguration.DATABASE, db);
    }

    @AfterAll
    static void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aPidFileThatIsMissingReachesTheReportRouteAsOneMissingFinding() throws Exception {
        context.getCamelContextExtension().getContextPlugin(RoutesLoader.class)
                .loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:" + Path.of("routes/pids.yaml").toAbsolutePath()));
        AdviceWith.adviceWith(context, "pids-check", route -> route.weaveByToUri("direct:report").replace().to("mock:report"));
        MockEndpoint report = getMockEndpoint("mock:report");
        report.expectedMinimumMessageCount(1);
        report.expectedHeaderReceived("VigilKind", "MISSING");

        context.start();

        report.assertIsSatisfied();
        Finding missing = report.getReceivedExchanges().get(0).getMessage().getBody(Finding.class);
        assertEquals(Source.PIDS, missing.source());
        assertEquals(dir.resolve("sshd.pid").toString(), missing.subject());
        assertEquals(false, Files.exists(dir.resolve("sshd.pid")));
    }
}

package dev.vigil.camel.collect;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.camel.Beans;
import dev.vigil.camel.Settings;
import dev.vigil.camel.daemon.DaemonConfiguration;
import dev.vigil.config.Key;
import dev.vigil.config.Sizes;
import dev.vigil.fleet.SealHistory;
import dev.vigil.fleet.StoreShares;
import dev.vigil.store.FleetDataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.support.DefaultHeaderFilterStrategy;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import java.nio.file.Path;
import java.time.InstantSource;

/**
 * Binds what {@code vigil collect}'s routes call: the alert pipeline a daemon has (routes/report.yaml and
 * routes/channels.yaml, over the collector's own SQLite database), the fleet store ({@code fleetStore}, the
 * DataSource every {@code sql:} endpoint uses), {@code fleetTransactions} (Spring's transaction manager over it: the
 * routes' {@code transacted} steps store each part of a poll in one transaction), {@code rowParameters}
 * ({@link RowParameters}, the batched INSERTs' statement strategy), {@code noRecordHeaders} (the kafka: consumers'
 * header filter), {@code guardedKafkaClients} (their client factory: {@link GuardedKafkaClients}) and
 * {@code fleetRecords} ({@link FleetRecords}, with the hosts' seal histories, {@link SealHistory}).
 * The alert pipeline brings the daemon's HTTP server and web view bean with it (with {@code vigil.http.port} set),
 * over the collector's database, whose findings each name their host.
 */
public final class CollectConfiguration implements CamelConfiguration {

    private final InstantSource clock;

    public CollectConfiguration() {
        this(InstantSource.system());
    }

    /** With a controllable clock, for tests of pooling, holdoff and silence. */
    public CollectConfiguration(InstantSource clock) {
        this.clock = clock;
    }

    /** The route that makes the fleet store's schema and then starts the consumers (routes/collect/fleet.yaml). */
    private static final String FLEET_START_ROUTE = "fleet-start";

    @Override
    public void configure(CamelContext context) throws Exception {
        DaemonConfiguration.bindAlertPipeline(context, clock);
        HikariDataSource fleet = FleetDataSource.open(Settings.value(context, Key.COLLECT_JDBC_URL),
                Settings.value(context, Key.COLLECT_JDBC_USERNAME),
                Settings.value(context, Key.COLLECT_JDBC_PASSWORD), Path.of(Settings.value(context, Key.HOME)));
        context.getRegistry().bind(Beans.FLEET_STORE, fleet);
        context.getComponent("sql", SqlComponent.class).setDataSource(fleet);
        // camel-sql's JdbcTemplate takes the connection of the transaction a transacted step began on its thread
        context.getRegistry().bind("fleetTransactions", new DataSourceTransactionManager(fleet));
        context.getRegistry().bind("rowParameters", new RowParameters());
        // A record's headers are its sender's: none becomes a header of its message, where a name FleetRecords sets
        // and reads there (fleetQuarantine, fleetHost) would be the sender's to choose. FleetRecords reads the few it
        // checks from the record itself; camel-kafka is also spared a decoding and a header-map insert per header of
        // every record.
        DefaultHeaderFilterStrategy noRecordHeaders = new DefaultHeaderFilterStrategy();
        noRecordHeaders.setInFilterPattern(".*");
        context.getRegistry().bind("noRecordHeaders", noRecordHeaders);
        int maxRecord = Math.toIntExact(Settings.wholeNumber(context, Key.COLLECT_MAX_RECORD));
        context.getRegistry().bind("fleetRecords", new FleetRecords(
                host -> Settings.given(context, Key.COLLECT_HOST_KEY.named(host)),
                Settings.duration(context, Key.COLLECT_MAX_AGE), maxRecord,
                Settings.wholeNumber(context, Key.COLLECT_QUARANTINE_MAX),
                Settings.duration(context, Key.COLLECT_SILENCE),
                Settings.duration(context, Key.COLLECT_ORPHAN_AGE),
                Settings.duration(context, Key.HISTORY_KEEP),
                new SealHistory(Settings.duration(context, Key.COLLECT_SEAL_TOLERANCE),
                        (int) Settings.wholeNumber(context, Key.COLLECT_SEALS_PER_HOUR)),
                new StoreShares(Sizes.bytes(Settings.value(context, Key.COLLECT_HOST_MAX_BYTES))),
                Settings.value(context, Key.HOST), clock));
        GuardedKafkaClients kafkaClients =
                new GuardedKafkaClients(Path.of(Settings.value(context, Key.DATABASE)), maxRecord);
        context.getRegistry().bind("guardedKafkaClients", kafkaClients);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                fleet.close();
                kafkaClients.stopped();
            }
        });
        // fleet-start starts the consumers' routes; a route started while the context is still starting is
        // silently left stopped by Camel, so fleet-start itself starts only once the context has.
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
                started.getRouteController().startRoute(FLEET_START_ROUTE);
            }
        });
    }
}

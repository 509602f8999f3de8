package dev.vigil.camel;

import dev.vigil.alert.Backoff;
import dev.vigil.alert.Report;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import dev.vigil.store.Outbox;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Binds the beans the YAML routes call ({@code database}, {@code events}, {@code reports}, {@code outbox}) and
 * refuses to start on a {@code vigil.*} key it does not know, naming it: a misspelt key would otherwise be
 * silently ignored.
 */
public final class DaemonConfiguration implements CamelConfiguration {

    public static final String DATABASE = "database";

    /** Every {@code vigil.*} key the daemon reads. */
    static final List<Pattern> KNOWN_KEYS = List.of(
            Pattern.compile("vigil\\.(home|host|database)"),
            Pattern.compile("vigil\\.alerts\\.(file|dir|name|retry\\.(initial|max|maxage))"),
            Pattern.compile("vigil\\.files\\.(areas|excludes|noinode|notime|critical|hash|threads|onefilesystem|paranoid)"),
            Pattern.compile("vigil\\.files\\.scan\\.interval"),
            Pattern.compile("vigil\\.files\\.watch\\.(enabled|mode|events|queue|debounce|debouncemax|attribution)"),
            Pattern.compile("vigil\\.files\\.trickle\\.(enabled|byterate|filerate|smallfiles|speedup|decay)"),
            Pattern.compile("vigil\\.pids\\.(files|interval|require)"),
            // Named by PID file: its name without .pid, or its full path, which has dots of its own.
            Pattern.compile("vigil\\.pids\\.expect\\..+\\.exe"),
            Pattern.compile("vigil\\.pids\\.container\\..+\\.root"),
            Pattern.compile("vigil\\.report\\.[a-z]+\\.(reporttime|reportholdoff)"));

    private final InstantSource clock;

    public DaemonConfiguration() {
        this(InstantSource.system());
    }

    /** With a controllable clock, for tests of pooling and holdoff. */
    public DaemonConfiguration(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        rejectUnknownKeys(context.getPropertiesComponent().loadProperties());
        Database db = Database.open(Path.of(context.resolvePropertyPlaceholders("{{vigil.database}}")));
        context.getRegistry().bind(DATABASE, db);
        context.getRegistry().bind("events", new EventLog(db));
        Backoff backoff = new Backoff(duration(context, "vigil.alerts.retry.initial", "5s"),
                duration(context, "vigil.alerts.retry.max", "10m"), duration(context, "vigil.alerts.retry.maxage", "24h"),
                new Random());
        OutboxDispatcher outbox = new OutboxDispatcher(context, new Outbox(db), backoff, clock);
        context.getRegistry().bind("outbox", outbox);
        ReportPipeline reports = new ReportPipeline(context, clock);
        context.getRegistry().bind("reports", reports);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                for (Report pooled : reports.flush()) {
                    outbox.enqueue(pooled);
                }
            }
        });
    }

    static void rejectUnknownKeys(Properties properties) {
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("vigil.") && KNOWN_KEYS.stream().noneMatch(p -> p.matcher(key).matches())) {
                throw new IllegalArgumentException("unknown configuration key '" + key + "' (known keys are listed, "
                        + "with their defaults, in config/vigil.properties)");
            }
        }
    }

    private static Duration duration(CamelContext context, String key, String defaultValue) {
        String text = context.getPropertiesComponent().resolveProperty(key).orElse(defaultValue).strip();
        return Duration.ofMillis(org.apache.camel.util.TimeUtils.toMilliSeconds(text));
    }
}

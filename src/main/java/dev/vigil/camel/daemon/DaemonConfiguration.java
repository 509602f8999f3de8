package dev.vigil.camel.daemon;

import dev.vigil.camel.Beans;

import dev.vigil.camel.channel.Channels;
import dev.vigil.camel.channel.HttpDelivery;
import dev.vigil.camel.channel.MailDelivery;
import dev.vigil.camel.channel.OutboxDispatcher;
import dev.vigil.camel.channel.PeerCheckingTls;
import dev.vigil.camel.channel.SyslogDelivery;

import dev.vigil.alert.Backoff;
import dev.vigil.alert.Secrets;
import dev.vigil.alert.Severity;
import dev.vigil.alert.SyslogRenderer;
import dev.vigil.alert.TextRenderer;
import dev.vigil.store.AlertFile;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import dev.vigil.store.HistoryRetention;
import dev.vigil.store.Outbox;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.camel.support.service.ServiceSupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Binds the beans the YAML routes call ({@code database}, {@code events}, {@code alertFile}, {@code history}, {@code reports},
 * {@code outbox}, and for the channels {@code textRenderer}, {@code httpDelivery}, {@code mailDelivery}, and per
 * receiver, named after the prefix of its keys that its channel template instance is given,
 * {@code mailAuthenticator-vigil.email}, {@code mailTls-vigil.email}, {@code syslogMessages-vigil.syslog},
 * {@code syslogTls-vigil.syslog}, and the same for each {@code vigil.email.NAME.to} and
 * {@code vigil.syslog.NAME.target} set) and refuses to start on a {@code vigil.*} key it does not know, naming it:
 * a misspelt key would otherwise be silently ignored; likewise on a duration or number key whose value is not one.
 */
public final class DaemonConfiguration implements CamelConfiguration {

    public static final String DATABASE = "database";
    public static final String OUTBOX = "outbox";
    public static final String SECRETS = "secrets";

    /** Every {@code vigil.*} key the daemon reads. */
    static final List<Pattern> KNOWN_KEYS = List.of(
            Pattern.compile("vigil\\.(home|host|database)"),
            Pattern.compile("vigil\\.history\\.(keep|maxrows)"),
            Pattern.compile("vigil\\.alerts\\.(file|dir|name|retry\\.(initial|max|maxage))"),
            Pattern.compile("vigil\\.files\\.(areas|excludes|noinode|notime|critical|hash|threads|onefilesystem|paranoid)"),
            Pattern.compile("vigil\\.files\\.scan\\.(interval|cron)"),
            Pattern.compile("vigil\\.files\\.watch\\.(enabled|mode|events|queue|debounce|debouncemax|attribution)"),
            Pattern.compile("vigil\\.files\\.trickle\\.(enabled|byterate|filerate|smallfiles|speedup|decay)"),
            Pattern.compile("vigil\\.pids\\.(files|interval|require)"),
            // Named by PID file: its name without .pid, or its full path, which has dots of its own.
            Pattern.compile("vigil\\.pids\\.expect\\..+\\.exe"),
            Pattern.compile("vigil\\.pids\\.container\\..+\\.root"),
            Pattern.compile("vigil\\.logs\\.(files|rules|level|local|crackingignore|rulesfreshness|interval|rotationalert|maxline)"),
            dev.vigil.logcheck.LogGroup.GROUP_KEY,
            Pattern.compile("vigil\\.report\\.[a-z]+\\.(reporttime|reportholdoff)"),
            Pattern.compile("vigil\\.email(\\.[a-z0-9_-]+)?\\.(to|from|smtp|username|password|starttls|truststore(\\.password)?)"),
            Pattern.compile("vigil\\.slack(\\.[a-z0-9_-]+)?\\.webhook"),
            Pattern.compile("vigil\\.webhook(\\.[a-z0-9_-]+)?\\.(url|secret)"),
            Pattern.compile("vigil\\.syslog(\\.[a-z0-9_-]+)?\\.(target|format|facility|transport|tls|framing|truststore(\\.password)?)"),
            Pattern.compile("vigil\\.syslog(\\.[a-z0-9_-]+)?\\.severity\\.(info|notice|warning|critical)"));

    /**
     * The keys whose values are durations or numbers, checked at start: a value Camel cannot parse as a duration
     * it reads as 0 (a check run back to back), and a number the route cannot take fails naming only the
     * endpoint option.
     */
    static final List<String> DURATION_KEYS = List.of("vigil.history.keep", "vigil.alerts.retry.initial",
            "vigil.alerts.retry.max", "vigil.alerts.retry.maxage", "vigil.files.scan.interval",
            "vigil.files.watch.debounce", "vigil.files.watch.debouncemax", "vigil.pids.interval", "vigil.logs.interval");
    static final List<String> WHOLE_NUMBER_KEYS = List.of("vigil.files.threads", "vigil.files.watch.queue",
            "vigil.files.trickle.byterate", "vigil.files.trickle.smallfiles", "vigil.logs.rulesfreshness");
    static final List<String> DECIMAL_KEYS = List.of("vigil.files.trickle.filerate", "vigil.files.trickle.speedup",
            "vigil.files.trickle.decay");

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
        Properties properties = context.getPropertiesComponent().loadProperties();
        rejectUnknownKeys(properties);
        rejectMalformedValues(context);
        Secrets secrets = Secrets.of(resolved(context, properties));
        context.getRegistry().bind(SECRETS, secrets);
        Database db = Database.open(Path.of(context.resolvePropertyPlaceholders("{{vigil.database}}")));
        db.verify(); // a damaged database would have every check compare against what is left of the baseline
        context.getRegistry().bind(DATABASE, db);
        // Every store operation opens and closes its own connection; when the last one closes, SQLite checkpoints
        // the WAL into the database and deletes it, with fsyncs, on every single write (about 25 ms each here).
        // One idle connection held while the daemon runs keeps the WAL, and makes a write a few milliseconds.
        Connection keepWal = db.connect();
        EventLog events = new EventLog(db);
        context.getRegistry().bind("events", events);
        context.getRegistry().bind("alertFile", new AlertFile(Path.of(context.resolvePropertyPlaceholders("{{vigil.alerts.dir}}"),
                context.resolvePropertyPlaceholders("{{vigil.alerts.name}}"))));
        context.getRegistry().bind("history", new HistoryRetention(db, duration(context, "vigil.history.keep", "90d"),
                Beans.historyMaxRows(context), clock));
        Backoff backoff = new Backoff(duration(context, "vigil.alerts.retry.initial", "5s"),
                duration(context, "vigil.alerts.retry.max", "10m"), duration(context, "vigil.alerts.retry.maxage", "24h"),
                new Random());
        Outbox stored = new Outbox(db);
        OutboxDispatcher outbox = new OutboxDispatcher(context, stored, backoff, clock, secrets);
        context.getRegistry().bind(OUTBOX, outbox);
        bindChannelBeans(context, properties);
        // The outbox retries, with backoff and after restarts; HttpClient's own retry would sleep through a
        // 429's Retry-After (minutes) inside one delivery, holding the channel's worker all that time.
        context.getComponent("http", HttpComponent.class).setAutomaticRetriesDisabled(true);
        context.getComponent("https", HttpComponent.class).setAutomaticRetriesDisabled(true);
        // Read before any source starts, so that only the last run's findings are pooled again.
        context.getRegistry().bind("reports", new ReportPipeline(context, clock, events.pooled(), stored.lastReports()));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                keepWal.close();
            }
        });
    }

    private static void bindChannelBeans(CamelContext context, Properties properties) {
        context.getRegistry().bind("textRenderer", new TextRenderer());
        context.getRegistry().bind("httpDelivery", new HttpDelivery());
        context.getRegistry().bind("mailDelivery", new MailDelivery());
        bindMailBeans(context, "vigil.email");
        for (String name : Channels.secondEmailReceivers(properties.stringPropertyNames())) {
            bindMailBeans(context, "vigil.email." + name);
        }
        bindSyslogBeans(context, "vigil.syslog");
        for (String name : Channels.secondSyslogReceivers(properties.stringPropertyNames())) {
            bindSyslogBeans(context, "vigil.syslog." + name);
        }
    }

    /**
     * The beans of a syslog receiver whose keys start with {@code prefix}, named "-" + prefix: its renderer and
     * framing ({@code syslogMessages-vigil.syslog}) and, with a target, its TLS ({@code syslogTls-vigil.syslog}).
     */
    private static void bindSyslogBeans(CamelContext context, String prefix) {
        String suffix = "-" + prefix;
        Map<Severity, Integer> severities = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            String name = property(context, prefix + ".severity." + s.name().toLowerCase(Locale.ROOT), "");
            if (!name.isBlank()) {
                severities.put(s, SyslogRenderer.severity(name));
            }
        }
        SyslogRenderer renderer = new SyslogRenderer(SyslogRenderer.Format.parse(property(context, prefix + ".format", "5424")),
                SyslogRenderer.facility(property(context, prefix + ".facility", "daemon")), severities, ZoneId.systemDefault());
        boolean octets = property(context, prefix + ".framing", "datagram").equals("octet-counting");
        context.getRegistry().bind("syslogMessages" + suffix, new SyslogDelivery(renderer, octets));
        String target = property(context, prefix + ".target", "");
        if (!target.isBlank()) {
            Channels.SyslogTarget t = Channels.SyslogTarget.parse(prefix + ".target", target);
            context.getRegistry().bind("syslogTls" + suffix, syslogTls(t, property(context, prefix + ".truststore", ""),
                    property(context, prefix + ".truststore.password", "")));
        }
    }

    /**
     * The beans of a mail receiver whose keys start with {@code prefix}, named "-" + prefix: its login
     * ({@code mailAuthenticator-vigil.email}) and its TLS trust ({@code mailTls-vigil.email}).
     */
    private static void bindMailBeans(CamelContext context, String prefix) {
        String suffix = "-" + prefix;
        context.getRegistry().bind("mailAuthenticator" + suffix, MailDelivery.authenticator(
                property(context, prefix + ".username", ""), property(context, prefix + ".password", "")));
        context.getRegistry().bind("mailTls" + suffix, trusting(new SSLContextParameters(),
                property(context, prefix + ".truststore", ""), property(context, prefix + ".truststore.password", "")));
    }

    /** TLS to the syslog server, checking its name against its certificate (see {@link PeerCheckingTls}). */
    private static SSLContextParameters syslogTls(Channels.SyslogTarget target, String truststore, String password) {
        return trusting(new PeerCheckingTls(target.host(), target.port()), truststore, password);
    }

    /**
     * TLS whose server certificate is checked against {@code truststore} (a PKCS12 or JKS file holding the CA of
     * a private PKI), or the JVM's trust store when that is empty.
     */
    private static SSLContextParameters trusting(SSLContextParameters tls, String truststore, String password) {
        if (!truststore.isBlank()) {
            KeyStoreParameters store = new KeyStoreParameters();
            store.setResource("file:" + truststore);
            store.setType("PKCS12");
            store.setPassword(password.isEmpty() ? null : password);
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setKeyStore(store);
            tls.setTrustManagers(trust);
        }
        return tls;
    }

    /** Every vigil.* key with {{env:...}} and other placeholders resolved, for finding the secret values. */
    private static Map<String, String> resolved(CamelContext context, Properties properties) {
        Map<String, String> out = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("vigil.")) {
                try {
                    out.put(key, property(context, key, ""));
                } catch (RuntimeException unresolvable) {
                    // an {{env:NAME}} that is not set: the route using it fails start-up naming it
                }
            }
        }
        return out;
    }

    private static String property(CamelContext context, String key, String defaultValue) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::strip).orElse(defaultValue);
    }

    public static void rejectUnknownKeys(Properties properties) {
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("vigil.") && KNOWN_KEYS.stream().noneMatch(p -> p.matcher(key).matches())) {
                throw new IllegalArgumentException("unknown configuration key '" + key + "' (known keys are listed, "
                        + "with their defaults, in config/vigil.properties)");
            }
        }
    }

    /** Refuses to start on a duration or number key whose value cannot be one, naming the key and the form. */
    static void rejectMalformedValues(CamelContext context) {
        for (String key : DURATION_KEYS) {
            String value = property(context, key, "");
            if (!value.isEmpty()) {
                duration(key, value);
            }
        }
        for (String key : WHOLE_NUMBER_KEYS) {
            String value = property(context, key, "");
            if (!value.isEmpty() && !value.matches("\\d{1,18}")) {
                throw new IllegalArgumentException(key + "=" + value + " is not a whole number (0 or more, e.g. 65536)");
            }
        }
        for (String key : DECIMAL_KEYS) {
            String value = property(context, key, "");
            if (!value.isEmpty() && !value.matches("\\d{1,18}(\\.\\d{1,18})?")) {
                throw new IllegalArgumentException(key + "=" + value + " is not a number (0 or more, e.g. 50 or 0.5)");
            }
        }
    }

    private static Duration duration(CamelContext context, String key, String defaultValue) {
        return duration(key, property(context, key, defaultValue));
    }

    private static Duration duration(String key, String value) {
        try {
            return Duration.ofMillis(Beans.intervalMillis(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a duration: write " + Beans.DURATION_FORM);
        }
    }
}

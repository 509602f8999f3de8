package dev.vigil.camel.daemon;

import dev.vigil.camel.Beans;
import dev.vigil.camel.FileAreas;
import dev.vigil.camel.Settings;
import dev.vigil.camel.SourceConsumer;
import dev.vigil.camel.fscan.FscanComponent;
import dev.vigil.camel.fswatch.FswatchComponent;
import dev.vigil.camel.http.LocalHttpServer;
import dev.vigil.camel.http.WebView;
import dev.vigil.camel.status.VigilMetrics;
import dev.vigil.camel.channel.AlertFileLines;
import dev.vigil.camel.channel.BoundedResponses;
import dev.vigil.camel.channel.Channels;
import dev.vigil.camel.channel.HttpDelivery;
import dev.vigil.camel.channel.KafkaDelivery;
import dev.vigil.camel.channel.MailDelivery;
import dev.vigil.camel.channel.OutboxDispatcher;
import dev.vigil.camel.channel.PeerCheckingTls;
import dev.vigil.camel.channel.SyslogDelivery;

import dev.vigil.alert.Backoff;
import dev.vigil.alert.EcsRenderer;
import dev.vigil.alert.Secrets;
import dev.vigil.alert.Severity;
import dev.vigil.alert.SyslogRenderer;
import dev.vigil.config.Key;
import dev.vigil.config.Sizes;
import dev.vigil.alert.TextRenderer;
import dev.vigil.alert.WebhookSigner;
import dev.vigil.store.AlertFile;
import dev.vigil.store.BaselineSeal;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import dev.vigil.store.HeartbeatSeal;
import dev.vigil.store.HistoryRetention;
import dev.vigil.store.Outbox;
import dev.vigil.store.SqliteBaseline;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.camel.support.service.ServiceSupport;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

/**
 * Binds the beans the YAML routes call ({@code database}, {@code events}, {@code alertFile}, {@code alertFileFormat}, {@code history}, {@code reports},
 * {@code outbox}, {@code baselineSeal}, {@code heartbeats}, and for the channels {@code textRenderer}, {@code httpDelivery},
 * {@code mailDelivery}, {@code kafkaDelivery}, and per
 * receiver, named after the prefix of its keys that its channel template instance is given,
 * {@code mailAuthenticator-vigil.email}, {@code mailTls-vigil.email}, {@code syslogMessages-vigil.syslog},
 * {@code syslogTls-vigil.syslog}, and the same for each {@code vigil.email.NAME.to} and
 * {@code vigil.syslog.NAME.target} set). The configuration it reads is already
 * validated (see {@link dev.vigil.config.Configuration}); a key the properties lack takes its default from
 * {@link Key}.
 */
public final class DaemonConfiguration implements CamelConfiguration {

    public static final String DATABASE = "database";
    static final String ALERT_FILE = "alertFile";
    static final String ALERT_FILE_FORMAT = "alertFileFormat";
    public static final String OUTBOX = "outbox";
    public static final String SECRETS = "secrets";
    /** The {@link BaselineSeal} bean: the seal of the baseline, for whoever reports it (a heartbeat). */
    public static final String BASELINE_SEAL = "baselineSeal";

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
        bindAlertPipeline(context, clock);
        FileAreas areas = FileAreas.fromConfiguration(context);
        context.getComponent("fscan", FscanComponent.class).setConfiguration(areas.copy());
        context.getComponent("fswatch", FswatchComponent.class).setConfiguration(areas.copy());
    }

    /**
     * The beans of routes/report.yaml and routes/channels.yaml over the SQLite database of {@code vigil.database}
     * (event history, outbox), which it opens and returns: what a daemon and the collector share.
     */
    public static Database bindAlertPipeline(CamelContext context, InstantSource clock) throws Exception {
        Properties properties = context.getPropertiesComponent().loadProperties();
        Secrets secrets = Secrets.of(resolved(context, properties));
        context.getRegistry().bind(SECRETS, secrets);
        Database db = Database.open(Path.of(Settings.value(context, Key.DATABASE)));
        db.verify(); // a damaged database would have every check compare against what is left of the baseline
        context.getRegistry().bind(DATABASE, db);
        EventLog events = new EventLog(db);
        context.getRegistry().bind("events", events);
        context.getRegistry().bind(BASELINE_SEAL, new BaselineSeal(db));
        context.getRegistry().bind(ALERT_FILE, new AlertFile(Path.of(Settings.value(context, Key.ALERTS_DIR),
                Settings.value(context, Key.ALERTS_NAME)), Sizes.bytes(Settings.value(context, Key.ALERTS_MAX_SIZE)),
                Integer.parseInt(Settings.value(context, Key.ALERTS_KEEP))));
        context.getRegistry().bind(ALERT_FILE_FORMAT, alertFileFormat(context));
        context.getRegistry().bind("history", new HistoryRetention(db, Settings.duration(context, Key.HISTORY_KEEP),
                Beans.historyMaxRows(context), () -> trickles(context), clock));
        Backoff backoff = new Backoff(Settings.duration(context, Key.RETRY_INITIAL),
                Settings.duration(context, Key.RETRY_MAX), Settings.duration(context, Key.RETRY_MAX_AGE), new Random());
        Outbox stored = new Outbox(db);
        stored.hashHosts();
        OutboxDispatcher outbox = new OutboxDispatcher(context, stored, backoff, clock, secrets,
                Integer.parseInt(Settings.value(context, Key.ALERTS_LANES)));
        context.getRegistry().bind(OUTBOX, outbox);
        bindChannelBeans(context, properties);
        String host = Settings.value(context, Key.HOST);
        WebhookSigner hostKey = new WebhookSigner(Settings.value(context, Key.KAFKA_KEY));
        context.getRegistry().bind("kafkaDelivery", new KafkaDelivery(host, hostKey));
        context.getRegistry().bind("heartbeats", new Heartbeats(context, host, hostKey, stored, new SqliteBaseline(db),
                new HeartbeatSeal(db)));
        // The outbox retries, with backoff and after restarts; HttpClient's own retry would sleep through a
        // 429's Retry-After (minutes) inside one delivery, holding the channel's worker all that time. A receiver's
        // cookies mean nothing to a channel: none is kept or sent back, which also spares each request the cookie
        // store's clean-up and HttpClient's cookie steps.
        for (String scheme : List.of("http", "https")) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            http.setAutomaticRetriesDisabled(true);
            http.setCookieManagementDisabled(true);
            http.setHttpClientConfigurer(new BoundedResponses());
        }
        context.getRegistry().bind("reports", new ReportPipeline(context, clock, events, stored.lastReports()));
        VigilMetrics.of(context); // and the status model it reads, which writes the status file
        if (LocalHttpServer.install(context)) {
            WebView.install(context);
        }
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                db.close();
            }
        });
        return db;
    }

    /** The trickles the routes run, started or not: the others' orders are deleted with the old history. */
    private static Set<String> trickles(CamelContext context) {
        Set<String> trickles = new HashSet<>();
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof SourceConsumer source) {
                trickles.addAll(source.trickles());
            }
        }
        return trickles;
    }

    /** The lines of a report in the alert file: Vigil's own JSON report, or one ECS event per finding. */
    private static AlertFileLines alertFileFormat(CamelContext context) {
        return Settings.value(context, Key.ALERTS_FORMAT).equalsIgnoreCase("ecs")
                ? AlertFileLines.ecs(new EcsRenderer(Settings.value(context, Key.FILES_HASH)))
                : AlertFileLines.json();
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
            String name = Settings.value(context, prefix + ".severity." + s.name().toLowerCase(Locale.ROOT));
            if (!name.isBlank()) {
                severities.put(s, SyslogRenderer.severity(name));
            }
        }
        SyslogRenderer renderer = new SyslogRenderer(
                SyslogRenderer.Format.parse(Settings.value(context, prefix + ".format")),
                SyslogRenderer.facility(Settings.value(context, prefix + ".facility")), severities,
                ZoneId.systemDefault());
        boolean octets = Settings.value(context, prefix + ".framing").equals(Channels.OCTET_COUNTING);
        context.getRegistry().bind("syslogMessages" + suffix, new SyslogDelivery(renderer, octets));
        String target = Settings.value(context, prefix + ".target");
        if (!target.isBlank()) {
            Channels.SyslogTarget t = Channels.SyslogTarget.parse(prefix + ".target", target);
            context.getRegistry().bind("syslogTls" + suffix, syslogTls(t,
                    Settings.value(context, prefix + ".truststore"),
                    Settings.value(context, prefix + ".truststore.password")));
        }
    }

    /**
     * The beans of a mail receiver whose keys start with {@code prefix}, named "-" + prefix: its login
     * ({@code mailAuthenticator-vigil.email}) and its TLS trust ({@code mailTls-vigil.email}).
     */
    private static void bindMailBeans(CamelContext context, String prefix) {
        String suffix = "-" + prefix;
        context.getRegistry().bind("mailAuthenticator" + suffix, MailDelivery.authenticator(
                Settings.value(context, prefix + ".username"), Settings.value(context, prefix + ".password")));
        context.getRegistry().bind("mailTls" + suffix, trusting(new SSLContextParameters(),
                Settings.value(context, prefix + ".truststore"),
                Settings.value(context, prefix + ".truststore.password")));
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
                    out.put(key, Settings.value(context, key));
                } catch (RuntimeException unresolvable) {
                    // an {{env:NAME}} that is not set: the route using it fails start-up naming it
                }
            }
        }
        return out;
    }
}

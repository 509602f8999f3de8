package dev.vigil.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.vigil.config.ValueType.bool;
import static dev.vigil.config.ValueType.code;
import static dev.vigil.config.ValueType.cron;
import static dev.vigil.config.ValueType.duration;
import static dev.vigil.config.ValueType.list;
import static dev.vigil.config.ValueType.listOf;
import static dev.vigil.config.ValueType.number;
import static dev.vigil.config.ValueType.oneOf;
import static dev.vigil.config.ValueType.size;
import static dev.vigil.config.ValueType.text;
import static dev.vigil.config.ValueType.uri;
import static dev.vigil.config.ValueType.wholeNumber;

/**
 * Every {@code vigil.*} key, one row each: its name (or pattern, a {@code <name>} segment standing for a name the
 * user picks), its default, what its value may be, whether it is secret, one line of documentation and the name
 * it had before a rename. The daemon's validation, {@code vigil config}, the masking of secrets and the built-in
 * defaults all come from here, and a test holds config/vigil.properties and the README to it; a new key is a
 * new row here plus its use. Names follow one convention: camelCase segments spelt as the endpoint option and
 * the Java field the key feeds ({@code vigil.files.noInode} feeds {@code noInode}).
 */
public enum Key {

    // General
    HOME("vigil.home", "", text(), "The install directory; relative paths are resolved against it (set by the launcher)",
            Trait.INTERNAL),
    VERSION("vigil.version", "", text(), "Vigil's version, for the daemon's status (set by vigil run)", Trait.INTERNAL),
    CONFIG_FILE("vigil.configFile", "", text(), "The install's config file; empty: config/vigil.properties in vigil.home"
            + " (the launcher of an installed Vigil sets /etc/vigil/vigil.properties)", Trait.INTERNAL),
    HOST("vigil.host", "", text(), "Host name put on every finding and report; empty: this machine's name"),
    DATABASE("vigil.database", "data/vigil.db", text(), "SQLite database: baseline, event history, outbox"),
    HISTORY_KEEP("vigil.history.keep", "90d", duration(), "How long the event history, delivered reports and scan runs are kept"),
    HISTORY_MAX_ROWS("vigil.history.maxRows", "1000000", wholeNumber(1, Long.MAX_VALUE),
            "The most raw watcher events kept, the newest", renamed("vigil.history.maxrows")),

    // Files
    FILES_AREAS("vigil.files.areas", "", list("paths"), "Trees to keep a baseline of; empty: chosen by the user Vigil runs as"),
    FILES_EXCLUDES("vigil.files.excludes", "*.pyc,/etc/ld.so.cache,/etc/mtab,/etc/adjtime,/root/.bash_history,"
            + "/root/.lesshst,/root/.viminfo,/root/.cache,/root/.local/share", list("globs"), "Globs to leave out"),
    FILES_NO_INODE("vigil.files.noInode", "", list("paths"), "Paths whose inode number is not compared",
            renamed("vigil.files.noinode")),
    FILES_NO_TIME("vigil.files.noTime", "", list("paths"), "Paths whose mtime and ctime are not compared",
            renamed("vigil.files.notime")),
    FILES_GROWING("vigil.files.growing", "", list("paths"),
            "Paths whose files may only grow (log files): a larger size with the old part unchanged is not a deviation"),
    FILES_CRITICAL("vigil.files.critical", "/etc/passwd,/etc/shadow,/etc/sudoers,/etc/sudoers.d/**,/etc/ssh/sshd_config",
            list("globs"), "Path globs whose findings are critical: reported at once"),
    FILES_HASH("vigil.files.hash", "sha256", oneOf("sha256", "sha512", "sha3-256"), "Content hash"),
    FILES_THREADS("vigil.files.threads", "", wholeNumber(1, 1024), "Worker threads for scans; empty: every processor"),
    FILES_ONE_FILESYSTEM("vigil.files.oneFilesystem", "false", bool(), "true: do not descend into other file systems",
            renamed("vigil.files.onefilesystem")),
    FILES_SCAN_INTERVAL("vigil.files.scan.interval", "10m", duration(), "Time between the daemon's full checks"),
    FILES_SCAN_CRON("vigil.files.scan.cron", "", cron(), "A cron schedule for the full check, replacing the interval"),
    FILES_PARANOID("vigil.files.paranoid", "false", bool(), "true: the full check re-hashes every file"),
    TRICKLE_ENABLED("vigil.files.trickle.enabled", "true", bool(), "true: check the areas continuously, gently (the trickle)"),
    TRICKLE_BYTE_RATE("vigil.files.trickle.byteRate", "262144", wholeNumber(1, Long.MAX_VALUE),
            "Most bytes the trickles read per second", renamed("vigil.files.trickle.byterate")),
    TRICKLE_FILE_RATE("vigil.files.trickle.fileRate", "50", number(0), "Most entries the trickles check per second",
            renamed("vigil.files.trickle.filerate")),
    TRICKLE_SMALL_FILES("vigil.files.trickle.smallFiles", "65536", wholeNumber(0, Long.MAX_VALUE),
            "Files smaller than this many bytes are read in one go", renamed("vigil.files.trickle.smallfiles")),
    TRICKLE_SPEEDUP("vigil.files.trickle.speedup", "10", number(1), "How many times faster the trickle goes after a change"),
    TRICKLE_SPEEDUP_HALF_LIFE("vigil.files.trickle.speedupHalfLife", "60", number(0),
            "Seconds in which the extra speed halves", renamed("vigil.files.trickle.decay")),
    WATCH_ENABLED("vigil.files.watch.enabled", "true", bool(), "true: watch the areas as changes happen"),
    WATCH_MODE("vigil.files.watch.mode", "auto", oneOf("auto", "fanotify", "inotify"), "The kernel interface of the watch"),
    WATCH_DEBOUNCE("vigil.files.watch.debounce", "50ms", duration(), "A path is verified once it has had no event for this long"),
    WATCH_DEBOUNCE_MAX("vigil.files.watch.debounceMax", "1s", duration(), "A path is verified at the latest this long after its first event",
            renamed("vigil.files.watch.debouncemax")),
    WATCH_QUEUE_SIZE("vigil.files.watch.queueSize", "131072", wholeNumber(1, Integer.MAX_VALUE),
            "Events queued between the kernel reader and the verifier", renamed("vigil.files.watch.queue")),
    WATCH_EVENTS("vigil.files.watch.events", "", listOf("MODIFY", "OPEN_EXEC", "ACCESS"), "Optional event kinds to watch and keep"),
    WATCH_ATTRIBUTION("vigil.files.watch.attribution", "true", bool(), "true: follow processes so every change names its writer"),

    // PID files and processes
    PIDS_FILES("vigil.pids.files", "", list("PID files, directories and globs"), "PID files to check"),
    PIDS_INTERVAL("vigil.pids.interval", "30s", duration(), "Time between PID checks"),
    PIDS_REQUIRE("vigil.pids.require", "", list("command names"), "Command names that must always have a running process"),
    PIDS_EXPECT_EXE("vigil.pids.expect.<file>.exe", "", text(), "The executable the process of a PID file must run"),
    PIDS_CONTAINER_ROOT("vigil.pids.container.<container>.root", "", text(), "A container's root directory, for its PID files"),

    // Logs
    LOGS_FILES("vigil.logs.files", "/var/log/syslog,/var/log/auth.log", list("paths"), "Log files to follow"),
    LOGS_RULES("vigil.logs.rules", "logrules", text(), "The base logcheck rule tree"),
    LOGS_LEVEL("vigil.logs.level", "server", oneOf("paranoid", "server", "workstation"), "The base tree's level"),
    LOGS_LOCAL("vigil.logs.local", "", list("DIR or DIR:LEVEL"), "Local rule trees layered over the base"),
    LOGS_CRACKING_IGNORE("vigil.logs.crackingIgnore", "false", bool(), "true: cracking.ignore.d filters Security Alerts",
            renamed("vigil.logs.crackingignore")),
    LOGS_RULES_FRESHNESS("vigil.logs.rulesFreshness", "60", wholeNumber(0, Integer.MAX_VALUE),
            "Seconds a loaded rule tree is trusted before its files are looked at again", renamed("vigil.logs.rulesfreshness")),
    LOGS_INTERVAL("vigil.logs.interval", "1s", duration(), "Time between polls of the log files"),
    LOGS_ROTATION_ALERT("vigil.logs.rotationAlert", "false", bool(), "true: a rotated log is reported too",
            renamed("vigil.logs.rotationalert")),
    LOGS_MAX_LINE("vigil.logs.maxLine", "65536", wholeNumber(1024, Integer.MAX_VALUE),
            "The longest log line, in bytes, classified and reported whole", renamed("vigil.logs.maxline")),
    LOG_GROUP_FILES("vigil.logs.group.<group>.files", "", list("paths"), "A further log group's files"),
    LOG_GROUP_RULES("vigil.logs.group.<group>.rules", "", text(), "A log group's base rule tree; empty: vigil.logs.rules"),
    LOG_GROUP_LEVEL("vigil.logs.group.<group>.level", "", oneOf("paranoid", "server", "workstation"),
            "A log group's level; empty: vigil.logs.level"),
    LOG_GROUP_LOCAL("vigil.logs.group.<group>.local", "", list("DIR or DIR:LEVEL"), "A log group's local rule trees"),

    // Alerts
    ALERTS_FILE("vigil.alerts.file", "data/alerts.ndjson", text(), "Every report, one JSON object per line"),
    ALERTS_FORMAT("vigil.alerts.format", "vigil", oneOf("vigil", "ecs"),
            "The alert file's format: vigil (one report a line) or ecs (Elastic Common Schema, one event a finding)"),
    ALERTS_MAX_SIZE("vigil.alerts.maxSize", "10MB", size(),
            "Size past which the alert file is rotated to FILE.1, FILE.2 ...; 0: never rotated"),
    ALERTS_KEEP("vigil.alerts.keep", "5", wholeNumber(1, 1000), "How many rotated alert files are kept"),
    ALERTS_DIR("vigil.alerts.dir", "", text(), "The directory of vigil.alerts.file, for the file channel", Trait.INTERNAL),
    ALERTS_NAME("vigil.alerts.name", "", text(), "The file name of vigil.alerts.file, for the file channel", Trait.INTERNAL),
    ALERTS_LANES("vigil.alerts.lanes", "4", wholeNumber(1, 64),
            "Reports of different hosts a channel sends at once, each host's in order; 1: one report at a time"),
    RETRY_INITIAL("vigil.alerts.retry.initial", "5s", duration(), "First wait before a failed delivery is retried"),
    RETRY_MAX("vigil.alerts.retry.max", "10m", duration(), "Longest wait between retries"),
    RETRY_MAX_AGE("vigil.alerts.retry.maxAge", "24h", duration(), "Age after which a report is given up for a channel",
            renamed("vigil.alerts.retry.maxage")),

    // Email
    EMAIL_TO("vigil.email.to", "", list("addresses"), "Mail recipients; set, it turns the email channel on"),
    EMAIL_FROM("vigil.email.from", "vigil@localhost", text(), "Mail sender"),
    EMAIL_SMTP("vigil.email.smtp", "smtp://localhost:25", uri("smtp", "smtps"), "The mail server", Trait.URL_CREDENTIALS),
    EMAIL_USERNAME("vigil.email.username", "", text(), "SMTP login; empty: none"),
    EMAIL_PASSWORD("vigil.email.password", "", text(), "SMTP password", Trait.SECRET),
    EMAIL_STARTTLS("vigil.email.starttls", "false", bool(), "true: require STARTTLS on smtp://"),
    EMAIL_TRUSTSTORE("vigil.email.truststore", "", text(), "Trust store for the mail server's certificate; empty: the JVM's"),
    EMAIL_TRUSTSTORE_PASSWORD("vigil.email.truststore.password", "", text(), "Its password", Trait.SECRET),
    EMAIL_MAX_BYTES("vigil.email.maxBytes", "9MB", size(1 << 20, Integer.MAX_VALUE),
            "The most bytes of one mail, encoded; a larger report's mail lists fewer findings and counts the rest"),
    NAMED_EMAIL_TO("vigil.email.<name>.to", "", list("addresses"), "A second mail receiver's recipients (route channel-email-NAME)"),
    NAMED_EMAIL_FROM("vigil.email.<name>.from", "vigil@localhost", text(), "Its sender"),
    NAMED_EMAIL_SMTP("vigil.email.<name>.smtp", "smtp://localhost:25", uri("smtp", "smtps"), "Its mail server",
            Trait.URL_CREDENTIALS),
    NAMED_EMAIL_USERNAME("vigil.email.<name>.username", "", text(), "Its SMTP login"),
    NAMED_EMAIL_PASSWORD("vigil.email.<name>.password", "", text(), "Its SMTP password", Trait.SECRET),
    NAMED_EMAIL_STARTTLS("vigil.email.<name>.starttls", "false", bool(), "true: it requires STARTTLS"),
    NAMED_EMAIL_TRUSTSTORE("vigil.email.<name>.truststore", "", text(), "Its trust store"),
    NAMED_EMAIL_TRUSTSTORE_PASSWORD("vigil.email.<name>.truststore.password", "", text(), "Its trust store's password",
            Trait.SECRET),
    NAMED_EMAIL_MAX_BYTES("vigil.email.<name>.maxBytes", "9MB", size(1 << 20, Integer.MAX_VALUE),
            "Its most bytes of one mail, encoded"),

    // Slack and webhooks
    SLACK_WEBHOOK("vigil.slack.webhook", "", text(), "Slack's incoming-webhook URL; set, it turns the slack channel on",
            Trait.SECRET_PATH),
    NAMED_SLACK_WEBHOOK("vigil.slack.<name>.webhook", "", text(), "A second Slack webhook URL", Trait.SECRET_PATH),
    WEBHOOK_URL("vigil.webhook.url", "", text(), "URL the report JSON is POSTed to; set, it turns the webhook channel on",
            Trait.URL_CREDENTIALS),
    WEBHOOK_SECRET("vigil.webhook.secret", "", text(), "HMAC-SHA256 key signing each webhook request", Trait.SECRET),
    NAMED_WEBHOOK_URL("vigil.webhook.<name>.url", "", text(), "A second webhook's URL (route channel-webhook-NAME)",
            Trait.URL_CREDENTIALS),
    NAMED_WEBHOOK_SECRET("vigil.webhook.<name>.secret", "", text(), "Its signing key", Trait.SECRET),
    WEBHOOK_MAX_BYTES("vigil.webhook.maxBytes", "1MB", size(64 << 10, Integer.MAX_VALUE),
            "The most bytes of report JSON in one request; a larger report goes as parts, a request each"),
    NAMED_WEBHOOK_MAX_BYTES("vigil.webhook.<name>.maxBytes", "1MB", size(64 << 10, Integer.MAX_VALUE),
            "Its most bytes of report JSON in one request"),
    SLACK_ADDRESS("vigil.slack.address", "", text(), "vigil.slack.webhook without its query, for the slack route",
            Trait.INTERNAL),
    SLACK_QUERY("vigil.slack.query", "", text(), "The query of vigil.slack.webhook, sent as written", Trait.INTERNAL),
    NAMED_SLACK_ADDRESS("vigil.slack.<name>.address", "", text(), "As vigil.slack.address, for a copy", Trait.INTERNAL),
    NAMED_SLACK_QUERY("vigil.slack.<name>.query", "", text(), "As vigil.slack.query, for a copy", Trait.INTERNAL),
    WEBHOOK_ADDRESS("vigil.webhook.address", "", text(), "vigil.webhook.url without its query, for the webhook route",
            Trait.INTERNAL),
    WEBHOOK_QUERY("vigil.webhook.query", "", text(), "The query of vigil.webhook.url, sent as written", Trait.INTERNAL),
    NAMED_WEBHOOK_ADDRESS("vigil.webhook.<name>.address", "", text(), "As vigil.webhook.address, for a copy",
            Trait.INTERNAL),
    NAMED_WEBHOOK_QUERY("vigil.webhook.<name>.query", "", text(), "As vigil.webhook.query, for a copy", Trait.INTERNAL),

    // Syslog
    SYSLOG_TARGET("vigil.syslog.target", "", uri("udp", "tcp", "tls"), "The syslog server; set, it turns the syslog channel on"),
    SYSLOG_TRUSTSTORE("vigil.syslog.truststore", "", text(), "Trust store for a tls:// server's certificate; empty: the JVM's"),
    SYSLOG_TRUSTSTORE_PASSWORD("vigil.syslog.truststore.password", "", text(), "Its password", Trait.SECRET),
    SYSLOG_FORMAT("vigil.syslog.format", "5424", oneOf("5424", "3164"), "RFC 5424 or the old BSD format (3164)"),
    SYSLOG_FACILITY("vigil.syslog.facility", "daemon", code(SyslogCodes.FACILITIES, Map.of()), "Syslog facility"),
    SYSLOG_SEVERITY("vigil.syslog.severity.<severity>", "", code(SyslogCodes.SEVERITIES, SyslogCodes.SEVERITY_ALIASES),
            "Syslog severity of a Vigil severity (critical, warning, notice, info)"),
    NAMED_SYSLOG_TARGET("vigil.syslog.<name>.target", "", uri("udp", "tcp", "tls"),
            "A second syslog receiver (route channel-syslog-NAME)"),
    NAMED_SYSLOG_TRUSTSTORE("vigil.syslog.<name>.truststore", "", text(), "Its trust store"),
    NAMED_SYSLOG_TRUSTSTORE_PASSWORD("vigil.syslog.<name>.truststore.password", "", text(), "Its trust store's password",
            Trait.SECRET),
    NAMED_SYSLOG_FORMAT("vigil.syslog.<name>.format", "5424", oneOf("5424", "3164"), "Its format"),
    NAMED_SYSLOG_FACILITY("vigil.syslog.<name>.facility", "daemon", code(SyslogCodes.FACILITIES, Map.of()), "Its facility"),
    NAMED_SYSLOG_SEVERITY("vigil.syslog.<name>.severity.<severity>", "",
            code(SyslogCodes.SEVERITIES, SyslogCodes.SEVERITY_ALIASES), "Its severity of a Vigil severity"),
    SYSLOG_TRANSPORT("vigil.syslog.transport", "", text(), "Netty's address, from vigil.syslog.target", Trait.INTERNAL),
    SYSLOG_TLS("vigil.syslog.tls", "", text(), "Whether Netty uses TLS, from vigil.syslog.target", Trait.INTERNAL),
    SYSLOG_FRAMING("vigil.syslog.framing", "", text(), "Datagrams or octet counting, from vigil.syslog.target", Trait.INTERNAL),
    NAMED_SYSLOG_TRANSPORT("vigil.syslog.<name>.transport", "", text(), "As vigil.syslog.transport, for a copy", Trait.INTERNAL),
    NAMED_SYSLOG_TLS("vigil.syslog.<name>.tls", "", text(), "As vigil.syslog.tls, for a copy", Trait.INTERNAL),
    NAMED_SYSLOG_FRAMING("vigil.syslog.<name>.framing", "", text(), "As vigil.syslog.framing, for a copy", Trait.INTERNAL),

    // The collector (vigil collect)
    COLLECT_BROKERS("vigil.collect.brokers", "localhost:9092", text(), "The Kafka brokers the collector reads from, host:port comma-separated"),
    COLLECT_TOPIC("vigil.collect.topic", "vigil.reports", text(), "The topic of the hosts' reports"),
    COLLECT_HEARTBEAT_TOPIC("vigil.collect.heartbeatTopic", "vigil.heartbeats", text(), "The compacted topic of the hosts' heartbeats"),
    COLLECT_GROUP("vigil.collect.group", "vigil-collect", text(), "The consumer group of the collectors; a second collector in it shares the partitions"),
    COLLECT_HOST_KEY("vigil.collect.hostKey.<host>", "", text(), "A host's signing key (its vigil.kafka key); a record of a host without one is quarantined",
            Trait.SECRET),
    COLLECT_JDBC_URL("vigil.collect.jdbc.url", "data/fleet.db", text(),
            "The fleet store: a SQLite file, or a jdbc:postgresql:// URL"),
    COLLECT_JDBC_USERNAME("vigil.collect.jdbc.username", "", text(), "The PostgreSQL login; empty: the URL's"),
    COLLECT_JDBC_PASSWORD("vigil.collect.jdbc.password", "", text(), "Its password", Trait.SECRET),
    COLLECT_DATABASE("vigil.collect.database", "data/collect.db", text(),
            "The collector's own SQLite database: the event history and outbox of the reports it sends"),
    COLLECT_SILENCE("vigil.collect.silence", "5m", duration(), "A host without a heartbeat for this long is HOST_SILENT"),
    COLLECT_ORPHAN_AGE("vigil.collect.orphanAge", "2m", duration(),
            "How long findings a collector stored are left to it to forward; older and not forwarded, any collector forwards them"),
    COLLECT_SEAL_TOLERANCE("vigil.collect.sealTolerance", "10m", duration(),
            "How long after a heartbeat shows a new seal its ACCEPTED report may come before it is BASELINE_TAMPERED"),
    COLLECT_SEALS_PER_HOUR("vigil.collect.sealsPerHour", "60", wholeNumber(1, Integer.MAX_VALUE),
            "How many new seals of a host's baseline its heartbeats show in an hour that are judged; a later one waits for the next hour, judged then as a change from the last"),
    COLLECT_MAX_AGE("vigil.collect.maxAge", "7d", duration(),
            "The oldest signature timestamp accepted (a backlog read after an outage is old; Kafka keeps 7 days by default)"),
    COLLECT_MAX_RECORD("vigil.collect.maxRecord", "1048576", wholeNumber(1024, Integer.MAX_VALUE),
            "The largest record, in bytes, the collector parses; a larger one is quarantined"),
    COLLECT_QUARANTINE_MAX("vigil.collect.quarantineMax", "10000", wholeNumber(0, Integer.MAX_VALUE),
            "How many records the quarantine keeps; beyond, failed records are counted per partition and hour, not kept"),
    COLLECT_HOST_MAX_BYTES("vigil.collect.hostMaxBytes", "2GB", size(),
            "Most bytes of one host's findings (their JSON) the fleet store keeps; a report beyond is quarantined, not stored"),
    // Fleet: the agent's Kafka channel and heartbeats
    KAFKA_BROKERS("vigil.kafka.brokers", "", list("host:port"),
            "Kafka brokers to publish reports and heartbeats to; set, it turns the kafka channel on"),
    KAFKA_TOPIC("vigil.kafka.topic", "vigil.reports", text(), "Topic of the reports"),
    KAFKA_KEY("vigil.kafka.key", "", text(), "This host's HMAC-SHA256 key signing every record", Trait.SECRET),
    KAFKA_HEARTBEAT("vigil.kafka.heartbeat", "60s", duration(), "Time between two heartbeats"),
    KAFKA_HEARTBEAT_TOPIC("vigil.kafka.heartbeatTopic", "vigil.heartbeats", text(), "Compacted topic of the heartbeats"),
    KAFKA_SECURITY_PROTOCOL("vigil.kafka.securityProtocol", "PLAINTEXT",
            oneOf("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"), "How the client talks to the brokers"),
    KAFKA_SASL_MECHANISM("vigil.kafka.saslMechanism", "GSSAPI",
            oneOf("GSSAPI", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"), "SASL mechanism (SASL_* protocols), as written here"),
    KAFKA_SASL_JAAS_CONFIG("vigil.kafka.saslJaasConfig", "", text(), "The client's JAAS login line (SASL_* protocols)",
            Trait.SECRET),
    KAFKA_SSL_TRUSTSTORE_LOCATION("vigil.kafka.sslTruststoreLocation", "", text(),
            "Trust store for the brokers' certificates; empty: the JVM's"),
    KAFKA_SSL_TRUSTSTORE_PASSWORD("vigil.kafka.sslTruststorePassword", "", text(), "Its password", Trait.SECRET),
    KAFKA_SSL_KEYSTORE_LOCATION("vigil.kafka.sslKeystoreLocation", "", text(), "Key store with this host's client certificate"),
    KAFKA_SSL_KEYSTORE_PASSWORD("vigil.kafka.sslKeystorePassword", "", text(), "Its password", Trait.SECRET),
    KAFKA_SSL_KEY_PASSWORD("vigil.kafka.sslKeyPassword", "", text(), "The password of the key in it", Trait.SECRET),

    // Pooling and holdoff
    REPORT_TIME("vigil.report.<source>.reportTime", "30", wholeNumber(0, Integer.MAX_VALUE),
            "Seconds a source's report collects findings from the first one", renamed("vigil.report.<source>.reporttime"),
            byName(Map.of("files", "15", "logs", "30", "pids", "30"))),
    REPORT_HOLDOFF("vigil.report.<source>.reportHoldoff", "120", wholeNumber(0, Integer.MAX_VALUE),
            "Least seconds between two reports of a source", renamed("vigil.report.<source>.reportholdoff"),
            byName(Map.of("files", "300", "logs", "120", "pids", "120"))),
    REPORT_MAX_FINDINGS("vigil.report.<source>.maxFindings", "10000", wholeNumber(1, Integer.MAX_VALUE),
            "Most findings one report of a source lists; the rest of its window are counted in a last UNLISTED finding",
            byName(Map.of("files", "10000", "logs", "2000", "pids", "1000"))),
    REPORT_TOTAL_MAX_CHARS("vigil.report.totalMaxChars", "134217728", wholeNumber(1, Long.MAX_VALUE),
            "Most characters of findings' text all report pools together list (a collector's pools of every host);"
                    + " past it, a finding is counted in its report's UNLISTED finding"),
    REPORT_HOST_MAX_CHARS("vigil.report.hostMaxChars", "33554432", wholeNumber(1, Long.MAX_VALUE),
            "Most characters of findings' text one host's report pools together list, of vigil.report.totalMaxChars;"
                    + " past it, a finding is counted in its report's UNLISTED finding"),
    REPORT_MAX_CHARS("vigil.report.<source>.maxChars", "16777216", wholeNumber(1, Long.MAX_VALUE),
            "Most characters of findings' text (subjects and details) one report of a source lists; the rest of its"
                    + " window are counted in a last UNLISTED finding",
            byName(Map.of("files", "16777216", "logs", "16777216", "pids", "16777216"))),

    // HTTP server (health, metrics, web view)
    HTTP_PORT("vigil.http.port", "", wholeNumber(1, 65535),
            "Port of the HTTP server on 127.0.0.1 (/health, /metrics); empty: no server"),
    HTTP_TOKEN("vigil.http.token", "", text(), "Bearer token every request for data must carry (the web view's page loads without it); empty: none", Trait.SECRET);

    /** How a key's value is shown and kept out of text. */
    public enum Secrecy {
        /** Shown as it is. */
        NONE,
        /** Masked whole. */
        SECRET,
        /** A URL whose path is its credential (Slack's webhooks): scheme and host shown. */
        SECRET_PATH,
        /** A URL whose user information and query may carry a credential, masked; the rest shown. */
        URL_CREDENTIALS
    }

    /** What a row may carry besides its name, default, type and documentation. */
    private sealed interface Trait {
        Trait INTERNAL = new Internal();
        Trait SECRET = new Masked(Secrecy.SECRET);
        Trait SECRET_PATH = new Masked(Secrecy.SECRET_PATH);
        Trait URL_CREDENTIALS = new Masked(Secrecy.URL_CREDENTIALS);
    }

    /** Set by Vigil from other keys or the launcher, never in the configuration. */
    private record Internal() implements Trait {}

    private record Masked(Secrecy secrecy) implements Trait {}

    private record Renamed(String oldName) implements Trait {}

    /** Defaults of a pattern's concrete keys, by the name in them; the row's default is for other names. */
    private record ByName(Map<String, String> defaults) implements Trait {}

    private static Trait renamed(String oldName) {
        return new Renamed(oldName);
    }

    private static Trait byName(Map<String, String> defaults) {
        return new ByName(defaults);
    }

    /** The {@code <name>} segments of patterns (a holder: an enum's own statics are set after its constants). */
    private static final class Segments {
        /** What a segment may be, by its name; a PID file's name may be a full path, dots and all. */
        static final Map<String, String> REGEX = Map.of("name", "[a-z0-9_-]+", "group", "[A-Za-z0-9_-]+",
                "file", ".+", "container", "[A-Za-z0-9_.-]+", "source", "[a-z]+", "host", "[A-Za-z0-9_.-]+",
                "severity", "info|notice|warning|critical");
        static final Pattern SEGMENT = Pattern.compile("<([a-z]+)>");
    }

    private final String pattern;
    private final String defaultValue;
    private final ValueType type;
    private final String doc;
    private final Secrecy secrecy;
    private final String oldName;
    private final boolean internal;
    private final Map<String, String> defaultsByName;
    private final Pattern regex;
    private final Pattern regexIgnoringCase;
    private final Pattern oldRegex;

    Key(String pattern, String defaultValue, ValueType type, String doc, Trait... traits) {
        this.pattern = pattern;
        this.defaultValue = defaultValue;
        this.type = type;
        this.doc = doc;
        Secrecy s = Secrecy.NONE;
        String old = null;
        boolean in = false;
        Map<String, String> byName = Map.of();
        for (Trait t : traits) {
            if (t instanceof Internal) {
                in = true;
            } else if (t instanceof Masked m) {
                s = m.secrecy();
            } else if (t instanceof Renamed r) {
                old = r.oldName();
            } else if (t instanceof ByName b) {
                byName = b.defaults();
            }
        }
        this.secrecy = s;
        this.oldName = old;
        this.internal = in;
        this.defaultsByName = byName;
        this.regex = Pattern.compile(regex(pattern));
        this.regexIgnoringCase = Pattern.compile(regex(pattern), Pattern.CASE_INSENSITIVE);
        this.oldRegex = old == null ? null : Pattern.compile(regex(old));
    }

    private static String regex(String pattern) {
        StringBuilder out = new StringBuilder();
        Matcher m = Segments.SEGMENT.matcher(pattern);
        int end = 0;
        while (m.find()) {
            out.append(Pattern.quote(pattern.substring(end, m.start()))).append('(').append(Segments.REGEX.get(m.group(1))).append(')');
            end = m.end();
        }
        return out.append(Pattern.quote(pattern.substring(end))).toString();
    }

    /** The key's name, or its pattern with {@code <name>} segments. */
    public String key() {
        return pattern;
    }

    /** Whether the row stands for keys with a name of the user's in them. */
    public boolean isPattern() {
        return pattern.indexOf('<') >= 0;
    }

    /** The built-in default; empty where there is none or it depends on the machine (see the documentation). */
    public String defaultValue() {
        return defaultValue;
    }

    /** The default of the concrete key {@code key} of this row (a pattern's may depend on the name in it). */
    public String defaultFor(String key) {
        Matcher m = regex.matcher(key);
        return m.matches() && m.groupCount() > 0 ? defaultsByName.getOrDefault(m.group(1), defaultValue) : defaultValue;
    }

    /** The concrete keys of a pattern with their own defaults ({@code vigil.report.files.reportTime}...). */
    public Map<String, String> namedDefaults() {
        Map<String, String> out = new LinkedHashMap<>();
        defaultsByName.keySet().stream().sorted().forEach(name -> out.put(named(name), defaultsByName.get(name)));
        return out;
    }

    /** The concrete key of a pattern with one {@code <name>} segment. */
    public String named(String name) {
        return Segments.SEGMENT.matcher(pattern).replaceFirst(Matcher.quoteReplacement(name));
    }

    /** The name in a concrete key of this pattern ({@code ops} in {@code vigil.email.ops.to}). */
    public Optional<String> nameIn(String key) {
        Matcher m = regex.matcher(key);
        return m.matches() && m.groupCount() > 0 ? Optional.of(m.group(1)) : Optional.empty();
    }

    public ValueType type() {
        return type;
    }

    public String doc() {
        return doc;
    }

    public Secrecy secrecy() {
        return secrecy;
    }

    /** Whether Vigil sets it itself (from other keys, or the launcher): it is refused in the configuration. */
    public boolean internal() {
        return internal;
    }

    /** The key's name before it was renamed, or empty. */
    public Optional<String> oldName() {
        return Optional.ofNullable(oldName);
    }

    /** Whether {@code key} is this row's key or one of its pattern's. */
    public boolean matches(String key) {
        return regex.matcher(key).matches();
    }

    /**
     * The row of {@code key}: the row of that exact name, else the first pattern that matches (so
     * {@code vigil.email.truststore.password} is the trust store's password, not a copy named "truststore").
     */
    public static Optional<Key> of(String key) {
        for (Key k : values()) {
            if (!k.isPattern() && k.pattern.equals(key)) {
                return Optional.of(k);
            }
        }
        for (Key k : values()) {
            if (k.isPattern() && k.matches(key)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code key} spelt as its row spells it, matched in any case (environment variables are upper case): the
     * key itself for a row without names, the pattern with the names given for one with.
     */
    public static Optional<String> canonical(String key) {
        for (Key k : values()) {
            if (!k.isPattern() && k.pattern.equalsIgnoreCase(key)) {
                return Optional.of(k.pattern);
            }
        }
        for (Key k : values()) {
            Matcher m = k.regexIgnoringCase.matcher(key);
            if (k.isPattern() && m.matches()) {
                return Optional.of(filled(k.pattern, m));
            }
        }
        return Optional.empty();
    }

    /** The key that {@code oldKey} was renamed to, if it is an old name. */
    public static Optional<String> renamedTo(String oldKey) {
        for (Key k : values()) {
            if (k.oldRegex != null) {
                Matcher m = k.oldRegex.matcher(oldKey);
                if (m.matches()) {
                    return Optional.of(filled(k.pattern, m));
                }
            }
        }
        return Optional.empty();
    }

    /** Every row a user may set, in table order. */
    public static List<Key> settable() {
        List<Key> out = new ArrayList<>();
        for (Key k : values()) {
            if (!k.internal) {
                out.add(k);
            }
        }
        return out;
    }

    /** {@code pattern} with its {@code <name>} segments replaced, in order, by the groups {@code m} matched. */
    private static String filled(String pattern, Matcher m) {
        String out = pattern;
        for (int g = 1; g <= m.groupCount(); g++) {
            out = Segments.SEGMENT.matcher(out).replaceFirst(Matcher.quoteReplacement(m.group(g)));
        }
        return out;
    }
}

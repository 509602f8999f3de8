package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.camel.daemon.DaemonConfiguration;
import dev.vigil.camel.daemon.ReportPipeline;

import dev.vigil.cli.RunCommand;
import dev.vigil.cli.VigilHome;
import dev.vigil.store.Outbox;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The daemon as `vigil run` starts it, for route tests: the real routes/*.yaml and config/vigil.properties
 * with a few keys overridden, a real SQLite file in a temporary directory. Only the clock that pooling, holdoff
 * and retry backoff read is the test's.
 */
final class TestDaemon implements AutoCloseable {

    final Path dir;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final InstantSource clock = now::get;
    private final List<Main> running = new ArrayList<>();
    private Path routes = Path.of("routes").toAbsolutePath();

    TestDaemon(Path dir) {
        this.dir = dir;
    }

    /** The config file the daemon was (or would be) started with: the shipped one plus the overrides. */
    Path config(Map<String, String> overrides) throws IOException {
        StringBuilder config = new StringBuilder(Files.readString(Path.of("config/vigil.properties")));
        config.append("\nvigil.database=").append(dir.resolve("vigil.db"));
        config.append("\nvigil.alerts.file=").append(dir.resolve("alerts/alerts.ndjson"));
        config.append("\nvigil.files.areas=").append(dir.resolve("watched"));
        config.append("\nvigil.files.scan.interval=1h");
        config.append("\nvigil.files.trickle.enabled=false");
        config.append("\nvigil.logs.files=").append(dir.resolve("logs/syslog"));
        config.append("\nvigil.host=test-host");
        overrides.forEach((k, v) -> config.append('\n').append(k).append('=').append(v));
        Path configFile = dir.resolve("vigil.properties");
        Files.writeString(configFile, config.append('\n'));
        return configFile;
    }

    Main start(Map<String, String> overrides) throws Exception {
        Path configFile = config(overrides);
        Main main = RunCommand.daemon(VigilHome.load(configFile), routes, new DaemonConfiguration(clock));
        running.add(main); // stopped after the test even when start-up fails half-way
        main.start();
        return main;
    }

    /** Routes from {@code dir} instead of the shipped routes/, for tests of routes a user writes. */
    void routes(Path dir) {
        routes = dir.toAbsolutePath();
    }

    /** The shipped routes with {@code yaml} (routes a user adds, e.g. a copied channel) appended to channels.yaml. */
    void addChannels(String yaml) throws IOException {
        Path copy = Files.createDirectory(dir.resolve("routes"));
        try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
            for (Path file : shipped.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Files.writeString(copy.resolve("channels.yaml"), Files.readString(copy.resolve("channels.yaml")) + yaml);
        routes(copy);
    }

    void stop(Main main) {
        main.stop();
        running.remove(main);
    }

    @Override
    public void close() {
        running.forEach(Main::stop);
        running.clear();
    }

    Instant now() {
        return now.get();
    }

    /** The clock pooling, holdoff and backoff read. */
    InstantSource clock() {
        return clock;
    }

    void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    /**
     * Advances the clock once a finding found by the daemon itself (a scan, the watch, a log, a PID check) is
     * pooled. The finding reaches the event history a moment before its pool, and the pool's window starts
     * when the finding arrives: advancing in between would start the window after the advance.
     */
    void advanceOncePooled(Main main, Duration d) throws InterruptedException {
        ReportPipeline reports = main.getCamelContext().getRegistry().lookupByNameAndType("reports", ReportPipeline.class);
        await("the finding in its report pool", () -> reports.nextDue().isPresent());
        advance(d);
    }

    /** The length of the log line the channel tests send through every channel: ten megabytes. */
    static final int LONG_LINE_BYTES = 10 * 1024 * 1024;
    /** What a finding of that line ends with, on every channel. */
    static final String LONG_LINE_MARKER = dev.vigil.alert.Truncated.marker(LONG_LINE_BYTES);

    /**
     * Appends one log line of {@link #LONG_LINE_BYTES} (a syslog line padded with x) to the log the daemon follows
     * ({@code logs/syslog}) once it follows it, and advances the clock once its finding is
     * pooled, so its report goes to the channels.
     */
    void longLogLine(Main main) throws Exception {
        Path log = Files.createDirectories(dir.resolve("logs")).resolve("syslog");
        Files.writeString(log, "", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        awaitFollowing(main, log);
        String start = "Nov 22 01:00:00 web app[1]: ";
        Files.writeString(log, start + "x".repeat(LONG_LINE_BYTES - start.length()) + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        advanceOncePooled(main, Duration.ofSeconds(30));
    }

    /** Waits until the log route has opened {@code log} and saved its starting position. */
    static void awaitFollowing(Main main, Path log) throws InterruptedException {
        await("the log tail to start on " + log, () -> new dev.vigil.store.LogOffsetStore(
                Beans.database(main.getCamelContext()), "logs", java.time.Clock.systemUTC()).load().containsKey(log));
    }

    /** Sends a critical finding, which is reported at once: the report behind the long line's. */
    void criticalFinding(Main main, String subject) {
        main.getCamelContext().createProducerTemplate().sendBody("direct:report", new dev.vigil.alert.Finding(Source.FILES,
                "MODIFIED", subject, "test-host", now(), dev.vigil.alert.Severity.CRITICAL, Map.of()));
    }

    /** The subjects of every finding in the event history, oldest first. */
    static List<String> subjects(dev.vigil.store.EventLog events) {
        return events.query(new dev.vigil.store.EventLog.Query(null, null, null, null, null)).stream()
                .map(dev.vigil.alert.Finding::subject).toList();
    }

    static Outbox outbox(Main main) {
        return new Outbox(Beans.database(main.getCamelContext()));
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, Duration.ofSeconds(60), condition);
    }

    /** Waits at least a minute (a loaded machine), or longer where the work waited on is large. */
    static void await(String what, Duration patience, BooleanSupplier condition) throws InterruptedException {
        Duration wait = patience.compareTo(Duration.ofSeconds(60)) > 0 ? patience : Duration.ofSeconds(60);
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}

package dev.vigil.camel;

import dev.vigil.alert.Report;
import dev.vigil.alert.Source;
import dev.vigil.camel.daemon.DaemonConfiguration;
import dev.vigil.camel.daemon.ReportPipeline;

import dev.vigil.cli.RunCommand;
import dev.vigil.cli.VigilHome;
import dev.vigil.store.EventLog;
import dev.vigil.store.Outbox;
import dev.vigil.Await;
import dev.vigil.camel.fscan.TrickleConsumer;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.Main;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.apache.camel.model.ModelCamelContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The daemon as `vigil run` starts it, for route tests: the real routes/*.yaml and config/vigil.properties
 * with a few keys overridden, a real SQLite file in a temporary directory. Only the clock that pooling, holdoff
 * and retry backoff read is the test's. As a JUnit extension ({@code @RegisterExtension}) it has a temporary
 * directory of its own for each test, and stops what the test started and deletes the directory after it.
 */
final class TestDaemon implements AutoCloseable, BeforeEachCallback, AfterEachCallback {

    Path dir;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final InstantSource clock = now::get;
    private final List<Main> running = new ArrayList<>();
    private Path routes = Path.of("routes").toAbsolutePath();

    /** A new temporary directory per test. */
    @Override
    public void beforeEach(ExtensionContext test) throws IOException {
        dir = Files.createTempDirectory("vigil-test");
    }

    @Override
    public void afterEach(ExtensionContext test) {
        close();
        FileUtil.removeDir(dir.toFile());
    }

    /**
     * The reports in this test's alert file (alerts/alerts.ndjson), complete lines only: a daemon or collector may
     * be writing the last one as the test reads.
     */
    List<Report> alertReports() {
        Path file = dir.resolve("alerts/alerts.ndjson");
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.substring(0, text.lastIndexOf('\n') + 1).lines().map(Report::fromJson).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        return start(overrides, context -> { });
    }

    /** What a route test does to the routes before they start: AdviceWith at their edges. */
    interface Advice {
        void advise(ModelCamelContext context) throws Exception;
    }

    /**
     * The daemon with its routes loaded and {@code advice} applied to them before anything starts, so a route
     * test replaces only the endpoints at the edge (a receiver, a source) and all else runs as shipped.
     */
    Main start(Map<String, String> overrides, Advice advice) throws Exception {
        Path configFile = config(overrides);
        Main main = RunCommand.daemon(VigilHome.load(configFile), routes, new DaemonConfiguration(clock));
        running.add(main); // stopped after the test even when start-up fails half-way
        main.init();
        advice.advise((ModelCamelContext) main.getCamelContext());
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

    /**
     * `vigil collect` in a child JVM of this test's class path, started with {@code jvmOptions}, on the config of
     * {@link #config} with {@code overrides} and the shipped routes; its output goes to collector.log in {@link #dir}.
     * The caller stops it.
     */
    Process childCollector(Map<String, String> overrides, String... jvmOptions) throws IOException {
        Path configFile = config(overrides);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.vigil.cli.VigilCommand", "collect",
                "--config", configFile.toString(), "--routes", routes.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("collector.log").toFile())).start();
    }

    /** Stops {@code main} with the daemons this extension started: for a Main started otherwise (the collector). */
    void adopt(Main main) {
        running.add(main);
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
     * Advances the clock once every finding the event history holds as pooled (a scan's, the watch's, a log's, a PID
     * check's, a collector's poll's) is in its report pool. A finding reaches the event history a moment before its
     * pool, and the pool's window starts when the finding arrives: advancing in between would start the last
     * finding's window after the advance, and leave it out of the report the test waits for.
     */
    void advanceOncePooled(Main main, Duration d) throws InterruptedException {
        ReportPipeline reports = main.getCamelContext().getRegistry().lookupByNameAndType("reports", ReportPipeline.class);
        EventLog events = new EventLog(Beans.database(main.getCamelContext()));
        Await.until("every pooled finding of the event history in its report pool", () -> {
            int waiting = reports.waiting();
            return waiting > 0 && waiting >= events.pooled().size();
        });
        advance(d);
    }

    /** Waits for {@code count} more polls of a route's scheduled source (a check, a log or PID poll) to complete. */
    static void awaitPolls(Main main, String routeId, int count) throws InterruptedException {
        ScheduledPollConsumer source = (ScheduledPollConsumer) main.getCamelContext().getRoute(routeId).getConsumer();
        long target = source.getSuccessCounter() + count;
        Await.until(count + " more polls of " + routeId, () -> source.getSuccessCounter() >= target);
    }

    /** Waits for {@code count} more cycles of the trickle (route files-trickle) to complete. */
    static void awaitTrickleCycles(Main main, int count) throws InterruptedException {
        TrickleConsumer trickle = (TrickleConsumer) main.getCamelContext().getRoute("files-trickle").getConsumer();
        long target = trickle.completedCycles() + count;
        Await.until(count + " more trickle cycles", () -> trickle.completedCycles() >= target);
    }

    /** Waits for {@code count} more exchanges of a route (a timer's ticks: report-due, outbox-retry) to complete. */
    static void awaitCompleted(Main main, String routeId, int count) {
        NotifyBuilder done = new NotifyBuilder(main.getCamelContext()).fromRoute(routeId).whenCompleted(count).create();
        if (!done.matches(60, TimeUnit.SECONDS)) {
            throw new AssertionError("timed out waiting for " + count + " more runs of " + routeId);
        }
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
        String start = "Nov 22 01:00:00 web app[1]: ";
        logLine(main, start + "x".repeat(LONG_LINE_BYTES - start.length()));
    }

    /**
     * Appends {@code line} to the log the daemon follows ({@code logs/syslog}) once it follows it, and advances the
     * clock once its finding is pooled, so its report goes to the channels.
     */
    void logLine(Main main, String line) throws Exception {
        appendToLog(main, line + "\n");
        advanceOncePooled(main, Duration.ofSeconds(30));
    }

    /**
     * Appends {@code lines} (each shorter than {@code vigil.logs.maxLine}) at once to the log the daemon follows, and
     * advances the clock once the event history holds every one, so they go to the channels in one report.
     */
    void logLines(Main main, List<String> lines) throws Exception {
        appendToLog(main, String.join("\n", lines) + "\n");
        EventLog events = new EventLog(Beans.database(main.getCamelContext()));
        Await.until("the lines in the event history", () -> subjects(events).containsAll(lines));
        advanceOncePooled(main, Duration.ofSeconds(30));
    }

    private void appendToLog(Main main, String text) throws Exception {
        Path log = Files.createDirectories(dir.resolve("logs")).resolve("syslog");
        Files.writeString(log, "", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        awaitFollowing(main, log);
        Files.writeString(log, text, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Waits until the log route has opened {@code log} and saved its starting position. */
    static void awaitFollowing(Main main, Path log) throws InterruptedException {
        Await.until("the log tail to start on " + log, () -> new dev.vigil.store.LogOffsetStore(
                Beans.database(main.getCamelContext()), "logs", java.time.Clock.systemUTC()).load().containsKey(log));
    }

    /** Sends a critical finding, which is reported at once: the report behind the long line's. */
    void criticalFinding(Main main, String subject) {
        main.getCamelContext().createProducerTemplate().sendBody("direct:report", new dev.vigil.alert.Finding(Source.FILES,
                "MODIFIED", subject, "test-host", now(), dev.vigil.alert.Severity.CRITICAL, Map.of()));
    }

    /** The subjects of every finding in the event history, oldest first. */
    static List<String> subjects(EventLog events) {
        return events.query(new EventLog.Query(null, null, null, null, null)).stream()
                .map(dev.vigil.alert.Finding::subject).toList();
    }

    static Outbox outbox(Main main) {
        return new Outbox(Beans.database(main.getCamelContext()));
    }
}

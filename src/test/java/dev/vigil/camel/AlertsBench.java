package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.Await;
import dev.vigil.camel.daemon.DaemonConfiguration;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.cli.RunCommand;
import dev.vigil.cli.VigilHome;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ScanOptions;
import dev.vigil.store.SqliteBaseline;
import dev.vigil.store.Outbox;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.apache.camel.util.TimeUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * End-to-end alert figures for {@code bench/alerts.sh}, on the real daemon (routes/, config/) and a real
 * webhook receiver on the loopback interface. Not a test: speed is measured here, never asserted.
 *
 * <ol>
 *   <li>Latency: a file in a watched tree is rewritten at a random moment of the scan interval; the real-time
 *       watch (fanotify or inotify, on as config/vigil.properties ships it) or the scheduled check, whichever
 *       is first, finds it, the report goes out at once ({@code reporttime=0}, {@code reportholdoff=0}) and the
 *       receiver gets it; time from the write to the request's arrival, one change at a time. With the watch
 *       off ({@code vigil.files.watch.enabled=false}) the figure is bounded by the scan interval.</li>
 *   <li>Sustained load: findings fed into {@code direct:report} at a fixed rate, each its own report, for a
 *       number of seconds; the outbox's pending deliveries are sampled every second.</li>
 * </ol>
 * Arguments: changes (200), scan interval (100ms), reports per minute (1000), seconds (60).
 */
public final class AlertsBench {

    private AlertsBench() {
    }

    public static void main(String[] args) throws Exception {
        int changes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        String interval = args.length > 1 ? args[1] : "100ms";
        int perMinute = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;

        Path work = Files.createTempDirectory("vigil-alerts-bench");
        Path watched = Files.createDirectories(work.resolve("watched"));
        Path file = Files.writeString(watched.resolve("motd"), "start\n");
        try (HttpReceiver webhook = new HttpReceiver(0)) {
            StringBuilder config = new StringBuilder(Files.readString(Path.of("config/vigil.properties")));
            config.append("\nvigil.database=").append(work.resolve("vigil.db"))
                    .append("\nvigil.alerts.file=").append(work.resolve("alerts.ndjson"))
                    .append("\nvigil.files.areas=").append(watched)
                    .append("\nvigil.files.scan.interval=").append(interval)
                    .append("\nvigil.files.trickle.enabled=false")
                    .append("\nvigil.logs.files=").append(work.resolve("no.log"))
                    .append("\nvigil.report.files.reportTime=0\nvigil.report.files.reportHoldoff=0")
                    .append("\nvigil.webhook.url=").append(webhook.url("/bench"))
                    .append("\nvigil.webhook.secret=bench-secret\n");
            Path configFile = Files.writeString(work.resolve("vigil.properties"), config);
            Main main = RunCommand.daemon(VigilHome.load(configFile), Path.of("routes").toAbsolutePath(),
                    new DaemonConfiguration());
            main.start();
            Await.until("the first baseline", () -> main.getCamelContext().getRoute("files-check") != null
                    && new Integrity(new SqliteBaseline(Beans.database(main.getCamelContext())), ScanOptions.defaults(),
                    PathPolicy.none()).hasBaseline(watched));
            try {
                System.out.printf("Alert benchmark: %d CPUs, Java %s, scan interval %s, webhook on 127.0.0.1%n%n",
                        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), interval);
                if (changes > 0) {
                    latency(main, file, changes, webhook, TimeUtils.toMilliSeconds(interval));
                }
                sustained(main, perMinute, seconds, webhook);
            } finally {
                main.stop();
            }
        }
    }

    private static void latency(Main main, Path file, int changes, HttpReceiver webhook, long intervalMillis)
            throws Exception {
        int warmUp = 10;
        List<Double> millis = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < warmUp + changes; i++) {
            // Just after a report a check has just ended, and a change made then always waits a whole interval;
            // a random pause spreads the changes over the interval, as real ones are.
            Thread.sleep(random.nextLong(intervalMillis + 1));
            int before = webhook.requests().size();
            long start = System.nanoTime();
            Files.writeString(file, "change " + i + "\n");
            Await.until("the report of change " + i, () -> webhook.requests().size() > before);
            if (i >= warmUp) {
                millis.add((webhook.requests().get(before).arrived() - start) / 1e6);
            }
        }
        Collections.sort(millis);
        System.out.printf("| latency, file change to webhook (%d changes) | p50 %.0f ms | p99 %.0f ms | max %.0f ms |%n",
                changes, percentile(millis, 50), percentile(millis, 99), millis.get(millis.size() - 1));
    }

    private static void sustained(Main main, int perMinute, int seconds, HttpReceiver webhook) throws Exception {
        Outbox outbox = new Outbox(Beans.database(main.getCamelContext()));
        ProducerTemplate template = main.getCamelContext().createProducerTemplate();
        int total = perMinute * seconds / 60;
        int receivedBefore = webhook.requests().size();
        long periodNanos = 60_000_000_000L / perMinute;
        long start = System.nanoTime();
        long maxPending = 0;
        List<Long> samples = new ArrayList<>();
        long nextSample = start + periodNanos / 2; // between two reports, not just after one was handed over
        for (int i = 0; i < total; i++) {
            long due = start + i * periodNanos;
            while (System.nanoTime() < due) {
                if (System.nanoTime() >= nextSample) {
                    long pending = outbox.pendingCount();
                    samples.add(pending);
                    maxPending = Math.max(maxPending, pending);
                    nextSample += 1_000_000_000L;
                }
                Thread.sleep(1);
            }
            template.sendBody("direct:report", new Finding(Source.FILES, "LOAD", "/bench/" + i, "bench-host", Instant.now(),
                    Severity.WARNING, Map.of()));
        }
        long fed = System.nanoTime();
        Await.until("every report at the webhook", () -> webhook.requests().size() - receivedBefore >= total);
        long done = webhook.requests().get(webhook.requests().size() - 1).arrived();
        System.out.printf("| sustained: %d reports at %d/min over %d s | pending sampled each second: max %d, last %d"
                        + " | all delivered %.1f s after the last was made | %.0f reports/min received |%n",
                total, perMinute, seconds, maxPending, samples.isEmpty() ? 0 : samples.get(samples.size() - 1),
                (done - fed) / 1e9, total / ((done - start) / 6e10));
        System.out.printf("pending samples: %s%n", samples);
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}

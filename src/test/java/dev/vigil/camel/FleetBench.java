package dev.vigil.camel;

import dev.vigil.Await;
import dev.vigil.FleetHosts;
import dev.vigil.KafkaBroker;
import dev.vigil.PostgresServer;
import dev.vigil.alert.Finding;
import dev.vigil.alert.FleetRecord;
import dev.vigil.alert.Report;
import dev.vigil.alert.ReportParts;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.store.FleetDataSource;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Fleet figures for {@code bench/fleet.sh}: a real Kafka broker (Kafka's test kit, KRaft, in this JVM), a load
 * generator playing many hosts through {@link FleetHosts} (signed records in the agent's wire format, heartbeats
 * first), and {@code vigil collect} started by the {@code vigil} launcher as its own process, over a SQLite fleet
 * store and over a throwaway PostgreSQL cluster ({@link PostgresServer}). Not a test: speed is measured here,
 * never asserted.
 *
 * <ol>
 *   <li>Flood: a fixed number of findings (one per report, from random hosts) sent as fast as the producer can;
 *       findings/s into the fleet store from the first row stored to the last (row counts polled every 100 ms:
 *       the report ids processed, stored in the transaction of their findings; counting the findings rows made
 *       PostgreSQL scan the whole growing table ten times a second, beside the collector).
 *       Once per store with one collector, then on PostgreSQL with two collectors in one group.</li>
 *   <li>Steady: findings at a fixed rate to a collector with pooling off ({@code vigil.report.files.reportTime=0},
 *       {@code reportHoldoff=0}) and a webhook receiver on 127.0.0.1 as its channel; p50/p99 from each finding's
 *       time (made when its report is made) to the webhook request's arrival.</li>
 * </ol>
 * Each run samples the consumer lag every second (end offsets minus the group's committed offsets, through the
 * Kafka admin client) and reads the collector's CPU time and peak RSS from /proc.
 * Arguments: hosts (1000), flood findings (200000; 0: the steady run only), steady rate in findings/s (1000),
 * steady seconds (60), partitions (4). System properties: {@code fleet.runs}, the runs to make (a comma-separated
 * subset of {@code sqlite,pg,pg2,steady,full,beats,forged,forgedbeats}; {@code sqlite,pg,pg2,steady} by default;
 * {@code full}: the flood in reports each as many findings as one record holds, into SQLite; {@code beats}: as many
 * heartbeats as the flood's findings, {@link #heartbeatFlood}; {@code forged}: as many forged reports,
 * {@link #forgedFlood}; {@code forgedbeats}: as many forged heartbeats, {@link #forgedHeartbeatFlood});
 * {@code fleet.against}, other built checkouts
 * (comma-separated) whose launchers run the collectors in turn with this tree's (A, B, ... in that order, this tree
 * last, each row labelled), so builds are compared in the same minutes on a shared machine; {@code fleet.rounds},
 * how many times the runs are made (1); {@code fleet.cpus}, the CPUs each collector may use ({@link #cpuGroup});
 * {@code fleet.warmup}, findings before each flood ({@link #warmUp}).
 */
public final class FleetBench {

    private static final long CLOCK_TICKS = 100; // USER_HZ, as /proc/PID/stat counts

    private final Path work;
    private final KafkaBroker kafka;
    private final int hosts;
    private final int partitions;
    private final List<Process> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<Process, Path> logs = new java.util.concurrent.ConcurrentHashMap<>();
    /** Each collector's CPU control group, when {@link #cpus} caps them. */
    private final Map<Process, Path> groups = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Findings per collector each flood sends first and waits for, untimed ({@code fleet.warmup}; 0 by default): a
     * collector's JIT compiles its hot paths over its first 100,000 findings or so, a fixed cost of each collector.
     */
    private final int warmUp = Integer.getInteger("fleet.warmup", 0);
    /** The CPUs each collector may use ({@code fleet.cpus}); 0: as many as the machine has. */
    private final double cpus = Double.parseDouble(System.getProperty("fleet.cpus", "0"));
    private final List<String> stages = new ArrayList<>();
    private final PostgresServer postgres;
    private String launcher = "./vigil";
    private int run;
    private boolean cleaned;

    private FleetBench(Path work, KafkaBroker kafka, PostgresServer postgres, int hosts, int partitions) {
        this.work = work;
        this.postgres = postgres;
        this.kafka = kafka;
        this.hosts = hosts;
        this.partitions = partitions;
    }

    /**
     * What one run of collectors did: the figures of one table row; {@code secondHalf} and {@code afterSend} (the rate
     * once the load generator had sent the whole flood, the collectors no longer sharing the machine with it) NaN
     * but in a flood.
     */
    private record Figures(long findings, double perSecond, double secondHalf, double afterSend, long maxLag,
                           double cpuSeconds, double serverCpuSeconds, long peakRssKb, String note) {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int flood = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        int partitions = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        // The webhook receiver answers with Nagle's algorithm off, as web servers do: the JDK's HttpServer leaves it on
        // (sun.net.httpserver.nodelay), and its answer's two small writes on a kept connection then wait for the
        // client's delayed ACK, 40 ms a request, which made its one request per report the run's bottleneck.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        Path work = Files.createTempDirectory("vigil-fleet-bench");
        KafkaBroker kafka = new KafkaBroker();
        PostgresServer postgres = new PostgresServer();
        HttpReceiver webhook = new HttpReceiver(0);
        FleetBench bench = new FleetBench(work, kafka, postgres, hosts, partitions);
        List<String> runs = List.of(System.getProperty("fleet.runs", "sqlite,pg,pg2,steady").split(","));
        int rounds = Integer.parseInt(System.getProperty("fleet.rounds", "1"));
        String against = System.getProperty("fleet.against", "");
        Map<String, String> launchers = new java.util.LinkedHashMap<>();
        if (!against.isEmpty()) {
            for (String other : against.split(",")) {
                launchers.put((char) ('A' + launchers.size()) + " ", Path.of(other, "vigil").toString());
            }
            launchers.put((char) ('A' + launchers.size()) + " ", "./vigil");
        } else {
            launchers.put("", "./vigil");
        }
        // One way out, whether the run ends or bench/fleet.sh's TERM stops it: collectors, PostgreSQL, broker.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> bench.cleanUp(postgres, webhook)));
        try {
            kafka.start();
            System.out.printf("Fleet benchmark: %d CPUs, Java %s, %d hosts, %d partitions, broker and load generator"
                            + " in one JVM, each collector in its own (the vigil launcher)%s%n%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), hosts, partitions,
                    (bench.cpus > 0 ? String.format(", each collector capped at %s CPUs (a CPU control group)", bench.cpus) : "")
                            + (bench.warmUp > 0 ? String.format(", %,d findings per collector before each flood, untimed",
                                    bench.warmUp) : ""));
            System.out.printf("| run | findings | findings/s into the store | second half | after the send"
                    + " | max consumer lag | collector CPU s | CPU s / 1,000 | PostgreSQL CPU s | peak RSS MB"
                    + " | note |%n");
            System.out.printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|%n");
            Figures pg = null;
            List<String> ratios = new ArrayList<>();
            List<Double> latencies = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (var each : launchers.entrySet()) {
                    bench.launcher = each.getValue();
                    String label = each.getKey();
                    if (flood > 0 && runs.contains("sqlite")) {
                        row(label + "flood, SQLite, 1 collector", bench.flood(work.resolve("fleet-" + bench.run + ".db").toString(), 1, flood));
                    }
                    if (flood > 0 && runs.contains("pg")) {
                        pg = bench.flood(postgres.newDatabase(), 1, flood);
                        row(label + "flood, PostgreSQL, 1 collector", pg);
                    }
                    if (flood > 0 && runs.contains("pg2")) {
                        Figures pgTwo = bench.flood(postgres.newDatabase(), 2, flood);
                        row(label + "flood, PostgreSQL, 2 collectors", pgTwo);
                        if (pg != null) {
                            double afterSends = pgTwo.afterSend() / pg.afterSend();
                            ratios.add(String.format("%s%.2fx (second halves %.2fx%s)", label,
                                    pgTwo.perSecond() / pg.perSecond(), pgTwo.secondHalf() / pg.secondHalf(),
                                    Double.isNaN(afterSends) ? "" : String.format(", after the sends %.2fx", afterSends)));
                        }
                    }
                    if (flood > 0 && runs.contains("full")) {
                        int perReport = fullReport();
                        row(label + "flood of full records (" + perReport + " findings each), SQLite, 1 collector",
                                bench.flood(work.resolve("full-" + bench.run + ".db").toString(), 1, flood, perReport));
                    }
                    if (flood > 0 && runs.contains("beats")) {
                        row(label + "heartbeats, SQLite, 1 collector", bench.heartbeatFlood(
                                work.resolve("beats-" + bench.run + ".db").toString(), flood));
                    }
                    if (flood > 0 && runs.contains("forged")) {
                        row(label + "forged reports, SQLite, 1 collector", bench.forgedFlood(
                                work.resolve("forged-" + bench.run + ".db").toString(), flood));
                    }
                    if (flood > 0 && runs.contains("forgedbeats")) {
                        row(label + "forged heartbeats, SQLite, 1 collector", bench.forgedHeartbeatFlood(
                                work.resolve("forgedbeats-" + bench.run + ".db").toString(), flood));
                    }
                    if (runs.contains("steady")) {
                        latencies.clear();
                        bench.stages.clear();
                        row(label + "steady " + rate + "/s for " + seconds + " s, SQLite, webhook", bench.steady(
                                work.resolve("steady-" + bench.run + ".db").toString(), rate, seconds, webhook, latencies));
                        // each run's, not only the last's: --against compares them run by run
                        bench.latencies(label, rate, latencies, webhook);
                    }
                }
            }
            if (!ratios.isEmpty()) {
                System.out.printf("%n2 collectors / 1 (PostgreSQL), each against the one before it: %s%n",
                        String.join("; ", ratios));
            }
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            bench.cleanUp(postgres, webhook);
            System.exit(1);
        }
        bench.cleanUp(postgres, webhook);
        System.exit(0);
    }

    /** A steady run's latencies and stages, after its row. */
    private void latencies(String label, int rate, List<Double> latencies, HttpReceiver webhook) {
        if (latencies.isEmpty()) {
            return;
        }
        Collections.sort(latencies);
        System.out.printf("%shost report -> webhook at %d findings/s (pooling off: reportTime=0, reportHoldoff=0),"
                        + " %d findings after warm-up: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", label, rate, latencies.size(),
                percentile(latencies, 50), percentile(latencies, 99), latencies.get(latencies.size() - 1));
        System.out.printf("webhook (all runs so far): %d requests on %d connections, at most %d handled at once%n",
                webhook.requests().size(), webhook.connections(), webhook.mostInFlight());
        stages.forEach(stage -> System.out.println("  " + stage));
    }

    /** Stops what the run started; the shutdown hook's work, so that an interrupted run leaves nothing behind. */
    private synchronized void cleanUp(PostgresServer postgres, HttpReceiver webhook) {
        if (cleaned) {
            return;
        }
        cleaned = true;
        List<AutoCloseable> steps = List.of(() -> stop(started), webhook::close, postgres, kafka, () -> {
            try (var files = Files.walk(work)) {
                for (Path p : files.sorted(Collections.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        });
        for (AutoCloseable step : steps) {
            try {
                step.close();
            } catch (Exception e) {
                System.err.println("cleaning up: " + e);
            }
        }
    }

    private static void row(String name, Figures f) {
        System.out.printf("| %s | %d | %.0f | %s | %s | %d | %.1f | %.3f | %s | %.0f | %s |%n", name, f.findings(),
                f.perSecond(), Double.isNaN(f.secondHalf()) ? "" : String.format("%.0f", f.secondHalf()),
                Double.isNaN(f.afterSend()) ? "" : String.format("%.0f", f.afterSend()), f.maxLag(), f.cpuSeconds(),
                f.findings() > 0 ? f.cpuSeconds() * 1000 / f.findings() : 0,
                Double.isNaN(f.serverCpuSeconds()) ? "" : String.format("%.1f", f.serverCpuSeconds()),
                f.peakRssKb() / 1024.0, f.note());
    }

    /** {@code findings} sent as fast as the producer sends them to {@code collectors} collectors over {@code store}. */
    private Figures flood(String store, int collectors, int findings) throws Exception {
        return flood(store, collectors, findings, 1);
    }

    /**
     * {@link #flood(String, int, int)} with {@code perReport} findings in each report (each one record: no more than
     * fit in one, {@link #fullReport}); the flood's findings rounded up to whole reports.
     */
    private Figures flood(String store, int collectors, int findings, int perReport) throws Exception {
        Topics topics = topics();
        List<Process> running = new ArrayList<>();
        try (FleetHosts fleet = heartbeats(topics); HikariDataSource db = FleetDataSource.open(store, "", "", work)) {
            // One after the other: collectors starting together on an empty PostgreSQL store race to create
            // CAMEL_MESSAGEPROCESSED and one of them exits (a duplicate pg_type row; see bench/README.md).
            for (int i = 0; i < collectors; i++) {
                running.add(collector(topics, store, i, Map.of()));
                awaitHosts(db, running);
            }
            awaitMembers(topics, running);
            boolean pg = FleetDataSource.postgresql(store);
            Random random = new Random(7);
            int untimed = warmUp * collectors;
            if (untimed > 0) {
                send(fleet, records(fleet, random, "/warm-up/", untimed, 1));
                try (Admin admin = kafka.admin()) {
                    Await.until("the warm-up's reports stored", Duration.ofSeconds(Math.max(120, untimed / 200)),
                            () -> {
                                alive(running);
                                return committed(admin, topics) >= untimed;
                            });
                }
            }
            // The flood is sent while its progress is followed, not before: the collectors store from its first
            // record, and a rate counted from the first stored that the loop saw only once the send was done had
            // what they stored meanwhile in it without its time.
            ExecutorService sender = Executors.newSingleThreadExecutor();
            try (LagSampler lag = new LagSampler(topics, topics.reports())) {
                List<ProducerRecord<String, byte[]>> flood =
                        records(fleet, random, "/bench/", (findings + perReport - 1) / perReport, perReport);
                int reports = flood.size();
                Future<?> sent = sender.submit(() -> {
                    send(fleet, flood);
                    return null;
                });
                long first = 0;
                long storedAtFirst = 0;
                long sentAt = 0;
                long storedAtSent = 0;
                long half = 0;
                long storedAtHalf = 0;
                long last = 0;
                long stored = 0;
                long cpuBefore = 0;
                long serverBefore = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(120, findings / 200));
                while (stored < (long) reports * perReport && System.nanoTime() < deadline) {
                    stored = (lag.committed() - untimed) * perReport;
                    long now = System.nanoTime();
                    if (stored > 0 && first == 0) {
                        first = now;
                        storedAtFirst = stored;
                        cpuBefore = cpuTicks(running);
                        serverBefore = pg ? postgres.cpuTicks() : 0;
                    }
                    if (sent.isDone() && sentAt == 0) {
                        sentAt = now;
                        storedAtSent = stored;
                    }
                    if (stored >= findings / 2 && half == 0) {
                        half = now;
                        storedAtHalf = stored;
                    }
                    last = now;
                    alive(running);
                    Thread.sleep(100);
                }
                sent.get();
                double seconds = (last - first) / 1e9;
                double cpu = (cpuTicks(running) - cpuBefore) / (double) CLOCK_TICKS;
                double server = pg ? (postgres.cpuTicks() - serverBefore) / (double) CLOCK_TICKS : Double.NaN;
                long rows = count(db) - untimed;
                double secondHalf = half > 0 && last > half ? (stored - storedAtHalf) / ((last - half) / 1e9) : 0;
                // NaN where the collectors were done within a second of the send: too short a time to say
                double afterSend = sentAt > 0 && last - sentAt >= TimeUnit.SECONDS.toNanos(1)
                        ? (stored - storedAtSent) / ((last - sentAt) / 1e9) : Double.NaN;
                return new Figures(rows, seconds > 0 ? (stored - storedAtFirst) / seconds : 0, secondHalf, afterSend,
                        lag.max(), cpu, server, peakRss(running),
                        stored < findings ? "timed out: " + stored + " of " + findings + " stored" : "");
            } finally {
                sender.shutdownNow();
            }
        } finally {
            stop(running);
        }
    }

    /**
     * {@code count} records, each made and sent by {@code record} as fast as the producer sends them, to one
     * collector (which has stored one heartbeat of each host first); records/s (in the findings/s column) followed by
     * the group's committed offsets on the topic {@code topic} names, from the first count taken once the producer has
     * sent them all (what the collector committed during the send is left out, with its time: the rate of a collector
     * that no longer shares the cores with the load generator, as the floods' "after the send") to the last; the lag
     * column that topic's, sampled from the send's start.
     */
    private Figures recordFlood(String store, int count, Function<Topics, String> topic, RecordSender record,
                                String note) throws Exception {
        Topics topics = topics();
        List<Process> running = new ArrayList<>();
        try (FleetHosts fleet = heartbeats(topics); HikariDataSource db = FleetDataSource.open(store, "", "", work);
             Admin admin = kafka.admin()) {
            running.add(collector(topics, store, 0, Map.of()));
            awaitHosts(db, running);
            awaitMembers(topics, running);
            long before = committed(admin, topics, topic.apply(topics));
            Random random = new Random(13);
            try (LagSampler lag = new LagSampler(topics, topic.apply(topics))) {
                for (int i = 0; i < count; i++) {
                    record.send(fleet, random);
                }
                fleet.flush();
                long first = 0;
                long atFirst = 0;
                long last = 0;
                long done = 0;
                long cpuBefore = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(120, count / 100));
                while (done < count && System.nanoTime() < deadline) {
                    done = committed(admin, topics, topic.apply(topics)) - before;
                    long now = System.nanoTime();
                    if (done > 0 && first == 0) {
                        first = now;
                        atFirst = done;
                        cpuBefore = cpuTicks(running);
                    }
                    last = now;
                    alive(running);
                    Thread.sleep(100);
                }
                double seconds = (last - first) / 1e9;
                return new Figures(done, seconds > 0 ? (done - atFirst) / seconds : 0, Double.NaN, Double.NaN,
                        lag.max(), (cpuTicks(running) - cpuBefore) / (double) CLOCK_TICKS, Double.NaN, peakRss(running),
                        note + (done < count ? "; timed out: " + done + " of " + count : ""));
            }
        } finally {
            stop(running);
        }
    }

    /** Sends one record of a {@link #recordFlood} without waiting for the broker. */
    private interface RecordSender {
        void send(FleetHosts fleet, Random random);
    }

    /** {@code beats} heartbeats of random hosts ({@link #recordFlood}). */
    private Figures heartbeatFlood(String store, int beats) throws Exception {
        return recordFlood(store, beats, Topics::heartbeats, (fleet, random) -> {
            String host = host(random.nextInt(hosts));
            fleet.heartbeatAsync(host, key(host), "seal-" + host, Map.of());
        }, "heartbeats, not findings");
    }

    /**
     * {@code records} heartbeats of random known hosts, signed with a key not theirs: records the collector
     * quarantines, each with a REJECTED finding, the first vigil.collect.quarantineMax (10,000) of them, and counts
     * the rest, a REJECTED a partition ({@link #recordFlood}).
     */
    private Figures forgedHeartbeatFlood(String store, int records) throws Exception {
        return recordFlood(store, records, Topics::heartbeats, (fleet, random) -> {
            String host = host(random.nextInt(hosts));
            fleet.heartbeatAsync(host, "forged", "seal-" + host, Map.of());
        }, "forged heartbeats quarantined, not findings");
    }

    /**
     * {@code records} reports of one finding each, of random known hosts, signed with a key not theirs: records the
     * collector quarantines, each with a REJECTED finding, the first vigil.collect.quarantineMax (10,000) of them,
     * and counts the rest, a REJECTED a partition ({@link #recordFlood}).
     */
    private Figures forgedFlood(String store, int records) throws Exception {
        return recordFlood(store, records, Topics::reports, (fleet, random) -> {
            String host = host(random.nextInt(hosts));
            fleet.sendAsync(host, "forged", fleet.report(host, "/forged/" + random.nextLong()));
        }, "forged records quarantined, not findings");
    }

    /**
     * {@code reports} reports of {@code perReport} findings each, of random hosts, subjects {@code prefix} and numbers,
     * as the hosts' signed records. A flood's are made before it is sent (since session 31): hosts make and sign their
     * reports on machines of their own, not on the collector's cores, where the load generator made them during the
     * count before.
     */
    private List<ProducerRecord<String, byte[]>> records(FleetHosts fleet, Random random, String prefix, int reports,
                                                         int perReport) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(reports);
        for (int i = 0; i < reports; i++) {
            String host = host(random.nextInt(hosts));
            String[] subjects = new String[perReport];
            for (int f = 0; f < perReport; f++) {
                subjects[f] = prefix + i + "/" + f;
            }
            records.add(fleet.signedReport(host, key(host), fleet.report(host, subjects)));
        }
        return records;
    }

    /** Sends {@code records} and waits until the broker has them all. */
    private static void send(FleetHosts fleet, List<ProducerRecord<String, byte[]>> records) {
        records.forEach(fleet::sendAsync);
        fleet.flush();
    }

    /**
     * {@code rate} findings/s for {@code seconds} to one collector with pooling off and the webhook as its channel;
     * the latency of each finding sent after the first fifth of the run (at most 5 s: the collector's JIT warming
     * up) goes into {@code latencies}, in milliseconds.
     */
    private Figures steady(String store, int rate, int seconds, HttpReceiver webhook, List<Double> latencies)
            throws Exception {
        Topics topics = topics();
        List<Process> running = new ArrayList<>();
        try (FleetHosts fleet = heartbeats(topics); HikariDataSource db = FleetDataSource.open(store, "", "", work)) {
            running.add(collector(topics, store, 0, Map.of("vigil.report.files.reportTime", "0",
                    "vigil.report.files.reportHoldoff", "0", "vigil.webhook.url", webhook.url("/steady"),
                    "vigil.webhook.secret", "bench-secret")));
            awaitHosts(db, running);
            int before = webhook.requests().size();
            long cpuBefore = cpuTicks(running);
            int total = rate * seconds;
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            Instant warm = Instant.now().plusMillis(Math.min(5000, seconds * 200L));
            try (LagSampler lag = new LagSampler(topics, topics.reports())) {
                Random random = new Random(11);
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    long due = start + i * period;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String host = host(random.nextInt(hosts));
                    fleet.sendAsync(host, key(host), fleet.report(host, "/steady/" + i));
                }
                fleet.flush();
                long sent = System.nanoTime();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(180, seconds * 3L));
                // Counted as they arrive: parsing every request again at each look took a core of this JVM, which
                // holds the receiver and the broker, while the webhook's backlog drained.
                int delivered = 0;
                int counted = 0;
                while (true) {
                    List<HttpReceiver.Request> arrived = arrivedSince(webhook, before);
                    delivered += findings(arrived.subList(counted, arrived.size()));
                    counted = arrived.size();
                    if (delivered >= total || System.nanoTime() >= deadline) {
                        break;
                    }
                    alive(running);
                    Thread.sleep(200);
                }
                // HttpReceiver stamps arrivals with nanoTime; this offset turns them into wall-clock times.
                long wallOffset = Instant.now().toEpochMilli() * 1_000_000 - System.nanoTime();
                List<HttpReceiver.Request> requests = arrivedSince(webhook, before);
                if (requests.size() > 1) {
                    LongSummaryStatistics arrivals = requests.stream().mapToLong(HttpReceiver.Request::arrived).summaryStatistics();
                    double span = (arrivals.getMax() - arrivals.getMin()) / 1e9;
                    stages.add(String.format("webhook: %d requests in %.1f s from the first to the last, %.0f/s",
                            requests.size(), span, (requests.size() - 1) / span));
                }
                for (HttpReceiver.Request request : requests) {
                    for (Finding f : Report.fromJson(request.body()).findings()) {
                        if (!f.time().isBefore(warm)) {
                            long made = f.time().getEpochSecond() * 1_000_000_000 + f.time().getNano();
                            latencies.add((request.arrived() + wallOffset - made) / 1e6);
                        }
                    }
                }
                stages.addAll(stages(db, work.resolve("collector-" + run + "-0").resolve("collect.db"), warm));
                double rateSeconds = (sent - start) / 1e9;
                return new Figures(count(db), total / rateSeconds, Double.NaN, Double.NaN, lag.max(),
                        (cpuTicks(running) - cpuBefore) / (double) CLOCK_TICKS, Double.NaN, peakRss(running),
                        String.format("sent at %.0f/s%s", total / rateSeconds,
                        delivered < total ? "; timed out: " + delivered + " of " + total + " at the webhook" : ""));
            }
        } finally {
            stop(running);
        }
    }

    /**
     * Where the steady run's time went: for each finding made after {@code warm}, the time from the finding to its
     * row in the fleet store, to its report in the collector's outbox, and to each channel's delivery, as p50 and
     * p99 in milliseconds: one line per stage.
     */
    private static List<String> stages(HikariDataSource fleetStore, Path collectorDb, Instant warm) throws Exception {
        long since = warm.toEpochMilli();
        Map<String, List<Double>> stages = new java.util.TreeMap<>();
        try (Connection c = fleetStore.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT found_at, stored_at FROM findings WHERE kind = 'MODIFIED' AND found_at >= " + since)) {
            while (rs.next()) {
                stages.computeIfAbsent("1 fleet store", k -> new ArrayList<>()).add((double) rs.getLong(2) - rs.getLong(1));
            }
        }
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + collectorDb);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                     "SELECT json_extract(r.report, '$.findings[0].time'), r.created, d.channel, d.delivered"
                             + " FROM outbox_report r JOIN outbox_delivery d ON d.report_id = r.id")) {
            while (rs.next()) {
                Instant made = Instant.parse(rs.getString(1));
                if (made.isBefore(warm)) {
                    continue;
                }
                if (rs.getString(3).equals("webhook")) {
                    stages.computeIfAbsent("2 outbox", k -> new ArrayList<>()).add(millis(made, rs.getString(2)));
                }
                if (rs.getString(4) != null) {
                    stages.computeIfAbsent("3 delivered, " + rs.getString(3), k -> new ArrayList<>())
                            .add(millis(made, rs.getString(4)));
                }
            }
        }
        List<String> lines = new ArrayList<>();
        stages.forEach((stage, ms) -> {
            Collections.sort(ms);
            lines.add(String.format("%s: %d findings, p50 %.0f ms, p99 %.0f ms, max %.0f ms after the finding",
                    stage.substring(2), ms.size(), percentile(ms, 50), percentile(ms, 99), ms.get(ms.size() - 1)));
        });
        return lines;
    }

    private static double millis(Instant from, String sortable) {
        return Duration.between(from, Instant.parse(sortable)).toNanos() / 1e6;
    }

    private static List<HttpReceiver.Request> arrivedSince(HttpReceiver webhook, int before) {
        List<HttpReceiver.Request> all = webhook.requests();
        return all.subList(before, all.size());
    }

    private static int findings(List<HttpReceiver.Request> requests) {
        return requests.stream().mapToInt(r -> Report.fromJson(r.body()).findings().size()).sum();
    }

    private record Topics(String reports, String heartbeats, String group) {
    }

    /** Fresh topics and a fresh consumer group for one run. */
    private Topics topics() throws Exception {
        run++;
        Topics topics = new Topics("reports-" + run, "heartbeats-" + run, "collect-" + run);
        kafka.createTopic(topics.reports(), partitions, false);
        kafka.createTopic(topics.heartbeats(), partitions, true);
        return topics;
    }

    /** The load generator, having sent one heartbeat of every host (the collector's hosts table fills from them). */
    private FleetHosts heartbeats(Topics topics) throws Exception {
        FleetHosts fleet = new FleetHosts(kafka.bootstrapServers(), topics.reports(), topics.heartbeats(),
                InstantSource.system());
        for (int i = 0; i < hosts; i++) {
            fleet.heartbeat(host(i), key(host(i)), "seal-" + i);
        }
        return fleet;
    }

    /**
     * How many findings of a flood ({@link #send}: subjects {@code /bench/<report>/<finding>}) fill one record, as the
     * agent fills one ({@link ReportParts}): what a host, or whoever holds its key, can put in each.
     */
    private static int fullReport() {
        List<Finding> findings = IntStream.range(0, 20_000).mapToObj(f -> new Finding(Source.FILES, "MODIFIED",
                "/bench/999999/" + f, host(0), Instant.now(), Severity.WARNING, Map.of())).toList();
        return ReportParts.of(Report.of(Source.FILES, findings, Instant.now()), FleetRecord.MAX_REPORT_BYTES)
                .get(0).findings().size();
    }

    private static String host(int i) {
        return String.format("host-%05d", i);
    }

    private static String key(String host) {
        return "key-of-" + host;
    }

    /**
     * Starts {@code vigil collect} ({@link #launcher}) with a configuration of its own, made from the shipped one of
     * the launcher's checkout (an older build refuses a key it does not know).
     */
    private Process collector(Topics topics, String store, int index, Map<String, String> extra) throws IOException {
        String name = "collector-" + run + "-" + index;
        Path dir = Files.createDirectories(work.resolve(name));
        StringBuilder config = new StringBuilder(Files.readString(Path.of(launcher).resolveSibling("config/vigil.properties")));
        Map<String, String> keys = IntStream.range(0, hosts).mapToObj(FleetBench::host)
                .collect(Collectors.toMap(Function.identity(), FleetBench::key));
        config.append("\nvigil.host=").append(name)
                .append("\nvigil.collect.database=").append(dir.resolve("collect.db"))
                .append("\nvigil.alerts.file=").append(dir.resolve("alerts.ndjson"))
                .append("\nvigil.collect.brokers=").append(kafka.bootstrapServers())
                .append("\nvigil.collect.topic=").append(topics.reports())
                .append("\nvigil.collect.heartbeatTopic=").append(topics.heartbeats())
                .append("\nvigil.collect.group=").append(topics.group())
                .append("\nvigil.collect.jdbc.url=").append(store);
        keys.forEach((host, key) -> config.append("\nvigil.collect.hostKey.").append(host).append('=').append(key));
        extra.forEach((k, v) -> config.append('\n').append(k).append('=').append(v));
        Path file = Files.writeString(dir.resolve("vigil.properties"), config.append('\n'));
        List<String> command = List.of(launcher, "collect", "--config", file.toString());
        Path group = cpus > 0 ? cpuGroup(name) : null;
        if (group != null) {
            // the shell joins the group and execs the launcher, which execs java: the collector's JVM starts in it
            command = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                    group.resolve("cgroup.procs").toString()));
            command.addAll(List.of(launcher, "collect", "--config", file.toString()));
        }
        Process collector = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("collector.log").toFile()).start();
        if (group != null) {
            groups.put(collector, group);
        }
        started.add(collector);
        logs.put(collector, dir.resolve("collector.log"));
        return collector;
    }

    /**
     * A CPU control group that lets its processes use {@link #cpus} CPUs (the kernel's CFS quota, cgroup v2 or the
     * v1 cpu controller; needs root): two collectors each so capped measure scale-out where the machine has fewer
     * cores than two collectors, their broker and their store need, as collectors on machines of their own would.
     */
    private Path cpuGroup(String name) throws IOException {
        Path root = Path.of("/sys/fs/cgroup");
        String group = "vigil-fleet-bench-" + ProcessHandle.current().pid() + "-" + name;
        long quota = Math.round(cpus * 100_000);
        if (Files.exists(root.resolve("cgroup.controllers"))) {
            Files.writeString(root.resolve("cgroup.subtree_control"), "+cpu");
            Path dir = Files.createDirectory(root.resolve(group));
            Files.writeString(dir.resolve("cpu.max"), quota + " 100000");
            return dir;
        }
        if (Files.exists(root.resolve("cpu/cpu.cfs_quota_us"))) {
            Path dir = Files.createDirectory(root.resolve("cpu").resolve(group));
            Files.writeString(dir.resolve("cpu.cfs_period_us"), "100000");
            Files.writeString(dir.resolve("cpu.cfs_quota_us"), Long.toString(quota));
            return dir;
        }
        throw new IOException("fleet.cpus needs a CPU control group: neither cgroup v2 nor the v1 cpu controller"
                + " is mounted under " + root);
    }

    /** Waits until the collectors have stored every host's heartbeat: their consumers run. */
    private void awaitHosts(HikariDataSource db, List<Process> running) throws InterruptedException {
        Await.until("every host's heartbeat in the fleet store", Duration.ofMinutes(3), () -> {
            alive(running);
            return count(db, "SELECT COUNT(*) FROM hosts") >= hosts;
        });
    }

    /** Waits until every collector's two consumers (reports, heartbeats) are members of the group. */
    private void awaitMembers(Topics topics, List<Process> running) throws InterruptedException {
        try (Admin admin = kafka.admin()) {
            Await.until("every collector's consumers in the group", Duration.ofMinutes(3), () -> {
                alive(running);
                try {
                    var group = admin.describeConsumerGroups(List.of(topics.group())).all().get().get(topics.group());
                    return group.members().size() >= 2 * running.size()
                            && group.state() == org.apache.kafka.common.ConsumerGroupState.STABLE;
                } catch (Exception notYet) {
                    return false;
                }
            });
        }
    }

    private void alive(List<Process> running) {
        for (Process p : running) {
            if (!p.isAlive()) {
                String log;
                try {
                    List<String> lines = Files.readAllLines(logs.get(p));
                    log = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
                } catch (IOException e) {
                    log = e.toString();
                }
                throw new IllegalStateException("a collector exited (" + p.exitValue() + "), its log ends:\n" + log);
            }
        }
    }

    private static long count(HikariDataSource db) {
        return count(db, "SELECT COUNT(*) FROM findings WHERE kind = 'MODIFIED'");
    }

    private static long count(HikariDataSource db, String query) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException notYet) {
            return 0; // the collector has not made its schema yet
        }
    }

    /** utime + stime of the processes, in clock ticks (/proc/PID/stat fields 14 and 15). */
    private static long cpuTicks(List<Process> running) throws IOException {
        long ticks = 0;
        for (Process p : running) {
            String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return ticks;
    }

    /** The highest VmHWM (peak resident set) among the processes, in KiB. */
    private static long peakRss(List<Process> running) throws IOException {
        long peak = 0;
        for (Process p : running) {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peak = Math.max(peak, Long.parseLong(line.replaceAll("\\D", "")));
                }
            }
        }
        return peak;
    }

    private void stop(List<Process> running) throws InterruptedException, IOException {
        for (Process p : running) {
            p.destroy();
        }
        for (Process p : running) {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
            Path group = groups.remove(p);
            if (group != null) {
                Files.delete(group); // a control group is removed with rmdir, empty once its processes ended
            }
        }
    }

    /**
     * The reports {@code topics}' group has committed past, over its partitions: each stored, and its findings handed
     * to the report pipeline (a poll's offsets are committed after both). A flood's progress is followed by it, not
     * by a {@code COUNT(*)} of the store's rows every 100 ms as before, which scanned the whole table each time (on
     * PostgreSQL a parallel sequential scan): a load of the measurement's own that grew with the table (bench/README.md).
     */
    private static long committed(Admin admin, Topics topics) {
        return committed(admin, topics, topics.reports());
    }

    /** The offsets {@code topics}' group has committed on {@code topic}, summed over its partitions. */
    private static long committed(Admin admin, Topics topics, String topic) {
        return committedOffsets(admin, topics).entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic))
                .mapToLong(e -> e.getValue() == null ? 0 : e.getValue().offset()).sum();
    }

    private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(Admin admin, Topics topics) {
        try {
            return admin.listConsumerGroupOffsets(topics.group()).partitionsToOffsetAndMetadata().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the group's committed offsets: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted asking for the group's committed offsets", e);
        }
    }

    /** A topic's lag behind the group's committed offsets, sampled every second. */
    private final class LagSampler implements AutoCloseable {
        private final Admin admin = kafka.admin();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private volatile long max;

        private final Topics topics;
        private final String topic;

        LagSampler(Topics topics, String topic) {
            this.topics = topics;
            this.topic = topic;
            timer.scheduleAtFixedRate(() -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(admin, topics);
                    Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, partitions).boxed().collect(
                            Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
                    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
                    long lag = 0;
                    for (var end : ends.entrySet()) {
                        OffsetAndMetadata c = committed.get(end.getKey());
                        lag += end.getValue().offset() - (c == null ? 0 : c.offset());
                    }
                    max = Math.max(max, lag);
                } catch (Exception e) {
                    System.err.println("lag sample failed: " + e);
                }
            }, 0, 1, TimeUnit.SECONDS);
        }

        long max() {
            return max;
        }

        long committed() {
            return FleetBench.committed(admin, topics, topic);
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            admin.close();
        }
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}

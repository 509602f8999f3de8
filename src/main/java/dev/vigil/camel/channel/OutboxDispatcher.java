package dev.vigil.camel.channel;

import dev.vigil.alert.PermanentFailure;

import dev.vigil.alert.Backoff;
import dev.vigil.alert.ClosedReport;
import dev.vigil.alert.Report;
import dev.vigil.alert.ReportJson;
import dev.vigil.alert.ReportParts;
import dev.vigil.alert.RetryLater;
import dev.vigil.alert.Secrets;
import dev.vigil.camel.status.VigilMetrics;
import dev.vigil.store.Outbox;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code outbox} bean: writes each report to the SQLite outbox, then hands it to every channel and records
 * each channel's delivery. A channel is any started route whose id starts with {@value #CHANNEL_PREFIX}: adding
 * a channel is adding one route. A failed delivery is retried with backoff (and after a restart) by the retry
 * timer calling {@link #drain()}.
 *
 * <p>Each channel has {@code lanes} lanes ({@code vigil.alerts.lanes}), each its own worker thread, which share
 * the channel's reports by host ({@link Outbox.Lane}): a lane sends its reports one after another, in order, so
 * each host's reports arrive in order, while the lanes have reports of different hosts in flight at once (a
 * collector's fleet). A host's reports all take one lane, so a daemon's channel sends as one worker did. A failed
 * delivery holds back its lane's later reports (its hosts'), not the other lanes'; each lane retries with its own
 * backoff. A report is never sent twice while Vigil runs, because each lane marks what it sent before it reads the
 * outbox again (a read is up to {@value #PAGE} reports). The lanes of a channel mark together ({@link Marks}), in
 * one transaction for the reports sent within {@value #MARK_WITHIN_MS} ms. A process killed between a send and its
 * mark sends those reports again when it restarts, each with its own report id as before (a webhook's
 * Idempotency-Key): those the channel began sending in its last {@value #MARK_WITHIN_MS} ms, so one per lane for a
 * receiver as slow as a mail server, as one mark per send repeated one; more only where the receiver answers in less.
 * Reports stored by this process are handed to the workers as they are, with the JSON stored ({@link StoredReports});
 * the outbox row's JSON is parsed only for the others. Each report goes to a channel route with that JSON
 * ({@link #REPORT_JSON}), so the channels that send JSON do not write it again.
 * A wake-up works through everything due, however long the backlog (a receiver back after an outage), not one read
 * of the outbox per tick of the retry timer.
 * The caller (a source's thread, the report timer) only writes the outbox and wakes the lanes of the reports'
 * hosts, so a slow or unreachable receiver holds up neither the sources nor the other channels. A wake-up while the
 * lane is busy is coalesced into one more pass.
 *
 * <p>Error texts are stored and logged with every configured secret value taken out ({@link Secrets}).
 *
 * <p>A delivery that failed for good ({@link PermanentFailure#isPermanent}: an HTTP 4xx but 408 and 429, an SMTP
 * 5xx, a datagram too long) is given up at once and the lane goes on with its next report; only a failure that
 * may pass (a receiver down, a timeout, a 5xx) holds the lane's later reports back, to keep their order.
 *
 * <p>A channel route that fails may name how long to wait, e.g. from an HTTP 429's {@code Retry-After}: by throwing a
 * {@link RetryLater}, or by setting the header {@value #RETRY_AFTER} (seconds), which a step inside a split cannot
 * (Camel copies back only a failed part's exception); the next attempt waits at least that long.
 */
public final class OutboxDispatcher {

    public static final String CHANNEL_PREFIX = "channel-";
    public static final String REPORT_ID = "VigilReportId";
    public static final String CHANNEL = "VigilChannel";
    public static final String RETRY_AFTER = "VigilRetryAfter";
    /**
     * The exchange property holding the report with the JSON the outbox stored for it ({@link ReportJson}), which the
     * channels that send the report as JSON send as it is ({@link #json}).
     */
    public static final String REPORT_JSON = "VigilReportJson";

    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);

    /** Deliveries read from the outbox at a time; a pass reads on until the channel has nothing due. */
    private static final int PAGE = 100;
    /**
     * How long a delivery done may wait for its mark, to be marked with the next ones in one transaction: one commit
     * per delivery made the workers and the reports' writer queue for SQLite's write lock at a fleet's rates.
     */
    private static final long MARK_WITHIN_MS = 50;
    /** Findings of the reports just stored kept in memory for the channels ({@link StoredReports}). */
    private static final int HELD_FINDINGS = 10_000;

    private final CamelContext context;
    private final Outbox outbox;
    private final Backoff backoff;
    /**
     * The kafka channel's: its reports are the fleet's copy of the evidence, which an intruder with root cannot take
     * back from the collector, so a broker out of reach costs them only delay, however long (issue 11's promise); the
     * other channels give a report up after {@code vigil.alerts.retry.maxAge}.
     */
    private final Backoff kafkaBackoff;
    private final InstantSource clock;
    private final Secrets secrets;
    private final int lanes;
    private final Map<ChannelLane, ExecutorService> workers = new ConcurrentHashMap<>();
    private final Map<ChannelLane, AtomicBoolean> woken = new ConcurrentHashMap<>();
    private final Map<String, Marks> marks = new ConcurrentHashMap<>();
    private ProducerTemplate template;
    private volatile List<String> lastChannels = List.of();
    private final StoredReports stored = new StoredReports();

    /** One of a channel's lanes, the key of its worker. */
    private record ChannelLane(String channel, Outbox.Lane lane) {
    }

    /** {@code lanes}: how many reports of different hosts each channel may have in flight at once. */
    public OutboxDispatcher(CamelContext context, Outbox outbox, Backoff backoff, InstantSource clock, Secrets secrets,
                            int lanes) {
        this.context = context;
        this.outbox = outbox;
        this.backoff = backoff;
        this.kafkaBackoff = backoff.untilDelivered();
        this.clock = clock;
        this.secrets = secrets;
        this.lanes = lanes;
    }

    /**
     * Stores the report for every channel (its findings are then no longer pooled), then wakes the channels to
     * deliver everything due. While stopping, the channel routes may have stopped already: the report is stored
     * for the channels last seen running.
     */
    public void deliver(ClosedReport report) {
        deliverAll(List.of(report));
    }

    /** {@link #deliver} for reports that closed together (a collector's poll): stored in one transaction, in order. */
    public void deliverAll(List<ClosedReport> reports) {
        if (reports.isEmpty()) {
            return;
        }
        List<String> channels = channels();
        outbox.storeAll(reports, channels.isEmpty() ? lastChannels : channels, clock.instant()).forEach(stored::hold);
        wake(channels, reports.stream().map(r -> Outbox.Lane.of(r.report().host(), lanes)).distinct().toList());
    }

    /**
     * Wakes each lane of each channel that has deliveries due (a retry, the last run's backlog, a report `vigil outbox
     * retry` queued again) to send them; returns at once.
     */
    public void drain() {
        Instant now = clock.instant();
        for (String channel : channels()) {
            try {
                wake(List.of(channel), outbox.lanesDue(channel, lanes, now));
            } catch (RuntimeException e) {
                cannotWorkThrough(channel, e);
            }
        }
    }

    /**
     * The channel's receiver answered just now (the broker took the fleet heartbeat): its deliveries waiting for a
     * retry are sent now, not after the rest of their backoff (up to {@code vigil.alerts.retry.max}). After a broker
     * outage an ACCEPTED report held back so reached the collector minutes after the heartbeats showing its seal,
     * which the collector then judged unannounced: BASELINE_TAMPERED. A failure to read or write the outbox is the
     * caller's to log and try again.
     */
    public void answered(String channel) {
        Instant now = clock.instant();
        if (outbox.dueNow(channel, now) > 0) {
            wake(List.of(channel), outbox.lanesDue(channel, lanes, now));
        }
    }

    private void wake(List<String> channels, List<Outbox.Lane> which) {
        for (String channel : channels) {
            for (Outbox.Lane lane : which) {
                wake(new ChannelLane(channel, lane));
            }
        }
    }

    private void cannotWorkThrough(String channel, RuntimeException e) {
        LOG.warn("channel {}: cannot work through the outbox now: {}", channel, secrets.redact(String.valueOf(e.getMessage())));
    }

    private void wake(ChannelLane lane) {
        AtomicBoolean pending = woken.computeIfAbsent(lane, l -> new AtomicBoolean());
        if (!pending.compareAndSet(false, true)) {
            return;
        }
        try {
            worker(lane).execute(() -> {
                pending.set(false);
                try {
                    drain(lane);
                } catch (RuntimeException e) {
                    cannotWorkThrough(lane.channel(), e);
                }
            });
        } catch (RejectedExecutionException stopping) {
            // Camel is shutting its thread pools down: the rows stay pending for the next start
            pending.set(false);
        }
    }

    /** The names of the started channel routes. */
    public List<String> channels() {
        List<String> channels = context.getRoutes().stream()
                .filter(r -> r.getRouteId().startsWith(CHANNEL_PREFIX))
                .filter(r -> context.getRouteController().getRouteStatus(r.getRouteId()).isStarted())
                .map(r -> r.getRouteId().substring(CHANNEL_PREFIX.length()))
                .sorted().toList();
        if (!channels.isEmpty()) {
            lastChannels = channels;
        }
        return channels;
    }

    private void drain(ChannelLane lane) {
        Route route = context.getRoute(CHANNEL_PREFIX + lane.channel());
        if (route == null) {
            return;
        }
        List<Outbox.Delivery> due;
        do {
            due = outbox.due(lane.channel(), lane.lane(), clock.instant(), PAGE, stored::get);
            if (!send(lane.channel(), route, due)) {
                return;
            }
        } while (due.size() == PAGE);
    }

    /**
     * Sends a lane's {@code due} to the channel's route in order; false once one failed and is to be retried: the
     * lane's later reports wait behind it. The channel's deliveries done are marked together, in one transaction,
     * before the next send once the first of them began {@value #MARK_WITHIN_MS} ms ago, and when it returns.
     */
    private boolean send(String channel, Route route, List<Outbox.Delivery> due) {
        VigilMetrics metrics = metrics();
        Marks unmarked = marks.computeIfAbsent(channel, Marks::new);
        try {
            for (Outbox.Delivery d : due) {
                unmarked.markIfBegunBefore(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MARK_WITHIN_MS));
                long began = System.nanoTime();
                Exchange result = template().send(route.getEndpoint(), exchange -> {
                    exchange.getMessage().setBody(d.report());
                    exchange.setProperty(REPORT_JSON, d.stored());
                    exchange.getMessage().setHeader(REPORT_ID, d.reportId());
                    exchange.getMessage().setHeader(CHANNEL, channel);
                });
                Instant now = clock.instant();
                if (result.getException() == null) {
                    unmarked.add(new Outbox.Done(d.reportId(), now), began);
                    metrics.delivered(channel, Duration.between(d.created(), now));
                    continue;
                }
                metrics.deliveryFailed(channel);
                if (!failed(channel, d, result, now)) {
                    return false;
                }
            }
            return true;
        } finally {
            unmarked.mark();
        }
    }

    /**
     * Records a failed delivery: given up (at once if the failure is permanent, else past the retry max age, which the
     * kafka channel's have not), or
     * to be retried. True if the channel goes on with its next report, false if it waits for the retry.
     */
    private boolean failed(String channel, Outbox.Delivery d, Exchange result, Instant now) {
        String error = secrets.redact(failure(result.getException()));
        if (PermanentFailure.isPermanent(result.getException())) {
            outbox.failed(d.reportId(), channel, error, null);
            LOG.error("channel {} gave up on report {} at once, the receiver refuses it for good: {} (see `vigil outbox"
                    + " --failed`; `vigil outbox retry` sends it again)", channel, d.reportId(), error);
            return true;
        }
        Long retryAfter = result.getMessage().getHeader(RETRY_AFTER, Long.class);
        Duration wait = RetryLater.requestedBy(result.getException())
                .orElse(retryAfter == null ? Duration.ZERO : Duration.ofSeconds(retryAfter));
        Optional<Instant> next = (channel.equals(Channels.KAFKA) ? kafkaBackoff : backoff)
                .nextAttempt(d.queued(), d.attempts() + 1, now, wait);
        outbox.failed(d.reportId(), channel, error, next.orElse(null));
        if (next.isEmpty()) {
            LOG.error("channel {} gave up on report {} after {} attempts: {} (see `vigil outbox --failed`)",
                    channel, d.reportId(), d.attempts() + 1, error);
            return true;
        }
        if (d.attempts() == 0) {
            LOG.warn("channel {} failed report {}: {}; retrying until it is delivered", channel, d.reportId(), error);
        }
        return false;
    }

    private ExecutorService worker(ChannelLane lane) {
        return workers.computeIfAbsent(lane, l -> context.getExecutorServiceManager().newSingleThreadExecutor(this,
                "vigil-" + CHANNEL_PREFIX + l.channel() + (lanes == 1 ? "" : "-" + l.lane().number())));
    }

    private VigilMetrics metrics() {
        return VigilMetrics.of(context);
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        return template;
    }

    /**
     * The JSON of the report in the exchange's body: the outbox's ({@link #REPORT_JSON}) while the body is the report
     * the outbox handed over, else written anew.
     */
    public static String json(Exchange exchange) {
        Report report = exchange.getMessage().getBody(Report.class);
        ReportJson stored = exchange.getProperty(REPORT_JSON, ReportJson.class);
        return stored == null ? report.toJson() : stored.jsonOf(report);
    }

    /**
     * The report in the exchange's body as parts of at most {@code maxBytes} of JSON each ({@link ReportParts}), for a
     * channel route to split: the report itself, its JSON not written again, when it fits.
     */
    public static List<Report> parts(Exchange exchange, int maxBytes) {
        return ReportParts.of(exchange.getMessage().getBody(Report.class), json(exchange), maxBytes);
    }

    /**
     * The failure as a user reads it: the exception's message, except that a host name that does not resolve is
     * called that (the JDK's message is the bare name, which camel-mail words as "Couldn't connect to host"), and
     * that a failure inside a split (a report sent as parts) is its cause's: Camel's wrapper names the part's number
     * and exchange.
     */
    static String failure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.UnknownHostException) {
                return "unknown host " + t.getMessage() + " (the name does not resolve)";
            }
        }
        Throwable shown = e;
        while (shown instanceof CamelExchangeException && shown.getCause() != null && shown.getCause() != shown) {
            shown = shown.getCause();
        }
        return shown.getMessage() != null ? shown.getMessage() : shown.getClass().getName();
    }

    /**
     * A channel's deliveries done and not yet marked, from all its lanes, marked together in one transaction: a busy
     * channel commits about once per {@value #MARK_WITHIN_MS} ms however many lanes it has, where a mark per lane
     * would multiply the commits that queue for SQLite's one write lock with the report writer and the other
     * channels. A lane marks before it reads the outbox again; {@link #mark} waits for a mark in progress, which may
     * hold the lane's own deliveries, so the lane never reads one of them as still pending.
     */
    private final class Marks {
        private final String channel;
        private final Object marking = new Object();
        private List<Outbox.Done> done = new ArrayList<>();
        /** {@link System#nanoTime()} when the send of the oldest delivery in {@link #done} began. */
        private long oldest;

        Marks(String channel) {
            this.channel = channel;
        }

        synchronized void add(Outbox.Done delivery, long began) {
            if (done.isEmpty() || began - oldest < 0) {
                oldest = began;
            }
            done.add(delivery);
        }

        /** Marks what is unmarked if the send of the oldest of it began before {@code nanoTime}. */
        void markIfBegunBefore(long nanoTime) {
            synchronized (this) {
                if (done.isEmpty() || oldest - nanoTime >= 0) {
                    return;
                }
            }
            mark();
        }

        void mark() {
            synchronized (marking) {
                List<Outbox.Done> batch;
                synchronized (this) {
                    batch = done;
                    done = new ArrayList<>();
                }
                outbox.delivered(channel, batch);
            }
        }
    }

    /**
     * The reports this process stored last, by id, for the channel workers: a report just stored is handed on as it
     * is, not read back from the outbox and parsed again for each channel. Bounded by their findings
     * ({@value #HELD_FINDINGS}), the oldest let go first; a report let go (a channel that fell far behind, a retry,
     * the backlog of the last run) is read from the outbox as before. A LinkedHashMap in insertion order, weighed
     * by hand: the JDK's eviction hook can only count entries, and a report may hold one finding or a burst's
     * thousands.
     */
    private static final class StoredReports {
        private final LinkedHashMap<String, ReportJson> reports = new LinkedHashMap<>();
        private long findings;

        synchronized void hold(ReportJson stored) {
            int size = stored.report().findings().size();
            if (size > HELD_FINDINGS) {
                return;
            }
            reports.put(stored.report().id(), stored);
            findings += size;
            var oldest = reports.values().iterator();
            while (findings > HELD_FINDINGS) {
                findings -= oldest.next().report().findings().size();
                oldest.remove();
            }
        }

        synchronized ReportJson get(String id) {
            return reports.get(id);
        }
    }
}

package dev.vigil.camel.daemon;

import dev.vigil.fim.BaselineStore;
import dev.vigil.store.BaselineSeal;
import dev.vigil.store.HeartbeatSeal;
import dev.vigil.store.StoreException;

import dev.vigil.alert.FleetRecord;
import dev.vigil.alert.Heartbeat;
import dev.vigil.alert.Source;
import dev.vigil.alert.WebhookSigner;
import dev.vigil.camel.SourceConsumer;
import dev.vigil.camel.channel.Channels;
import dev.vigil.camel.channel.KafkaDelivery;
import dev.vigil.camel.channel.OutboxDispatcher;
import dev.vigil.config.Version;
import dev.vigil.source.RepeatedFailure;
import dev.vigil.store.Outbox;
import dev.vigil.store.SqliteBaseline;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Route;
import org.apache.camel.util.ObjectHelper;
import org.apache.kafka.common.errors.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code heartbeats} bean of the fleet-heartbeat route: what this host tells the fleet it is doing
 * ({@link Heartbeat}), as a signed record for camel-kafka, and a failed send logged as a repeated failure (a line
 * a minute) rather than a stack trace per beat. A heartbeat is not kept: a missed one is simply followed by the
 * next, and it shares nothing with the reports but the host's key.
 */
public final class Heartbeats {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);
    /** How the files may be watched, best first: a heartbeat names the best that runs. */
    private static final List<String> FILE_MODES = List.of("fanotify", "inotify", "trickle", "scan");

    private final CamelContext context;
    private final String host;
    private final WebhookSigner signer;
    private final Outbox outbox;
    private final SqliteBaseline baseline;
    private final Instant startedAt = Instant.now();
    private final RepeatedFailure failures = new RepeatedFailure(LOG, "sending the heartbeat");
    private final RepeatedFailure retriesFailures = new RepeatedFailure(LOG,
            "bringing the kafka channel's retries forward (the broker is back)");
    private final RepeatedFailure sealFailures = new RepeatedFailure(LOG, "keeping the seal the heartbeat shows");
    /**
     * Whether the kafka channel's retries are still to be brought forward: at the start of a run, and after heartbeats
     * failed, until it is done (the timer's one thread reads and writes it).
     */
    private boolean answerOwed = true;
    /** The seal the last heartbeat showed, kept in the store: shown again while its successor's announcement waits. */
    private final HeartbeatSeal shownSeal;
    /** The seal the last heartbeat showed this run (null before the first, unless read from {@link #shownSeal}). */
    private Heartbeat.Seal shown;
    /** Whether {@link #shownSeal} holds {@link #shown}. */
    private boolean shownKept;

    public Heartbeats(CamelContext context, String host, WebhookSigner signer, Outbox outbox, SqliteBaseline baseline,
                      HeartbeatSeal shownSeal) {
        this.context = context;
        this.host = host;
        this.signer = signer;
        this.outbox = outbox;
        this.baseline = baseline;
        this.shownSeal = shownSeal;
    }

    /** The message of the next heartbeat: its JSON, with the fleet's headers. */
    public void next(Exchange exchange) {
        Heartbeat beat = heartbeat(Instant.now());
        String value = beat.toJson();
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        FleetRecord.headers(signer, beat.id(), host, value, beat.sentAt()).forEach(m::setHeader);
        m.setBody(value);
    }

    /**
     * The broker took the heartbeat. The first this run, or the first after heartbeats failed (the broker back after
     * an outage), sends the kafka channel's reports waiting for a retry now; not every one, so a report the broker
     * refuses while it takes heartbeats (a topic's ACL, say) keeps its backoff.
     */
    public void sent() {
        if (failures.succeeded() > 0) {
            answerOwed = true;
        }
        if (answerOwed) {
            try {
                outboxDispatcher().answered(Channels.KAFKA);
                answerOwed = false;
                retriesFailures.succeeded();
            } catch (RuntimeException e) {
                retriesFailures.failed(e);
            }
        }
    }

    /**
     * The heartbeat could not be sent (the route's exception): logged, and the next one is sent on time; after a
     * refused login with a new Kafka client (see {@link KafkaDelivery}).
     */
    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        failures.failed(e);
        if (ObjectHelper.getException(AuthenticationException.class, e) != null) {
            KafkaDelivery.renewClient(exchange);
        }
    }

    Heartbeat heartbeat(Instant now) {
        Map<String, Long> backlog = new TreeMap<>();
        outboxDispatcher().channels().forEach(channel -> backlog.put(channel, 0L));
        outbox.channels().forEach(c -> backlog.put(c.channel(), c.backlog()));
        return new Heartbeat(host, Version.VERSION, startedAt, now, Duration.between(startedAt, now).toSeconds(),
                sources(), baseline.lastCheck().orElse(null), backlog, seal());
    }

    private OutboxDispatcher outboxDispatcher() {
        return context.getRegistry().lookupByNameAndType(DaemonConfiguration.OUTBOX, OutboxDispatcher.class);
    }

    /**
     * The seal of the baseline as the store keeps it, with when a full check last verified it (null: not yet); but the
     * seal the last heartbeat showed while an ACCEPTED announcing a new one has yet to reach the broker (pooled for its
     * report, or waiting for the kafka channel: {@link Outbox#announcementWaiting}). A collector judges a new seal that
     * no announcement follows within its tolerance as tampering: a report pool held off for minutes, or a reports
     * partition out of reach while the heartbeats' is not, would otherwise make the owner's own accept a
     * BASELINE_TAMPERED. A change behind Vigil's back meanwhile is still found once the announcement is sent, as a seal
     * nobody announced. The seal is read before the look for an announcement: the change and its ACCEPTED are one
     * transaction, so a seal read new has its announcement seen, unless it has reached the broker. The seal shown is
     * kept in the store, so a restart while an announcement waits shows it too (until session 33 a restart showed the
     * new seal at once); it is not derived from the waiting ACCEPTED, whose seal before may be one no heartbeat showed
     * (two accepts in one holdoff, the first sent).
     */
    private Heartbeat.Seal seal() {
        BaselineStore.SealState state = context.getRegistry()
                .lookupByNameAndType(DaemonConfiguration.BASELINE_SEAL, BaselineSeal.class).current();
        if (outbox.announcementWaiting(Channels.KAFKA)) {
            if (shown == null) {
                shown = shownSeal.last().orElse(null);
                shownKept = true;
            }
            if (shown != null) {
                keepShown();
                return shown;
            }
        }
        Heartbeat.Seal now = new Heartbeat.Seal(state.seal().value(), state.seal().rows(), state.verified());
        if (!now.equals(shown)) {
            shown = now;
            shownKept = false;
        }
        keepShown();
        return shown;
    }

    /**
     * Keeps the seal shown in the store if it is not yet: a failure (a full disk) is logged and the heartbeat goes out
     * all the same, as a host whose disk is full must not look silent; the next heartbeat tries again, whether or not an
     * announcement waits by then.
     */
    private void keepShown() {
        if (shownKept) {
            return;
        }
        try {
            shownSeal.shown(shown);
            shownKept = true;
            sealFailures.succeeded();
        } catch (StoreException e) {
            sealFailures.failed(e);
        }
    }

    /** files: the best way the started routes watch the files, or off; logs and pids: on or off. */
    private Map<String, String> sources() {
        Map<String, String> modes = new TreeMap<>();
        for (Source s : List.of(Source.FILES, Source.LOGS, Source.PIDS)) {
            modes.put(s.text(), "off");
        }
        for (Route route : context.getRoutes()) {
            if (!(route.getConsumer() instanceof SourceConsumer source)
                    || !context.getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                continue;
            }
            String mode = source.mode();
            if (mode.isEmpty()) {
                continue;
            }
            modes.merge(source.source().text(), mode, Heartbeats::better);
        }
        return modes;
    }

    private static String better(String a, String b) {
        int ra = FILE_MODES.indexOf(a.toLowerCase(Locale.ROOT));
        int rb = FILE_MODES.indexOf(b.toLowerCase(Locale.ROOT));
        if (ra < 0) {
            return b;
        }
        return rb >= 0 && rb < ra ? b : a;
    }
}

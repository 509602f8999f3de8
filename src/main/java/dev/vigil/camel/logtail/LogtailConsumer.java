package dev.vigil.camel.logtail;

import dev.vigil.alert.Source;
import dev.vigil.camel.Announced;
import dev.vigil.camel.Consumers;
import dev.vigil.source.Supervisor;
import dev.vigil.camel.Beans;

import dev.vigil.alert.Finding;
import dev.vigil.logcheck.GrepLocale;
import dev.vigil.logcheck.LiveRules;
import dev.vigil.logcheck.LogFindings;
import dev.vigil.logcheck.LogGroup;
import dev.vigil.logcheck.LogTail;
import dev.vigil.store.Database;
import dev.vigil.store.LogOffsetStore;
import dev.vigil.store.RuleStatsStore;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Per poll, for each log group: reloads its rules if they changed, reads the new lines, classifies them as one
 * batch, sends the findings, and only then saves how far the files were read, so a crash repeats lines
 * rather than losing them. Runs on Camel's scheduler thread, one poll at a time (the rule matchers are not
 * thread-safe), under a {@link Supervisor}: a poll that fails is tried again after a backoff, from the saved
 * offsets.
 */
final class LogtailConsumer extends ScheduledPollConsumer implements Announced {

    private static final Logger LOG = LoggerFactory.getLogger(LogtailConsumer.class);

    /** Bytes read per batch: a backlog after a long stop is worked through in batches of this size. */
    private static final long BATCH_BYTES = 1 << 20;

    private final LogtailEndpoint endpoint;
    private final List<Group> groups = new ArrayList<>();
    private RuleStatsStore stats;
    private String host;
    private Supervisor supervisor;

    private record Rotation(Path file, String how) {}

    private final class Group {
        final LogGroup group;
        final LiveRules rules;
        final LogTail tail;
        final List<Rotation> rotations = new ArrayList<>();

        Group(LogGroup group, Database db) {
            this.group = group;
            String label = "logtail:" + group.name() + ": ";
            this.rules = new LiveRules(group.base(), group.local(), group.crackingIgnore(), GrepLocale.current(),
                    Duration.ofSeconds(endpoint.getRulesFreshness()), Clock.systemUTC(), m -> LOG.warn("{}{}", label, m));
            this.tail = new LogTail(group.files(), new LogOffsetStore(db, group.name(), Clock.systemUTC()),
                    new LogTail.Listener() {
                        @Override
                        public void rotated(Path file, String how) {
                            LOG.info("{}{} was rotated ({})", label, file, how);
                            rotations.add(new Rotation(file, how));
                        }

                        @Override
                        public void warn(Path file, String message) {
                            LOG.warn("{}{}", label, message);
                        }
                    }, true, BATCH_BYTES, endpoint.getMaxLine());
        }
    }

    LogtailConsumer(LogtailEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        supervisor = new Supervisor("logtail:" + endpoint.getName());
        Database db = Beans.database(endpoint.getCamelContext());
        host = endpoint.getHost() != null ? endpoint.getHost() : Beans.host(endpoint.getCamelContext());
        stats = new RuleStatsStore(db, Clock.systemUTC());
        for (LogGroup g : endpoint.groups()) {
            if (g.files().isEmpty()) {
                LOG.info("logtail:{}: no log files configured; nothing to follow", g.name());
                continue;
            }
            Group group = new Group(g, db);
            stats.seen(group.rules.localRules());
            groups.add(group);
        }
        super.doStart();
    }

    /**
     * Waits for a poll in progress (stopping the scheduler does not), so its offsets are saved for the lines it
     * sent and nothing touches the files or the database after the stop.
     */
    @Override
    protected void doStop() throws Exception {
        if (supervisor != null) {
            supervisor.stop();
        }
        super.doStop();
        synchronized (groups) {
            groups.forEach(g -> g.tail.close());
            groups.clear();
        }
    }

    @Override
    protected int poll() {
        synchronized (groups) {
            return supervisor.run(this::pollGroups).orElse(0);
        }
    }

    private int pollGroups() {
        int sent = 0;
        for (Group g : groups) {
            if (g.rules.refresh()) {
                stats.seen(g.rules.localRules());
            }
            do {
                List<LogTail.Line> lines = g.tail.read();
                if (!lines.isEmpty()) {
                    LiveRules.Result result = g.rules.classify(lines.stream().map(LogTail.Line::text).toList());
                    Instant now = Instant.now();
                    for (int i = 0; i < lines.size(); i++) {
                        for (Finding f : LogFindings.of(result.verdicts().get(i), lines.get(i), host, now)) {
                            Consumers.send(this, f);
                            sent++;
                        }
                    }
                    stats.record(result.localHits());
                }
                if (endpoint.isRotationAlert()) {
                    for (Rotation r : g.rotations) {
                        Consumers.send(this, LogFindings.rotated(r.file(), r.how(), host, Instant.now()));
                        sent++;
                    }
                }
                g.rotations.clear();
                g.tail.commit();
            } while (g.tail.behind() && isRunAllowed());
        }
        return sent;
    }

    @Override
    public Source source() {
        return Source.LOGS;
    }

    @Override
    public String announcement() {
        int files = groups.stream().mapToInt(g -> g.group.files().size()).sum();
        return files == 0 ? "" : "following " + files + (files == 1 ? " log" : " logs");
    }
}

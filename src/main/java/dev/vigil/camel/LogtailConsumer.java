package dev.vigil.camel;

import dev.vigil.alert.Details;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Truncated;
import dev.vigil.logcheck.GrepLocale;
import dev.vigil.logcheck.LiveRules;
import dev.vigil.logcheck.LogGroup;
import dev.vigil.logcheck.LogLines;
import dev.vigil.logcheck.LogTail;
import dev.vigil.logcheck.Section;
import dev.vigil.logcheck.Verdict;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per poll, for each log group: reloads its rules if they changed, reads the new lines, classifies them as one
 * batch, sends the findings, and only then saves how far the files were read, so a crash repeats lines
 * rather than losing them. Runs on Camel's scheduler thread, one poll at a time (the rule matchers are not
 * thread-safe), under a {@link Supervisor}: a poll that fails is tried again after a backoff, from the saved
 * offsets.
 */
final class LogtailConsumer extends ScheduledPollConsumer {

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
                        for (Finding f : findings(result.verdicts().get(i), lines.get(i), now)) {
                            Consumers.send(this, f);
                            sent++;
                        }
                    }
                    stats.record(result.localHits());
                }
                if (endpoint.isRotationAlert()) {
                    for (Rotation r : g.rotations) {
                        Consumers.send(this, new Finding("logs", "ROTATED", r.file().toString(), host, Instant.now(),
                                Severity.INFO, Map.of(Details.LOGFILE, r.file().toString(), "rotation", r.how())));
                        sent++;
                    }
                }
                g.rotations.clear();
                g.tail.commit();
            } while (g.tail.behind() && isRunAllowed());
        }
        return sent;
    }

    /**
     * The findings of one line: none when ignored, one per subsection for alerts and events. The subject is the
     * line as UTF-8 text; a line cut at {@code maxLine} ends with a marker and carries its whole length.
     */
    private List<Finding> findings(Verdict v, LogTail.Line line, Instant now) {
        if (v.section() == Section.IGNORED) { // most lines: not made into text at all
            return List.of();
        }
        String subject = LogLines.shown(v.line()) + (line.truncated() ? Truncated.marker(line.length()) : "");
        return switch (v.section()) {
            case IGNORED -> List.of();
            case SYSTEM -> List.of(new Finding("logs", "SYSTEM_EVENT", subject, host, now, Severity.NOTICE,
                    details(line, Details.SYSTEM_EVENTS, null)));
            case ALERT -> v.subsections().stream().map(s -> new Finding("logs", "SECURITY_ALERT", subject, host, now,
                    Severity.CRITICAL, details(line, Details.SECURITY_ALERTS, s))).toList();
            case EVENT -> v.subsections().stream().map(s -> new Finding("logs", "SECURITY_EVENT", subject, host, now,
                    Severity.WARNING, details(line, Details.SECURITY_EVENTS, s))).toList();
        };
    }

    private static Map<String, Object> details(LogTail.Line line, String section, String rulefile) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(Details.SECTION, section);
        if (rulefile != null) {
            d.put(Details.RULEFILE, rulefile);
        }
        d.put(Details.LOGFILE, line.file().toString());
        if (line.truncated()) {
            d.put(Details.TRUNCATED, line.length());
        }
        return d;
    }
}

package dev.vigil.camel.logtail;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Source;
import dev.vigil.camel.SourceConsumer;
import dev.vigil.camel.Beans;
import dev.vigil.camel.Consumers;
import dev.vigil.camel.SupervisedPollConsumer;
import dev.vigil.camel.status.VigilMetrics;
import dev.vigil.logcheck.GrepLocale;
import dev.vigil.logcheck.LiveRules;
import dev.vigil.logcheck.LogFindings;
import dev.vigil.logcheck.LogGroup;
import dev.vigil.logcheck.LogTail;
import dev.vigil.logcheck.Section;
import dev.vigil.os.Proc;
import dev.vigil.store.DaemonStatus;
import dev.vigil.store.Database;
import dev.vigil.store.LogOffsetStore;
import dev.vigil.store.RuleStatsStore;
import dev.vigil.text.Printable;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per poll, for each log group: reloads its rules if they changed, reads the new lines, classifies them in
 * batches (the groups taking turns), sends the findings, and only then saves how far the files were read, so a
 * crash repeats lines rather than losing them. Runs on Camel's scheduler thread, one poll at a time (the rule matchers are not
 * thread-safe); a poll that fails is tried again after a backoff ({@link SupervisedPollConsumer}), from the
 * point the group's files reached: a batch whose finding the route did not take (the event history on a full disk) is
 * rewound to the last commit ({@link LogTail#rewind}), so its lines are read again rather than passed over; one that
 * failed otherwise (its lines themselves: no line can stop the source) is passed over as it was read, and committed
 * so. The stop waits for a poll in progress, so its offsets are saved for the lines it sent.
 */
final class LogtailConsumer extends SupervisedPollConsumer implements SourceConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(LogtailConsumer.class);

    /** Bytes read per batch: a backlog after a long stop is worked through in batches of this size. */
    private static final long BATCH_BYTES = 1 << 20;

    private final LogtailEndpoint endpoint;
    /** The groups followed; the status reads them from another thread, so the list is replaced, never changed. */
    private volatile List<Group> groups = List.of();
    private RuleStatsStore stats;
    private String host;

    private record Rotation(Path file, String how) {}

    private final class Group {
        final LogGroup group;
        final LiveRules rules;
        final LogTail tail;
        final LogOffsetStore offsets;
        final List<Rotation> rotations = new ArrayList<>();

        Group(LogGroup group, Database db) {
            this.group = group;
            String label = "logtail:" + group.name() + ": ";
            this.rules = new LiveRules(group.base(), group.local(), group.crackingIgnore(), Proc.effectiveUid() == 0,
                    GrepLocale.current(),
                    Duration.ofSeconds(endpoint.getRulesFreshness()), Clock.systemUTC(), m -> LOG.warn("{}{}", label, m));
            this.offsets = new LogOffsetStore(db, group.name(), Clock.systemUTC());
            this.tail = new LogTail(group.files(), offsets,
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
        super(endpoint, processor, "logtail:" + endpoint.getName());
        this.endpoint = endpoint;
    }

    @Override
    protected void prepare() {
        Database db = Beans.database(endpoint.getCamelContext());
        host = endpoint.host();
        stats = new RuleStatsStore(db, Clock.systemUTC());
        List<Group> followed = new ArrayList<>();
        for (LogGroup g : endpoint.groups()) {
            if (g.files().isEmpty()) {
                LOG.info("logtail:{}: no log files configured; nothing to follow", g.name());
                continue;
            }
            Group group = new Group(g, db);
            stats.seen(group.rules.localRules());
            followed.add(group);
        }
        groups = List.copyOf(followed);
    }

    @Override
    protected void release() {
        groups.forEach(g -> g.tail.close());
        groups = List.of();
    }

    /**
     * Takes every group in turns of one batch each, until none is behind: a group working through a backlog (a log
     * flooded, or grown while Vigil was stopped) holds another group's new lines back by one batch, not by its
     * whole backlog. (Until session 32 a group that had caught up left the turns, and its lines written meanwhile
     * waited for the whole backlog of the other.) A group whose batch fails leaves the turns for this poll, the others
     * read on; the poll then fails with the first failure, for the supervisor to try again after its backoff.
     */
    @Override
    protected int check() {
        int sent = 0;
        for (Group g : groups) {
            if (g.rules.refresh()) {
                stats.seen(g.rules.localRules());
            }
        }
        RuntimeException failed = null;
        List<Group> failing = new ArrayList<>();
        boolean behind;
        do {
            behind = false;
            for (Group g : groups) {
                if (failing.contains(g)) {
                    continue;
                }
                try {
                    sent += readBatch(g);
                    behind |= g.tail.behind();
                } catch (RuntimeException e) {
                    failing.add(g);
                    failed = failed == null ? e : failed;
                }
            }
        } while (behind && isRunAllowed());
        if (failed != null) {
            throw failed;
        }
        return sent;
    }

    /**
     * Reads, classifies and sends one batch of the group's new lines, then saves how far it read. A finding the route
     * does not take rewinds the group's files to the last commit and fails the poll: the supervisor tries again after
     * its backoff, and the batch is read again (the findings the route took are sent again: a line is repeated, never
     * lost; the source waits as long as the route refuses, the event history's disk full, say).
     */
    private int readBatch(Group g) {
        int sent = 0;
        List<LogTail.Line> lines = g.tail.read();
        try {
            if (!lines.isEmpty()) {
                LiveRules.Result result = g.rules.classify(lines.stream().map(LogTail.Line::text).toList());
                Instant now = Instant.now();
                for (int i = 0; i < lines.size(); i++) {
                    for (Finding f : LogFindings.of(result.verdicts().get(i), lines.get(i), host, now)) {
                        sent += taken(g, f, lines.get(i).file());
                    }
                }
                countLines(result);
                stats.record(result.localHits());
            }
            if (endpoint.isRotationAlert()) {
                for (Rotation r : g.rotations) {
                    sent += taken(g, LogFindings.rotated(r.file(), r.how(), host, Instant.now()), r.file());
                }
            }
        } catch (Refused refused) {
            throw refused;
        } catch (RuntimeException e) {
            // passed over as read, and saved so: a later refusal's rewind must not come back to it
            g.rotations.clear();
            try {
                g.tail.commit();
            } catch (RuntimeException notSaved) {
                e.addSuppressed(notSaved);
            }
            throw e;
        }
        g.rotations.clear();
        g.tail.commit();
        return sent;
    }

    /** A finding the route did not take: the group's files were rewound, to read the batch again. */
    private static final class Refused extends IllegalStateException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * Sends the finding through the route; 1 if it took it, else the group's files rewound and a failure naming the log
     * (not the line, which the status would show: the route's own failure is logged by the send).
     */
    private int taken(Group g, Finding f, Path log) {
        if (!Consumers.send(this, f)) {
            g.tail.rewind();
            throw new Refused("logtail:" + g.group.name() + ": the route did not take a finding of a line of "
                    + Printable.of(log.toString()) + " (its failure is logged above); the lines read since the last"
                    + " commit are read again");
        }
        return 1;
    }

    private void countLines(LiveRules.Result result) {
        Map<Section, Long> bySection = new EnumMap<>(Section.class);
        result.verdicts().forEach(v -> bySection.merge(v.section(), 1L, Long::sum));
        VigilMetrics metrics = VigilMetrics.of(endpoint.getCamelContext());
        bySection.forEach(metrics::logLines);
    }

    /** Per group: its files with how far each was read (as saved), and its rules; failing while a rule tree cannot be read. */
    @Override
    public DaemonStatus.SourceStatus status() {
        List<Map<String, Object>> described = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Group g : groups) {
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("group", g.group.name());
            Map<Path, LogTail.Position> saved = g.offsets.load();
            Map<String, Object> files = new LinkedHashMap<>();
            for (Path file : g.group.files()) {
                files.put(file.toString(), Optional.ofNullable(saved.get(file)).map(LogTail.Position::offset).orElse(null));
            }
            group.put("files", files);
            LiveRules.State rules = g.rules.state();
            group.put("rules", rules.rules());
            group.put("invalidRules", rules.invalidRules());
            described.add(group);
            rules.unreadableTrees().forEach(t -> problems.add(g.group.name() + ": " + t));
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("filesFollowed", described.stream().mapToInt(g -> ((Map<?, ?>) g.get("files")).size()).sum());
        facts.put("groups", described);
        return Consumers.status(this, supervisor(), problems.isEmpty() ? null : String.join("; ", problems), facts);
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

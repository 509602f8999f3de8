package dev.vigil.camel.fswatch;

import dev.vigil.alert.Source;
import dev.vigil.source.Supervisor;
import dev.vigil.camel.SourceConsumer;
import dev.vigil.camel.Consumers;
import dev.vigil.store.DaemonStatus;
import dev.vigil.source.RepeatedFailure;
import dev.vigil.camel.Beans;
import dev.vigil.camel.FileAreas;
import dev.vigil.fim.ProblemSummary;
import dev.vigil.fim.UncoveredTrickle;
import dev.vigil.watch.Attribution;
import dev.vigil.watch.FileEventVerifier;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.fim.Change;
import dev.vigil.fim.ChangeFindings;
import dev.vigil.fim.FileKind;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.PathGlobs;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ReportedDeviations;
import dev.vigil.fim.ScanOptions;
import dev.vigil.fim.Trickle;
import dev.vigil.os.PathBytes;
import dev.vigil.os.Proc;
import dev.vigil.store.Database;
import dev.vigil.store.FileEventHistory;
import dev.vigil.store.SqliteBaseline;
import dev.vigil.watch.Debouncer;
import dev.vigil.watch.FileEvent;
import dev.vigil.watch.NativeWatcher;
import dev.vigil.watch.WatchException;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link NativeWatcher} and one worker on Camel's executor service. The watcher's reader thread only
 * queues events; the worker takes them in batches and hands each batch to a {@link FileEventVerifier}, whose
 * findings go into the route one by one. The watcher is started before the start-up check, so a change made
 * during that check is in the queue when the check ends, not lost in between.
 */
public final class FswatchConsumer extends DefaultConsumer implements SourceConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(FswatchConsumer.class);
    /** Events taken per batch: one transaction of the event history each. */
    private static final int BATCH = 4096;
    /** The longest the worker sleeps with nothing held, so a stop is noticed soon. */
    private static final long IDLE_WAIT_MILLIS = 500;
    /** Verification per batch before the worker goes back to store what the watcher queued meanwhile. */
    private static final Duration VERIFY_BUDGET = Duration.ofMillis(250);
    private static final long VERIFY_AT_LEAST_EVERY = Duration.ofSeconds(1).toNanos();
    public static final String UNWATCHED_CHECK = "trickle over directories without a kernel watch";

    private final FswatchEndpoint endpoint;
    private volatile NativeWatcher watcher;
    private FileEventVerifier verifier;
    private ExecutorService worker;
    private volatile boolean stopping;
    private Supervisor supervisor;
    /** Whether the worker began its start-up check: a worker restarted by the supervisor does not repeat it. */
    private boolean startupChecked;
    private String host;
    private List<Path> areas;
    private UncoveredTrickle uncovered;
    private ExecutorService uncoveredChecker;
    /** How many directories were without a watch when last looked; the worker thread's own. */
    private int knownUncovered;
    private boolean uncoveredReported;

    FswatchConsumer(FswatchEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String who = "fswatch:" + endpoint.getName();
        Database db = Beans.database(endpoint.getCamelContext());
        FileAreas configuration = endpoint.getConfiguration();
        ScanOptions options = configuration.scanOptions(endpoint.getCamelContext());
        PathPolicy policy = configuration.pathPolicy(endpoint.getCamelContext());
        String host = Beans.host(endpoint.getCamelContext(), endpoint.getHost());
        Integrity integrity = new Integrity(new SqliteBaseline(db, host), options, policy);
        List<Path> areas = new ArrayList<>();
        for (String area : configuration.areaList()) {
            Path root = Path.of(area).toAbsolutePath().normalize();
            if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                areas.add(root);
            } else {
                LOG.warn("{}: {} does not exist and is not watched (the scheduled check looks for it)", who, root);
            }
        }
        if (areas.isEmpty()) {
            LOG.warn("{}: no area to watch", who);
            return;
        }
        ProblemSummary problems = new ProblemSummary(Beans.problemsSaid(endpoint.getCamelContext()));
        try {
            Consumers.baselineMissing(db, integrity, areas, problems, who);
        } catch (InterruptedException e) {
            // The daemon is stopping (and the stop's interrupt was answered): the rest of the start runs on to it.
            return;
        }
        problems.log(who);
        PathGlobs critical = configuration.criticalGlobs();
        verifier = new FileEventVerifier(endpoint.getName(), integrity, new FileEventHistory(db, Beans.historyMaxRows(endpoint.getCamelContext())),
                options.excludes(), critical, host, areas,
                new Debouncer(endpoint.debounceQuiet(), endpoint.debounceLimit(), Clock.systemUTC()), VERIFY_BUDGET,
                (finding, marks) -> Consumers.send(this, finding, marks));
        verifier.shareProblemsSaid(Beans.problemsSaid(endpoint.getCamelContext()));
        watcher = new NativeWatcher(endpoint.watchOptions(areas, Beans.ownFiles(endpoint.getCamelContext())));
        watcher.start();
        this.host = host;
        this.areas = areas;
        uncovered = new UncoveredTrickle(who, watcher::uncovered, new SqliteBaseline(db), endpoint.uncoveredTrickle(options, policy),
                uncoveredListener(integrity.reported(), critical, host));
        knownUncovered = 0;
        uncoveredReported = false;
        uncoveredChecker = endpoint.getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, who + "-unwatched");
        uncoveredChecker.submit(uncovered);
        stopping = false;
        startupChecked = false;
        supervisor = new Supervisor(who);
        worker = endpoint.getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, who);
        worker.submit(() -> supervisor.run(this::work));
    }

    /** Whether this watch runs and tells the process of each event (fanotify). */
    public boolean attributes() {
        NativeWatcher w = watcher;
        return isStarted() && w != null && w.active() == NativeWatcher.Active.FANOTIFY;
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        if (supervisor != null) {
            supervisor.stop();
        }
        if (watcher != null) {
            watcher.stop();
        }
        if (uncoveredChecker != null) {
            uncovered.stop();
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(uncoveredChecker, 10_000);
            uncoveredChecker = null;
        }
        if (worker != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(worker, 10_000);
            worker = null;
        }
        super.doStop();
    }

    /**
     * The worker, under {@link #supervisor}: a batch that fails is logged and left (the events are in the
     * history; a later event or check finds the change again); a watch reader that failed is restarted here,
     * and while it cannot be, the supervisor's backoff spaces the attempts.
     */
    private Void work() throws WatchException {
        if (!startupChecked) {
            startupChecked = true;
            verifier.startupCheck();
        }
        noticeUncovered();
        BlockingQueue<FileEvent> queue = watcher.events();
        // A full disk fails every batch; its events are lost, checked for when the database takes them again.
        RepeatedFailure batchFailures = new RepeatedFailure(LOG, "fswatch:" + endpoint.getName() + ": storing and verifying events");
        List<FileEvent> batch = new ArrayList<>(BATCH);
        long lastVerified = System.nanoTime();
        while (!stopping) {
            if (watcher.failure() != null) {
                watcher.restart();
                supervisor.succeeded();
            }
            long wait = verifier.untilNextDue().map(Duration::toMillis).map(ms -> Math.min(ms, IDLE_WAIT_MILLIS))
                    .orElse(IDLE_WAIT_MILLIS);
            batch.clear();
            try {
                FileEvent first = queue.poll(wait, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            noticeUncovered();
            try {
                // While the watcher's queue is long (a burst), only store: raw events first, so none is dropped.
                // Verification still gets a turn every second, so findings are late in a long burst, not starved.
                if (queue.size() >= BATCH && System.nanoTime() - lastVerified < VERIFY_AT_LEAST_EVERY) {
                    verifier.record(batch);
                } else {
                    verifier.accept(batch, watcher::behind);
                    lastVerified = System.nanoTime();
                }
                long failed = batch.isEmpty() ? 0 : batchFailures.succeeded();
                if (failed > 0) {
                    verifier.eventsLost(failed + " batches of events were lost: the database could not store them"
                            + " (a full disk, or the failure logged before it)");
                }
            } catch (RuntimeException e) {
                batchFailures.failed(e);
            }
        }
        return null;
    }

    /**
     * When more directories are left without a kernel watch than before (at start, or a directory created after
     * the limit was reached): the trickle over them starts again with all of them, and the first time one
     * finding says so, naming the sysctl to raise.
     */
    private void noticeUncovered() {
        int n = watcher.uncoveredCount();
        if (n == knownUncovered) {
            return;
        }
        knownUncovered = n;
        uncovered.grown();
        if (uncoveredReported) {
            return;
        }
        uncoveredReported = true;
        List<Path> dirs = watcher.uncovered();
        String why = watcher.active() == NativeWatcher.Active.INOTIFY
                ? "the inotify watch limit was reached (fs.inotify.max_user_watches is " + Objects.requireNonNullElse(Proc.sysctl("fs/inotify/max_user_watches"), "unknown")
                + "): raise it with 'sysctl fs.inotify.max_user_watches=N', N above the number of directories watched"
                : "fanotify could not mark a file system mounted inside the areas";
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("message", dirs.size() + " directories have no kernel watch: " + why);
        d.put("uncovered", dirs.size());
        d.put("examples", dirs.subList(0, Math.min(5, dirs.size())).stream().map(p -> PathBytes.escape(PathBytes.of(p))).toList());
        d.put("checked", "continuously by a trickle over those directories, and by the scheduled check");
        String subject = String.join(",", areas.stream().map(p -> PathBytes.escape(PathBytes.of(p))).toList());
        LOG.warn("fswatch:{}: {}; they are checked by a trickle instead, e.g. {}", endpoint.getName(), d.get("message"), d.get("examples"));
        Consumers.send(this, new Finding(ChangeFindings.SOURCE, FileKind.UNWATCHED.name(), subject, host, Instant.now(), Severity.WARNING, d));
    }

    /** What the trickle over unwatched directories finds, reported once each as the other checks do. */
    private Trickle.Listener uncoveredListener(ReportedDeviations reported, PathGlobs critical, String host) {
        return new Trickle.Listener() {
            @Override
            public void change(Change change, String remembered) {
                reported.fresh(change, remembered).ifPresent(mark -> {
                    Severity severity = critical.matches(change.path()) ? Severity.CRITICAL : Severity.WARNING;
                    Consumers.send(FswatchConsumer.this, Attribution.byEvent(
                            ChangeFindings.toFinding(change, host, Instant.now(), severity), null, UNWATCHED_CHECK), List.of(mark));
                });
            }

            @Override
            public void unchanged(byte[] path, String remembered) {
                reported.reverted(path, remembered).ifPresent(mark -> Consumers.send(FswatchConsumer.this, Attribution.byEvent(
                        ChangeFindings.reverted(path, host, Instant.now()), null, UNWATCHED_CHECK), List.of(mark)));
            }

            @Override
            public void problem(byte[] path, String message) {
                LOG.debug("fswatch:{}: {}: {}", endpoint.getName(), PathBytes.escape(path), message);
            }
        };
    }

    @Override
    public DaemonStatus.SourceStatus status() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("check", "watch");
        NativeWatcher w = watcher;
        List<Path> watched = areas;
        facts.put("areas", watched == null ? List.of() : watched.stream().map(Path::toString).toList());
        String problem = null;
        if (w != null) {
            facts.put("mode", mode());
            facts.put("queueDepth", w.queueDepth());
            facts.put("eventsDropped", w.dropped());
            facts.put("eventsCoalesced", w.coalesced());
            facts.put("overflows", w.overflows());
            facts.put("unwatchedDirectories", w.uncoveredCount());
            problem = w.failure() == null ? null : "the watch's reader failed: " + w.failure().getMessage();
        } else if (isStarted()) {
            problem = "no area to watch";
        }
        return Consumers.status(this, supervisor, problem, facts);
    }

    @Override
    public Source source() {
        return Source.FILES;
    }

    /** The trickle over directories without a kernel watch, whenever it has some. */
    @Override
    public Set<String> trickles() {
        return Set.of(UncoveredTrickle.name("fswatch:" + endpoint.getName()));
    }

    /** fanotify or inotify, whichever the running watch uses; empty before it runs. */
    @Override
    public String mode() {
        NativeWatcher w = watcher;
        return isStarted() && w != null ? w.active().name().toLowerCase(Locale.ROOT) : "";
    }

    @Override
    public String announcement() {
        List<Path> watched = areas;
        NativeWatcher w = watcher;
        if (watched == null || watched.isEmpty() || w == null) {
            return "";
        }
        return "watching " + watched + (w.active() == NativeWatcher.Active.FANOTIFY ? " (fanotify, with processes)" : " (inotify)");
    }
}

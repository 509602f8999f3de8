package dev.vigil.watch;

import dev.vigil.fim.ProblemSummary;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.fim.Change;
import dev.vigil.fim.ChangeFindings;
import dev.vigil.fim.ChangeKind;
import dev.vigil.fim.Excludes;
import dev.vigil.fim.FileKind;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.PathGlobs;
import dev.vigil.fim.ReportMark;
import dev.vigil.fim.ScanStats;
import dev.vigil.fim.Scanner;
import dev.vigil.os.ByteKey;
import dev.vigil.os.PathBytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What {@code fswatch:} does with the watcher's events, in plain Java so it reads without Camel: each batch is
 * stored raw in the event history, debounced per path, and every path written, created, deleted or renamed is
 * verified against the baseline ({@link Integrity.Verifier#verify}); only real, new deviations become findings,
 * each with the process that made it. A rename of a baselined entry is one MOVED finding with both paths; lost
 * events (OVERFLOW) are made up for by a quick check of where they were lost (a directory, or the areas) and said in
 * a finding of their own.
 * One thread calls it (the consumer's worker); it is not thread-safe.
 */
public final class FileEventVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(FileEventVerifier.class);

    /** Events that may leave an entry other than its baseline; OPEN_EXEC and ACCESS change nothing. */
    private static final Set<EventType> VERIFIED = EnumSet.of(EventType.CREATE, EventType.MODIFY, EventType.CLOSE_WRITE,
            EventType.ATTRIB, EventType.DELETE, EventType.MOVED, EventType.MOVED_FROM, EventType.MOVED_TO,
            EventType.DELETE_SELF, EventType.MOVE_SELF);

    /**
     * Events that add or remove a directory entry, which also moves the directory's times: its parent is verified
     * too (once per batch), so the directory's change is told with the process that made it, as a full check
     * would find it, instead of by the next scheduled check without one.
     */
    private static final Set<EventType> ENTRY_LISTED = EnumSet.of(EventType.CREATE, EventType.DELETE, EventType.MOVED,
            EventType.MOVED_FROM, EventType.MOVED_TO);

    /**
     * Events that may remove their path. Verified after any other event, a path found gone is left to the event
     * of its removal, which comes after it: a rename is then told MOVED, not DELETED and later ADDED.
     */
    private static final Set<EventType> REMOVING = EnumSet.of(EventType.DELETE, EventType.MOVED, EventType.MOVED_FROM,
            EventType.DELETE_SELF, EventType.MOVE_SELF);

    static final String STARTUP_CHECK = "start-up check (changed while Vigil was not watching)";
    public static final String OVERFLOW_CHECK = "check after lost events";
    public static final String MOUNT_CHECK = "check after a mount";
    static final String UNMOUNT_CHECK = "check after an unmount";
    /** The longest a check after lost events waits for a burst to end: a flood without end is still checked. */
    static final Duration LOSS_HOLD_LIMIT = Duration.ofSeconds(30);
    /** Reasons kept per place where events were lost; further ones are counted. */
    private static final int LOSS_REASONS_KEPT = 5;
    /**
     * The most paths held for verification at once (debounced, or due and not verified yet). Beyond it an event of a
     * path not held is stored but not held: its directory is checked instead, as after lost events. A writer inside an
     * area (a service's account owns {@code /etc/postgresql}) making and removing files faster than they are verified
     * otherwise grew what is held until the heap ran out and the daemon ended.
     */
    static final int MAX_HELD = 262_144;
    static final String TOO_MANY_HELD = "more than " + MAX_HELD + " changed paths waited for verification: the"
            + " directory's further events were not held";

    private final String name;
    private final Integrity integrity;
    private final EventHistory history;
    private final Excludes excludes;
    private final PathGlobs critical;
    private final String host;
    private final List<Path> areas;
    private final Debouncer debouncer;
    private final Reports out;
    private volatile Set<String> problemsSaid;
    private final Duration budget;
    private final Attribution attribution;
    /**
     * Due events not verified yet (the budget ran out), oldest first: of paths in a directory of the baseline
     * (or naming an area), verified before those in directories new since the baseline ({@link #pendingNew}).
     * A burst of files made and removed in a new directory (a cache, an unpacked archive) then does not hold up a
     * change to the baselined files behind it.
     */
    private final ArrayDeque<FileEvent> pending = new ArrayDeque<>();
    private final ArrayDeque<FileEvent> pendingNew = new ArrayDeque<>();
    private List<byte[]> baselined = List.of();
    /**
     * Where events were lost (a directory, or null for all areas), with why, not checked yet: while the watcher is
     * behind (a burst goes on) a check would find the burst half done and be needed again at its next loss, so the
     * checks wait until it has caught up, or {@link #LOSS_HOLD_LIMIT} at most.
     */
    private final Map<Path, Loss> lost = new LinkedHashMap<>();
    private long lostSince;

    /** Why events were lost at one place: the first reasons, and how many more there were. */
    private static final class Loss {
        private final List<String> reasons = new ArrayList<>();
        private long more;

        void add(String why) {
            if (reasons.contains(why)) {
                return;
            }
            if (reasons.size() < LOSS_REASONS_KEPT) {
                reasons.add(why);
            } else {
                more++;
            }
        }

        List<String> told() {
            List<String> all = new ArrayList<>(reasons);
            if (more > 0) {
                all.add("and " + more + " more losses");
            }
            return all;
        }
    }
    /**
     * Where findings go, each with the marks its record makes in the memory of reports (empty for none). Says whether
     * it was recorded: not if the report route dropped it as a deviation another checker recorded first, or failed.
     */
    @FunctionalInterface
    public interface Reports {
        boolean report(Finding finding, List<ReportMark> marks);
    }

    /** What a check after lost events or a mount reported: the new deviations and the reverted ones recorded. */
    private record Checked(int deviations, int reverted) {
        static final Checked NOTHING = new Checked(0, 0);

        @Override
        public String toString() {
            return deviations + " new deviation(s) and " + reverted + " reverted recorded";
        }
    }

    /** The verifications of one {@link #verifyDue} call, on one connection. */
    private Integrity.Verifier session;

    public FileEventVerifier(String name, Integrity integrity, EventHistory history, Excludes excludes, PathGlobs critical,
                      String host, List<Path> areas, Debouncer debouncer, Duration budget,
                      Reports out) {
        this.name = name;
        this.integrity = integrity;
        this.history = history;
        this.excludes = excludes;
        this.critical = critical;
        this.host = host;
        this.areas = areas;
        this.debouncer = debouncer;
        this.budget = budget;
        this.out = out;
        this.attribution = new Attribution(history);
    }

    /**
     * Tells a problem path (an unreadable file) only if no summary sharing {@code said} told it: the daemon's
     * first baseline, this watch's checks and the scheduled check pass over the same areas.
     */
    public void shareProblemsSaid(Set<String> said) {
        this.problemsSaid = said;
    }

    /** A quick check of the areas, for what changed while nothing watched; its findings are not attributed. */
    public void startupCheck() {
        refreshBaselined();
        check(areas, null, STARTUP_CHECK);
    }

    /**
     * Stores, debounces and verifies one batch (see {@link #record} and {@link #verifyDue}), then makes the checks
     * after lost events unless {@code behind} says the watcher has not caught up (a burst goes on), asked after the
     * batch's work, when a burst has had time to fill its queue again: then they wait ({@link #lost}).
     */
    public void accept(List<FileEvent> batch, BooleanSupplier behind) {
        record(batch);
        verifyDue();
        checkLost(behind);
    }

    /**
     * Stores one batch of raw events (leaving out excluded paths) and hands them to the debounce. An ignore file
     * changed in the batch is taken in first, so the batch is already filtered by what it now says.
     */
    public void record(List<FileEvent> batch) {
        for (FileEvent e : batch) {
            reloadIfIgnoreFile(e.path());
            reloadIfIgnoreFile(e.oldPath());
        }
        List<FileEvent> kept = new ArrayList<>(batch.size());
        for (FileEvent e : batch) {
            if (e.overflow() || !excluded(e.path()) || e.oldPath() != null && !excluded(e.oldPath())) {
                kept.add(e);
            }
        }
        history.append(kept);
        for (FileEvent e : kept) {
            // a move (two directories) and an event of an area root (whose parent is outside) are always held
            if (e.overflow() || e.mountChange() || e.path() == null || e.oldPath() != null || areas.contains(e.path())
                    || debouncer.holds(e.path()) || held() < MAX_HELD) {
                debouncer.offer(e);
            } else {
                lose(e.path().getParent(), TOO_MANY_HELD);
            }
        }
    }

    /**
     * Verifies what is due for up to the time budget (at least one event). Verifying costs far more than storing,
     * so in a burst (an {@code rm -rf} of a large tree) the rest waits here, oldest first, while the worker goes
     * back to store what the watcher queued meanwhile, instead of the watcher's queue overflowing behind it.
     */
    void verifyDue() {
        List<FileEvent> due = debouncer.due();
        if (due.isEmpty() && pending.isEmpty() && pendingNew.isEmpty()) {
            return;
        }
        refreshBaselined();
        try (Integrity.Verifier verifier = integrity.verifier()) {
            session = verifier;
            Map<Path, Boolean> baselinedDirectories = new HashMap<>();
            for (FileEvent e : due) {
                boolean known = e.overflow() || e.mountChange() || inBaselinedDirectory(e.path(), baselinedDirectories)
                        || inBaselinedDirectory(e.oldPath(), baselinedDirectories);
                (known ? pending : pendingNew).add(e);
            }
            verifyPending();
        } finally {
            session = null;
        }
    }

    private void verifyPending() {
        long deadline = System.nanoTime() + budget.toNanos();
        Map<Path, List<String>> overflows = new LinkedHashMap<>();
        List<FileEvent> mounts = new ArrayList<>();
        Map<Path, FileEvent> parents = new LinkedHashMap<>();
        do { // at least one per call, whatever the budget, so verification always moves on
            FileEvent e = pending.isEmpty() ? pendingNew.poll() : pending.poll();
            if (e.types().stream().anyMatch(ENTRY_LISTED::contains)) {
                parents.put(e.path().getParent(), e);
                if (e.oldPath() != null) {
                    parents.put(e.oldPath().getParent(), e);
                }
            }
            if (e.overflow()) {
                overflows.computeIfAbsent(e.path(), p -> new ArrayList<>()).add(e.detail());
            } else if (e.mountChange()) {
                mounts.add(e);
            } else if (e.is(EventType.MOVED) && e.oldPath() != null) {
                moved(e);
            } else if (e.directory() && (e.is(EventType.MOVED_TO) || e.is(EventType.MOVED_FROM))) {
                check(List.of(e.path()), e, null);
            } else if (e.types().stream().anyMatch(VERIFIED::contains)) {
                verify(e.path(), e);
            }
        } while (!(pending.isEmpty() && pendingNew.isEmpty()) && System.nanoTime() < deadline);
        parents.forEach(this::verify);
        overflows.forEach((place, why) -> why.stream().filter(w -> w != null).forEach(w -> lose(place, w)));
        mounts.forEach(this::mountChange);
    }

    /** Events were lost at {@code place} (a directory, or null for all areas): checked by {@link #checkLost}. */
    private void lose(Path place, String why) {
        if (lost.isEmpty()) {
            lostSince = System.nanoTime();
        }
        lost.computeIfAbsent(place, p -> new Loss()).add(why);
        if (lost.size() > EventSink.LOST_DIRECTORIES) {
            // more places than the watcher itself remembers: one check of all areas, as it would have asked
            Loss all = new Loss();
            lost.values().forEach(l -> l.told().forEach(all::add));
            lost.clear();
            lost.put(null, all);
        }
    }

    /**
     * The finding with the processes of its path's events; without any to blame (inotify, or a change no event
     * can have made), the kinds of events that led to the verification, unattributed.
     */
    private Finding attributed(Finding f, Change change, FileEvent e) {
        Finding found = attribution.of(f, change, null);
        return Boolean.TRUE.equals(found.details().get("attributed")) ? found
                : withDetail(found, "events", Attribution.eventTypes(e));
    }

    /**
     * Checks where events were lost, unless the watcher is {@code behind} and the oldest loss is younger than
     * {@link #LOSS_HOLD_LIMIT}: once, however many times a burst overflowed the queue meanwhile. A check of all
     * areas covers the directories too: then one check, every reason said.
     */
    private int held() {
        return debouncer.size() + pending.size() + pendingNew.size();
    }

    private void checkLost(BooleanSupplier behind) {
        if (lost.isEmpty() || System.nanoTime() - lostSince < LOSS_HOLD_LIMIT.toNanos() && behind.getAsBoolean()) {
            return;
        }
        Map<Path, Loss> places = new LinkedHashMap<>(lost);
        lost.clear();
        refreshBaselined();
        if (places.containsKey(null)) {
            overflow(null, places.values().stream().flatMap(l -> l.told().stream()).toList());
        } else {
            places.forEach((place, loss) -> overflow(place, loss.told()));
        }
    }

    /** How long the worker may wait for events before held paths are due. */
    public Optional<Duration> untilNextDue() {
        return pending.isEmpty() && pendingNew.isEmpty() ? debouncer.untilNextDue() : Optional.of(Duration.ZERO);
    }

    /**
     * Verifies {@code path} after event {@code e}: of the path itself, the finding names the processes of the
     * path's own events (all of the debounce window, not only the last event's); of a directory whose entry the
     * event added or removed, the event's process.
     */
    private void verify(Path path, FileEvent e) {
        if (!checkable(path)) {
            return;
        }
        boolean removing = e.types().stream().anyMatch(REMOVING::contains);
        Integrity.Verification v = session.verify(path, problems(), removing);
        if (v.verdict() == Integrity.Verdict.NEW) {
            Finding f = ChangeFindings.toFinding(v.change(), host, e.time(), severity(v.path()));
            out.report(path.equals(e.path()) ? attributed(f, v.change(), e) : Attribution.byEvent(f, e, null), List.of(v.mark()));
        } else if (v.verdict() == Integrity.Verdict.REVERTED) {
            out.report(Attribution.byEvent(ChangeFindings.reverted(v.path(), host, e.time()), e, null), List.of(v.mark()));
        }
    }

    /**
     * Both sides of a rename. A baselined entry (or tree) that moved is one MOVED finding per entry with both
     * paths; a new file renamed over a baselined one (how editors and package managers save) is that file's
     * MODIFIED, with the name it was written under.
     */
    private void moved(FileEvent e) {
        List<Fresh> fresh = new ArrayList<>();
        List<ReportMark.Deviation> reverted = new ArrayList<>();
        if (e.directory()) {
            List<Path> roots = new ArrayList<>();
            for (Path p : List.of(e.oldPath(), e.path())) {
                if (checkable(p)) {
                    roots.add(p);
                }
            }
            if (!roots.isEmpty()) {
                ProblemSummary problems = new ProblemSummary(problemsSaid);
                integrity.checkForReport(roots, false, problems, new ScanStats(), (c, mark) -> fresh.add(new Fresh(c, mark)),
                        reverted::add);
                problems.log("fswatch:" + name);
            }
        } else {
            for (Path p : List.of(e.oldPath(), e.path())) {
                if (checkable(p)) {
                    Integrity.Verification v = session.verify(p, problems(), true);
                    if (v.verdict() == Integrity.Verdict.NEW) {
                        fresh.add(new Fresh(v.change(), v.mark()));
                    } else if (v.verdict() == Integrity.Verdict.REVERTED) {
                        reverted.add(v.mark());
                    }
                }
            }
        }
        byte[] from = PathBytes.of(e.oldPath());
        byte[] to = PathBytes.of(e.path());
        Map<ByteKey, Fresh> arrived = new LinkedHashMap<>();
        for (Fresh n : fresh) {
            if (n.change().kind() != ChangeKind.DELETED && PathBytes.isUnder(n.change().path(), to)) {
                arrived.put(key(n.change().path(), to), n);
            }
        }
        for (Fresh n : fresh) {
            Change c = n.change();
            if (c.kind() == ChangeKind.DELETED && PathBytes.isUnder(c.path(), from)) {
                Fresh twin = arrived.remove(key(c.path(), from));
                if (twin != null) {
                    Severity severity = severity(c.path()) == Severity.CRITICAL ? Severity.CRITICAL : severity(twin.change().path());
                    // one finding for two deviations: it is news if either is, and remembers both
                    out.report(Attribution.byEvent(ChangeFindings.moved(c, twin.change(), host, e.time(), severity), e, null),
                            List.of(n.mark(), twin.mark()));
                    continue;
                }
            }
            if (c.kind() == ChangeKind.DELETED || !PathBytes.isUnder(c.path(), to)) {
                out.report(Attribution.byEvent(ChangeFindings.toFinding(c, host, e.time(), severity(c.path())), e, null),
                        List.of(n.mark()));
            }
        }
        for (Fresh n : arrived.values()) {
            Change c = n.change();
            byte[] oldPath = new byte[from.length + c.path().length - to.length];
            System.arraycopy(from, 0, oldPath, 0, from.length);
            System.arraycopy(c.path(), to.length, oldPath, from.length, c.path().length - to.length);
            Finding f = Attribution.byEvent(ChangeFindings.toFinding(c, host, e.time(), severity(c.path())), e, null);
            out.report(withDetail(f, "movedFrom", PathBytes.escape(oldPath)), List.of(n.mark()));
        }
        reverted.forEach(mark -> out.report(Attribution.byEvent(ChangeFindings.reverted(mark.path(), host, e.time()), e, null),
                List.of(mark)));
    }

    /** Events were lost on Vigil's side (the database could not take them): the areas are checked, as after an OVERFLOW. */
    public void eventsLost(String why) {
        overflow(null, List.of(why));
    }

    /** Lost events: a quick check of where (a directory, or all areas) makes up for them, and a finding says they were lost. */
    private void overflow(Path area, List<String> details) {
        List<Path> roots = area == null ? areas : List.of(area);
        Checked found = check(roots, null, OVERFLOW_CHECK);
        String subject = escaped(roots);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("message", String.join("; ", details.stream().filter(s -> s != null).toList()));
        d.put("checked", checked(found));
        d.put("attributed", false);
        LOG.warn("fswatch:{}: events were lost under {} ({}); checked it: {}", name, subject,
                d.get("message"), found);
        out.report(new Finding(ChangeFindings.SOURCE, FileKind.OVERFLOW.name(), subject, host, Instant.now(), Severity.WARNING, d),
                List.of());
    }

    /**
     * A mount at or below an area, or over an ancestor of one, changes what its paths show, and the watch does not
     * see inside a mount made after it started: each area it touches is checked at once, and a finding names the
     * mount. MOUNT is critical (it can hide a tree and what is done in it); UNMOUNT a warning, as what it uncovers
     * is compared with the baseline by the same check.
     */
    private void mountChange(FileEvent e) {
        boolean mounted = e.is(EventType.MOUNT);
        List<Path> touched = areas.stream().filter(a -> MountWatch.affects(e.path(), a)).toList();
        String found = mounted ? MOUNT_CHECK : UNMOUNT_CHECK;
        Checked result = touched.isEmpty() ? Checked.NOTHING : check(touched, null, found);
        String subject = PathBytes.escape(PathBytes.of(e.path()));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("message", (mounted ? "mounted on " : "unmounted from ") + subject + " (" + e.detail() + ")"
                + (mounted ? ": what it covers is hidden, and what happens in it is not seen by the watch" : ""));
        d.put("areas", escaped(touched));
        d.put("checked", checked(result));
        d.put("attributed", false);
        LOG.warn("fswatch:{}: {}; checked {}: {}", name, d.get("message"), d.get("areas"), result);
        out.report(new Finding(ChangeFindings.SOURCE, (mounted ? FileKind.MOUNT : FileKind.UNMOUNT).name(), subject, host, e.time(),
                mounted ? Severity.CRITICAL : Severity.WARNING, d), List.of());
    }

    /** Paths as text, comma-separated. */
    private static String escaped(List<Path> paths) {
        return String.join(",", paths.stream().map(p -> PathBytes.escape(PathBytes.of(p))).toList());
    }

    /** What a finding of lost events or of a mount says of the check it caused. */
    private static String checked(Checked found) {
        return "the area was checked at once: " + found;
    }

    /**
     * {@link Integrity#checkForReport} over the baselined part of {@code roots}; findings carry the event's
     * process when there is one, else say they were found by {@code foundBy}. Returns how many were recorded.
     */
    private Checked check(List<Path> roots, FileEvent e, String foundBy) {
        List<Path> checkable = roots.stream().filter(this::checkable).toList();
        if (checkable.isEmpty()) {
            return Checked.NOTHING;
        }
        int[] recorded = {0, 0};
        ProblemSummary problems = new ProblemSummary(problemsSaid);
        integrity.checkForReport(checkable, false, problems, new ScanStats(), (change, mark) -> {
            Instant time = e != null ? e.time() : Instant.now();
            Finding f = ChangeFindings.toFinding(change, host, time, severity(change.path()));
            if (out.report(e != null ? Attribution.byEvent(f, e, foundBy) : attribution.of(f, change, foundBy), List.of(mark))) {
                recorded[0]++;
            }
        }, mark -> {
            if (out.report(Attribution.byEvent(ChangeFindings.reverted(mark.path(), host, e != null ? e.time() : Instant.now()),
                    e, foundBy), List.of(mark))) {
                recorded[1]++;
            }
        });
        problems.log("fswatch:" + name);
        return new Checked(recorded[0], recorded[1]);
    }

    /** A deviation that is news, with the mark its finding's record makes. */
    private record Fresh(Change change, ReportMark mark) {
    }

    private static Finding withDetail(Finding f, String key, Object value) {
        Map<String, Object> d = new LinkedHashMap<>(f.details());
        d.put(key, value);
        return new Finding(f.source(), f.kind(), f.subject(), f.host(), f.time(), f.severity(), d);
    }

    private void reloadIfIgnoreFile(Path path) {
        if (path == null || path.getParent() == null || !path.getFileName().toString().equals(Excludes.IGNORE_FILE)) {
            return;
        }
        Path dir = path.getParent();
        try {
            excludes.loadIgnoreFile(PathBytes.of(dir));
        } catch (java.io.IOException e) {
            LOG.warn("fswatch:{}: cannot read {}: {}; its rules no longer apply", name, PathBytes.escape(PathBytes.of(path)), e.toString());
        }
    }

    private boolean excluded(Path path) {
        return path != null && excludes.excluded(PathBytes.of(path), false);
    }

    /** Inside an area that has a baseline (an area is baselined at start) and not excluded. */
    private boolean checkable(Path path) {
        if (path == null || excluded(path)) {
            return false;
        }
        byte[] raw = PathBytes.of(path);
        return baselined.stream().anyMatch(a -> PathBytes.isUnder(raw, a));
    }

    /** Whether {@code path}'s directory has a baseline record (looked up once per directory in {@code known}). */
    private boolean inBaselinedDirectory(Path path, Map<Path, Boolean> known) {
        Path dir = path == null ? null : path.getParent();
        return dir != null && known.computeIfAbsent(dir, session::inBaseline);
    }

    /** Read once per batch: `vigil baseline` may add an area while the daemon runs. */
    private void refreshBaselined() {
        baselined = integrity.areas().stream().map(PathBytes::of).toList();
    }

    private Severity severity(byte[] path) {
        return critical.matches(path) ? Severity.CRITICAL : Severity.WARNING;
    }

    /** The part of {@code path} below {@code root}, by which an entry that moved is found at its new place. */
    private static ByteKey key(byte[] path, byte[] root) {
        return ByteKey.copyOf(path, root.length, path.length - root.length);
    }

    private Scanner.Sink problems() {
        return problems("fswatch:" + name);
    }

    /** Problems reading an entry: a vanished one is routine while files come and go, anything else a warning. */
    public static Scanner.Sink problems(String who) {
        return new Scanner.Sink() {
            @Override
            public void entry(dev.vigil.fim.FileRecord record) {
            }

            @Override
            public void problem(byte[] path, String message) {
                if (message.startsWith("vanished")) {
                    LOG.debug("{}: {}: {}", who, PathBytes.escape(path), message);
                } else {
                    LOG.warn("{}: {}: {}", who, PathBytes.escape(path), message);
                }
            }
        };
    }
}

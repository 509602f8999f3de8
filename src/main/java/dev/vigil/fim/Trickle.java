package dev.vigil.fim;

import dev.vigil.os.ByteKey;
import dev.vigil.os.PathBytes;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * integrityd's continuous check: compares the baselined areas with the baseline for ever, slowly and in an
 * order nobody can predict, instead of thrashing the disk once a night at a time an intruder can plan around.
 *
 * <p>A <em>cycle</em> walks every area once. The walk keeps a stack of directories still to list; whenever a
 * listing adds directories to it the whole stack is shuffled, so the next directory is drawn at random from
 * all that are pending (which is why no timed reshuffle is needed), and each listing's entries are checked
 * in shuffled order too. Symlinks are recorded and never followed, other special files never opened, and
 * vanished or unreadable entries are handled as {@link Scanner} handles them (its stat, listing and hashing
 * are what the trickle calls). Every regular file's content is hashed: reading content is the point.
 *
 * <p>Between two entries the walk reaches, the entry longest since verified is verified again, if that was
 * before this cycle began: without that, an entry the random walk met first in one cycle and last in the
 * next would go unchecked for two cycles. The walk then only descends through an entry verified that way, so
 * each entry is checked once a cycle. When the walk is done, every remembered entry and every baseline entry
 * not verified this cycle is checked as well: that is where a deleted one is found.
 *
 * <p>When each entry was last verified is kept by the store ({@link BaselineStore.Verifications}, under the
 * trickle's name), not here: in memory it grew with the areas (about 135 bytes an entry), and in the store it
 * outlives a restart, so a trickle started again goes on with the entries its predecessor verified longest ago.
 * The trickle reads it a page at a time, longest since verified first: none becomes older during a cycle, so a
 * page only loses entries (verified since it was read, which the trickle asks the store before it takes one).
 * An entry remembered outside the areas (another run's) is forgotten when its turn comes.
 *
 * <p>Each checked entry is stat'ed, hashed if it is a file, looked up in the baseline and compared; ADDED,
 * DELETED, MODIFIED and ATTRIBUTES are reported every time they are found (the caller decides what is
 * new), an entry that matches its baseline (perhaps again) is reported as unchanged. A change not found
 * before for that path multiplies both rates by {@link TrickleOptions#speedup()}, decaying back with
 * {@link TrickleOptions#speedupHalfLife()}.
 *
 * <p>Pacing is hand-written rather than a rate-limiter library's because it must run on an injectable
 * clock (tests use a fake one that never sleeps) and change rate as the speed-up decays. Work is paid for
 * after it is done: each read or check moves a "paid until" instant on by its cost at the current rate,
 * and the trickle sleeps until then. Bytes and checks have a budget each, and time one budget leaves
 * unused is kept for at most {@link #CARRY}: enough that a pause for a check also serves the next read
 * (without it the two pauses add up, and a walk through small files at the default fileRate fell 11 %
 * short of its byteRate), small enough that there is no burst to speak of. So after {@code t} seconds at
 * most {@code byteRate * (t + 1)} bytes plus one read and {@code fileRate * (t + 1)} checks plus one have
 * been done.
 *
 * <p>{@link #run} blocks its thread until {@link #stop} is called; everything but {@code stop} and
 * {@link #progress} belongs to that thread. A trickle runs once.
 */
public final class Trickle {

    /** Time as the trickle sees it: the system's in production, a fake one that jumps on sleep in tests. */
    public interface Clock {
        long nanoTime();

        void sleep(long nanos) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        };
    }

    /** Receives what the trickle finds, on the thread that runs it. */
    public interface Listener {
        /**
         * An entry differs from the baseline; found again each time it is checked until accepted. {@code remembered}
         * is the fingerprint of the deviation last reported there, or null, read as for {@link #unchanged}.
         */
        void change(Change change, String remembered);

        /**
         * An entry was checked and agrees with the baseline (so a change that was reverted is seen to be);
         * {@code remembered} is the fingerprint of the deviation last reported there, or null (read on the cycle's
         * open look-up: this is called for nearly every entry, and a connection opened for each cost the trickle
         * most of its CPU).
         */
        default void unchanged(byte[] path, String remembered) {
        }

        /** A cycle over every area has completed. */
        default void cycle(Cycle cycle) {
        }

        /** Something could not be read, as {@link Scanner.Sink#problem}. */
        default void problem(byte[] path, String message) {
        }

        /** {@code bytes} more were read from the areas' files (for a count of what the trickle costs). */
        default void read(long bytes) {
        }
    }

    /** One completed cycle: how long it took (on the trickle's clock) and what it did. */
    public record Cycle(long number, Duration duration, long entries, long bytes, long changes, long problems) {
    }

    /**
     * Totals since {@link #run} began, the entries checked so far in the cycle under way and in the last whole
     * cycle (0 before the first ends), and the current speed factor (1 when not sped up).
     */
    public record Progress(long cycles, long entries, long bytes, long changes, long cycleEntries, long lastCycleEntries,
                           double speed) {

        /**
         * How far the cycle under way is, as a share of the last cycle's entries (the areas' size is known only by
         * walking them), at most 0.99 until it ends; empty during the first cycle.
         */
        public OptionalDouble cycleShare() {
            return lastCycleEntries == 0 ? OptionalDouble.empty()
                    : OptionalDouble.of(Math.min(0.99, cycleEntries / (double) lastCycleEntries));
        }
    }

    private static final long NEVER = Long.MIN_VALUE;

    /** Entries read from the store at once: the remembered order's, or the baseline's not verified this cycle. */
    static final int PAGE = 1024;

    /** How long unused pacing time is kept, in nanoseconds. */
    static final long CARRY = 1_000_000_000L;

    /** Which exclusion applies where: none for a root, the walk's for a listed entry, the full one elsewhere. */
    private interface Scope {
        boolean excluded(byte[] path, boolean directory);
    }

    private record Dir(FileRecord record, long rootDevice) {
    }

    private final BaselineStore store;
    private final String name;
    private final List<Path> areas;
    private final TrickleOptions options;
    private final Clock clock;
    private final Random random;
    private final Scanner scanner;
    private final ChangeDetector detector;
    private final DeviationFingerprint fingerprint;
    private final Scope asRoot = (path, directory) -> false;
    private final Scope inWalk;
    private final Scope anywhere;

    /** The roots of the areas this run checks, so an entry remembered from a run over others can be told. */
    private final Set<ByteKey> roots = new HashSet<>();
    /** Path to the fingerprint of the last change found there, so only a change not seen before speeds the trickle up. */
    private final Map<ByteKey, String> deviations = new HashMap<>();
    private final Pace bytePace = new Pace();
    private final Pace filePace = new Pace();
    private Listener listener;
    private BaselineStore.Lookup lookup;
    private BaselineStore.Verifications verified;
    /** The number the last verification was recorded with; those after {@link #cycleBegan} are this cycle's. */
    private long latest;
    private long cycleBegan;
    /** The next of the entries verified before this cycle, longest since verified first, read ahead a page. */
    private final ArrayDeque<BaselineStore.Verified> oldest = new ArrayDeque<>();
    /** When the last entry read into {@link #oldest} was verified: where its next page starts. */
    private long oldestRead;
    private int cycle;
    private ScanStats stats;
    private volatile long cycleEntries;
    private volatile long lastCycleEntries;
    private long cycleBytes;
    private long cycleChanges;

    private volatile long boostedAt = NEVER;
    private volatile long cycles;
    private volatile long entries;
    private volatile long bytes;
    private volatile long changes;

    private final Object lock = new Object();
    private Thread runner;
    private boolean started;
    private volatile boolean stopping;

    /**
     * A trickle over {@code areas} (none: the baseline's areas) on the system clock, shuffling with a
     * {@link SecureRandom} so the order cannot be worked out from earlier ones. {@code name} names the order it
     * keeps in the store ({@link BaselineStore#verifications}): a trickle started again under the same name goes on
     * with it; two trickles of one name must not run at once.
     */
    public Trickle(BaselineStore store, String name, List<Path> areas, TrickleOptions options) {
        this(store, name, areas, options, Clock.SYSTEM, new SecureRandom());
    }

    public Trickle(BaselineStore store, String name, List<Path> areas, TrickleOptions options, Clock clock, Random random) {
        this.store = store;
        this.name = name;
        this.areas = List.copyOf(areas);
        this.options = options;
        this.clock = clock;
        this.random = random;
        this.scanner = new Scanner(options.scan().withThreads(1).withHashContent(true));
        Excludes excludes = options.scan().excludes();
        this.detector = new ChangeDetector(options.policy(), excludes, options.scan().algorithm());
        this.fingerprint = new DeviationFingerprint(options.policy());
        this.inWalk = excludes::excludedInWalk;
        this.anywhere = excludes::excluded;
    }

    /**
     * Checks cycle after cycle until {@link #stop} is called (or the thread is interrupted), then returns.
     *
     * @throws IllegalStateException if there is no baseline, it was taken with another hash algorithm, or
     *                               there are no areas to check
     */
    public void run(Listener listener) {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("a trickle runs once");
            }
            started = true;
            if (stopping) {
                return;
            }
            runner = Thread.currentThread();
        }
        try {
            Integrity.requireBaselineAlgorithm(store, options.scan().algorithm());
            List<byte[]> roots = Integrity.normalise(areas.isEmpty()
                    ? store.areas().stream().map(PathBytes::toPath).toList() : areas);
            if (roots.isEmpty()) {
                throw new IllegalStateException("no areas to check: none given and none baselined");
            }
            this.listener = listener;
            roots.forEach(r -> this.roots.add(ByteKey.of(r)));
            try (BaselineStore.Lookup l = store.lookup(); BaselineStore.Verifications v = store.verifications(name)) {
                lookup = l;
                verified = v;
                latest = v.latest();
                while (!stopping) {
                    runCycle(roots);
                }
            }
        } catch (CancellationException stopped) {
            // stop() (or an interrupt) came while the trickle slept or read
        } catch (RuntimeException e) {
            if (!cancelled()) {
                throw e;
            }
            // the interrupt of stop() ended a wait of the store's (a read of the baseline): stopped too
        } finally {
            synchronized (lock) {
                runner = null;
                if (stopping) {
                    Thread.interrupted();
                }
            }
        }
    }

    /** Makes {@link #run} return soon: it wakes from a sleep or read at once and checks nothing more. */
    public void stop() {
        synchronized (lock) {
            stopping = true;
            if (runner != null && runner != Thread.currentThread()) {
                runner.interrupt();
            }
        }
    }

    public Progress progress() {
        return new Progress(cycles, entries, bytes, changes, cycleEntries, lastCycleEntries, speed(clock.nanoTime()));
    }

    private void runCycle(List<byte[]> roots) {
        cycle++;
        cycleBegan = latest;
        oldest.clear();
        oldestRead = 0;
        long began = clock.nanoTime();
        stats = new ScanStats();
        cycleEntries = 0;
        cycleBytes = 0;
        cycleChanges = 0;
        List<Dir> stack = new ArrayList<>();
        List<byte[]> shuffledRoots = new ArrayList<>(roots);
        Collections.shuffle(shuffledRoots, random);
        for (byte[] raw : shuffledRoots) {
            FileRecord r = checkNew(raw, asRoot);
            if (r != null && r.type() == EntryType.DIRECTORY) {
                stack.add(new Dir(r, r.device()));
            }
        }
        Collections.shuffle(stack, random);
        while (!stack.isEmpty()) {
            Dir dir = stack.remove(stack.size() - 1);
            if (walkInto(dir, stack)) {
                Collections.shuffle(stack, random);
            }
        }
        checkUnverified(roots);
        lastCycleEntries = cycleEntries;
        cycles = cycle;
        listener.cycle(new Cycle(cycle, Duration.ofNanos(clock.nanoTime() - began), cycleEntries, cycleBytes,
                cycleChanges, stats.errors.sum()));
    }

    /** Checks a directory's entries in random order, stacking its subdirectories; true if it stacked any. */
    private boolean walkInto(Dir dir, List<Dir> stack) {
        // The directory was checked when it was stacked, maybe long ago: if it is no longer a directory, the
        // listing would refuse it as a problem, while that change is a finding, reported when its entry is
        // checked again.
        if (!Files.isDirectory(PathBytes.toPath(dir.record().path()), LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        List<byte[]> children = new ArrayList<>();
        scanner.list(dir.record(), sink, stats, children::add);
        Collections.shuffle(children, random);
        boolean stacked = false;
        for (byte[] child : children) {
            FileRecord r = checkNew(child, inWalk);
            if (r != null && r.type() == EntryType.DIRECTORY
                    && (!options.scan().oneFilesystem() || r.device() == dir.rootDevice())) {
                stack.add(new Dir(r, dir.rootDevice()));
                stacked = true;
            }
        }
        return stacked;
    }

    /** Checks an entry the walk reached, after re-verifying the one longest since verified. */
    private FileRecord checkNew(byte[] raw, Scope scope) {
        byte[] old = nextOldest();
        if (old != null && !Arrays.equals(old, raw)) {
            check(old, anywhere);
        }
        return verified.verified(raw) > cycleBegan ? reverified(raw, scope) : check(raw, scope);
    }

    /**
     * The entry longest since verified, taken from the order, if that was before this cycle began; null if every
     * entry remembered was verified since. Entries verified since their page was read are passed over, and those
     * outside the areas forgotten.
     */
    private byte[] nextOldest() {
        while (true) {
            if (oldest.isEmpty()) {
                List<BaselineStore.Verified> page = verified.oldest(oldestRead, cycleBegan, PAGE);
                if (page.isEmpty()) {
                    return null;
                }
                oldestRead = page.get(page.size() - 1).when();
                oldest.addAll(page);
            }
            BaselineStore.Verified next = oldest.poll();
            if (verified.verified(next.path()) != next.when()) {
                continue;
            }
            if (inAreas(next.path())) {
                return next.path();
            }
            verified.forget(next.path());
        }
    }

    /** Whether {@code path} is one of the roots or below one: it or a directory above it is a root. */
    private boolean inAreas(byte[] path) {
        for (int end = path.length; end > 0; end--) {
            if ((end == path.length || path[end] == '/') && roots.contains(ByteKey.copyOf(path, 0, end))) {
                return true;
            }
        }
        return path.length > 0 && path[0] == '/' && roots.contains(ByteKey.of(new byte[]{'/'}));
    }

    /**
     * An entry the walk reaches after this cycle verified it already (it was longest since verified): it is not
     * checked twice in one cycle, only stat'ed, so the walk still descends into it if it is a directory.
     */
    private FileRecord reverified(byte[] raw, Scope scope) {
        FileRecord now;
        try {
            now = scanner.stat(raw, sink, stats);
        } catch (NoSuchFileException gone) {
            return check(raw, scope);
        }
        return now == null || scope.excluded(raw, now.type() == EntryType.DIRECTORY) ? null : now;
    }

    /**
     * Checks what the walk did not reach: remembered entries now out of its way, and deleted baseline entries. Read
     * a page at a time, each page shuffled and checked before the next is read, so no read transaction stays open
     * while the trickle sleeps and memory does not grow with what is left.
     */
    private void checkUnverified(List<byte[]> roots) {
        // Each entry checked here is verified after cycleBegan, or forgotten, so the next page starts after it.
        List<BaselineStore.Verified> remembered;
        while (!(remembered = verified.oldest(0, cycleBegan, PAGE)).isEmpty()) {
            List<byte[]> page = new ArrayList<>();
            for (BaselineStore.Verified v : remembered) {
                if (inAreas(v.path())) {
                    page.add(v.path());
                } else {
                    verified.forget(v.path());
                }
            }
            checkShuffled(page);
        }
        Predicate<FileRecord> excluded = Integrity.nowExcluded(options.scan().excludes());
        for (byte[] r : roots) {
            byte[] after = new byte[0];
            List<FileRecord> baseline;
            while (!(baseline = verified.unverified(r, after, cycleBegan, PAGE)).isEmpty()) {
                after = baseline.get(baseline.size() - 1).path();
                checkShuffled(baseline.stream().filter(excluded.negate()).map(FileRecord::path).toList());
            }
        }
    }

    private void checkShuffled(List<byte[]> paths) {
        List<byte[]> shuffled = new ArrayList<>(paths);
        Collections.shuffle(shuffled, random);
        for (byte[] path : shuffled) {
            check(path, anywhere);
        }
    }

    /**
     * Checks one entry against the baseline and reports the outcome, paced; returns its current record, or
     * null if it is gone, excluded or could not be stat'ed.
     */
    private FileRecord check(byte[] raw, Scope scope) {
        if (cancelled()) {
            throw new CancellationException();
        }
        ByteKey key = ByteKey.of(raw);
        FileRecord now;
        try {
            now = scanner.stat(raw, sink, stats);
        } catch (NoSuchFileException gone) {
            verified.forget(raw);
            report(key, raw, detector.change(lookup.find(raw).orElse(null), null));
            return counted(null);
        }
        if (now != null && scope.excluded(raw, now.type() == EntryType.DIRECTORY)) {
            verified.forget(raw);
            return null;
        }
        if (now != null && now.type().hasContent()) {
            int chunk = now.size() < options.smallFiles() ? (int) options.smallFiles() : options.chunk();
            now = scanner.hash(now, sink, stats, chunk, this::paceRead);
            if (cancelled()) {
                // the read was cut short, so the record says nothing about the file
                throw new CancellationException();
            }
        }
        verified.record(raw, ++latest);
        if (now != null) {
            report(key, raw, detector.change(lookup.find(raw).orElse(null), now));
        }
        return counted(now);
    }

    private FileRecord counted(FileRecord r) {
        cycleEntries++;
        entries++;
        filePace.spend(1, options.fileRate());
        return r;
    }

    private void report(ByteKey key, byte[] raw, Change change) {
        String remembered = lookup.reported(raw).orElse(null);
        if (change == null) {
            deviations.remove(key);
            listener.unchanged(raw, remembered);
            return;
        }
        // A database restored under the running trickle may hold another algorithm's hashes: every file would
        // then differ. One read of a setting before a change is told (changes are rare) makes that an error.
        Integrity.requireBaselineAlgorithm(store, options.scan().algorithm());
        String now = fingerprint.of(change);
        if (!now.equals(deviations.put(key, now))) {
            boostedAt = clock.nanoTime();
        }
        cycleChanges++;
        changes++;
        listener.change(change, remembered);
    }

    private void paceRead(int n) {
        cycleBytes += n;
        bytes += n;
        listener.read(n);
        bytePace.spend(n, options.byteRate());
    }

    /** Whether to stop: stop() was called, or the thread was interrupted (which also cuts a read short). */
    private boolean cancelled() {
        return stopping || Thread.currentThread().isInterrupted();
    }

    private double speed(long now) {
        long since = boostedAt;
        if (since == NEVER) {
            return 1;
        }
        double halfLives = (now - since) / 1e9 / options.speedupHalfLife();
        return 1 + (options.speedup() - 1) * Math.pow(0.5, halfLives);
    }

    /** A budget in time: work done moves "paid until" on by its cost, and the trickle sleeps until then. */
    private final class Pace {
        private long paidUntil = Long.MIN_VALUE;

        void spend(double units, double perSecond) {
            long now = clock.nanoTime();
            long cost = (long) Math.ceil(units * 1e9 / (perSecond * speed(now)));
            paidUntil = Math.max(paidUntil, now - CARRY) + cost;
            if (paidUntil > now) {
                try {
                    clock.sleep(paidUntil - now);
                } catch (InterruptedException e) {
                    if (!stopping) {
                        Thread.currentThread().interrupt();
                    }
                    throw new CancellationException();
                }
            }
        }
    }

    private final Scanner.Sink sink = new Scanner.Sink() {
        @Override
        public void entry(FileRecord record) {
            // Scanner calls this only from its own walk, which the trickle does not use.
        }

        @Override
        public void problem(byte[] path, String message) {
            // A read cut short by stop() or an interrupt is not a problem of the file's.
            if (!cancelled()) {
                listener.problem(path, message);
            }
        }
    };
}

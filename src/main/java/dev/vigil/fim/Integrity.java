package dev.vigil.fim;

import dev.vigil.os.ByteKey;
import dev.vigil.os.PathBytes;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The file-integrity operations on a baseline: take it, check against it, accept changes into it.
 *
 * <p>A <em>quick</em> check stats everything and re-hashes only files whose device, inode, size, mtime or
 * ctime differ from the baseline; it cannot see content changed by someone who also restored all of those
 * (which needs root and a tool that sets ctime, i.e. changing the clock or writing the block device). A
 * <em>paranoid</em> check re-hashes every file and catches that too, at the cost of reading everything.
 */
public final class Integrity {

    private final BaselineStore store;
    private final ScanOptions options;
    private final PathPolicy policy;
    private final ReportedDeviations reported;
    /** Stats and hashes single entries for {@link Verifier#verify}. */
    private final Scanner single;

    public Integrity(BaselineStore store, ScanOptions options, PathPolicy policy) {
        this.store = store;
        this.options = options;
        this.policy = policy;
        this.reported = new ReportedDeviations(store, policy);
        this.single = new Scanner(options.withHashContent(false));
    }

    /** What a baseline, check or accept run did; {@code seal} is the baseline's after a baseline or accept. */
    public record Outcome(ScanStats stats, long changes, BaselineStore.SealState seal) {
    }

    /** Records the current state of {@code roots} as the accepted baseline and remembers them as areas. */
    public Outcome baseline(List<Path> roots, Scanner.Sink problems, ScanStats stats) {
        store.hashAlgorithm().filter(a -> a != options.algorithm()).ifPresent(a -> {
            throw new IllegalStateException("the baseline was taken with " + a + "; take it again with --hash "
                    + a + " or start a new database");
        });
        List<byte[]> raw = normalise(roots);
        return stageAndAccept(raw, "baseline", problems, stats, snapshot -> snapshot.acceptAsAreas(raw, options.algorithm()));
    }

    /** Takes the current state of {@code paths} into the baseline (a path that is gone leaves it). */
    public Outcome accept(List<Path> paths, Scanner.Sink problems, ScanStats stats) {
        requireBaselineAlgorithm(store, options.algorithm());
        List<byte[]> raw = normalise(paths);
        Outcome outcome = stageAndAccept(raw, "accept", problems, stats, snapshot -> snapshot.accept(raw));
        raw.forEach(store::clearReported);
        return outcome;
    }

    /**
     * Drops an area and everything below it from the baseline; returns how many entries went. A path that holds
     * no area is refused: inside an area, forgetting part of it would make the next check report it as ADDED.
     */
    public BaselineStore.Forgotten forget(Path path) {
        byte[] raw = normalise(List.of(path)).get(0);
        List<byte[]> areas = store.areas();
        if (areas.stream().noneMatch(a -> PathBytes.isUnder(a, raw))) {
            String shown = PathBytes.escape(raw);
            throw new IllegalArgumentException(areas.stream().filter(a -> PathBytes.isUnder(raw, a)).findFirst()
                    .map(a -> shown + " lies inside the baselined area " + PathBytes.escape(a) + ": forget "
                            + PathBytes.escape(a) + ", or leave " + shown + " out with --exclude or vigil.files.excludes")
                    .orElse(shown + " is not in the baseline" + (areas.isEmpty() ? "" : "; baselined areas: " + areaName(areas))));
        }
        return store.forget(raw);
    }

    /**
     * A check for the daemon: each deviation is passed to {@code fresh} once with the mark that reports it, and again
     * only when it becomes a different one; a deviation reported earlier that is gone now (reverted) is passed to
     * {@code reverted} as the mark that forgets it. Nothing is remembered here: a deviation counts as reported once
     * its mark is made, with its finding's record in the history (see {@link ReportedDeviations}).
     */
    public Outcome checkForReport(List<Path> roots, boolean paranoid, Scanner.Sink problems, ScanStats stats,
                                  BiConsumer<Change, ReportMark> fresh, Consumer<ReportMark.Deviation> reverted) {
        return checkForReport(roots, paranoid, problems, stats, fresh, reverted, null);
    }

    /**
     * {@link #checkForReport(List, boolean, Scanner.Sink, ScanStats, BiConsumer, Consumer)} that also verifies the
     * seal of the baseline (the daemon's full check): when {@code roots} cover every baselined area, the rows the
     * check read anyway are sealed as they pass and the seal is compared with the kept one
     * ({@link BaselineStore#verifySeal}); rows changed behind Vigil's back are passed to {@code tampered}.
     */
    public Outcome checkForReport(List<Path> roots, boolean paranoid, Scanner.Sink problems, ScanStats stats,
                                  BiConsumer<Change, ReportMark> fresh, Consumer<ReportMark.Deviation> reverted,
                                  Consumer<BaselineStore.Tampering> tampered) {
        java.util.Map<ByteKey, String> known = new java.util.HashMap<>();
        normalise(roots).forEach(root -> known.putAll(reported.under(root)));
        List<byte[]> raw = normalise(roots);
        // the seal before the areas: a baseline committed between the two reads moves the seal's generation, and
        // verifySeal then says nothing, where the areas read first could miss the area of rows the seal has
        BaselineStore.SealState before = tampered != null ? store.seal() : null;
        boolean sealing = before != null && store.areas().stream()
                .allMatch(area -> raw.stream().anyMatch(root -> PathBytes.isUnder(area, root)));
        Seal read = sealing ? Seal.empty() : null;
        Outcome outcome = check(roots, paranoid, problems, stats, change ->
                reported.fresh(change, known.remove(ByteKey.of(change.path()))).ifPresent(mark -> fresh.accept(change, mark)), read);
        if (sealing) {
            store.verifySeal(before, read, Instant.now()).ifPresent(tampered);
        }
        for (java.util.Map.Entry<ByteKey, String> gone : known.entrySet()) {
            reported.reverted(gone.getKey().bytes(), gone.getValue()).ifPresent(reverted);
        }
        return outcome;
    }

    /** What verifying one entry found. */
    public enum Verdict {
        /** A deviation not reported before. */
        NEW,
        /** A deviation reported before is gone: the entry is back as in the baseline. */
        REVERTED,
        /** Nothing to tell: as in the baseline, or the same deviation as already reported. */
        QUIET
    }

    /**
     * One entry verified: the verdict, the deviation from the baseline as it is now (null if none), and the mark
     * that recording a NEW or REVERTED finding makes (null when QUIET).
     */
    public record Verification(byte[] path, Verdict verdict, Change change, ReportMark.Deviation mark) {
    }

    /**
     * {@link #checkForReport} entry by entry, for the live watch ({@link Verifier#verify}), on one kept connection
     * with the baseline algorithm checked once: in a burst a connection opened per entry (with its pragmas) cost
     * more than the entry itself. The caller closes it, and uses it from one thread.
     */
    public Verifier verifier() {
        requireBaselineAlgorithm(store, options.algorithm());
        return new Verifier(store.lookup());
    }

    /** See {@link #verifier()}. */
    public final class Verifier implements AutoCloseable {

        private final BaselineStore.Lookup lookup;

        private Verifier(BaselineStore.Lookup lookup) {
            this.lookup = lookup;
        }

        /**
         * Stats one entry, hashes it if it is a file, compares it with its baseline record and applies the same
         * reported-once rule as {@link #checkForReport}, so a write that leaves the entry as it was makes no finding
         * and a real deviation is reported once whichever checker sees it first (by the mark its record makes). The
         * caller makes sure {@code path} lies in a baselined area and is not excluded. With {@code goneIsNews} false, an
         * entry found gone is QUIET, for the watch to tell when the event of its removal comes: verified after an
         * event that did not remove it (a write read after the file was renamed), it would be told DELETED before
         * the rename could be told MOVED.
         */
        public Verification verify(Path path, Scanner.Sink problems, boolean goneIsNews) {
            Path abs = path.toAbsolutePath().normalize();
            byte[] raw = PathBytes.of(abs);
            FileRecord before = lookup.find(raw).orElse(null);
            FileRecord after = single.record(raw, quietVanishing(problems), new ScanStats());
            if (after == null && !goneIsNews) {
                return new Verification(raw, Verdict.QUIET, null, null);
            }
            if (after != null && after.type().hasContent()) {
                after = single.hash(after, problems, new ScanStats());
            }
            Change change = new ChangeDetector(policy, options.excludes(), options.algorithm()).change(before, after);
            String remembered = lookup.reported(raw).orElse(null);
            if (change != null) {
                return reported.fresh(change, remembered).map(mark -> new Verification(raw, Verdict.NEW, change, mark))
                        .orElseGet(() -> new Verification(raw, Verdict.QUIET, change, null));
            }
            return reported.reverted(raw, remembered).map(mark -> new Verification(raw, Verdict.REVERTED, null, mark))
                    .orElseGet(() -> new Verification(raw, Verdict.QUIET, null, null));
        }

        /** Whether {@code path} has a baseline record. */
        public boolean inBaseline(Path path) {
            return lookup.find(PathBytes.of(path.toAbsolutePath().normalize())).isPresent();
        }

        @Override
        public void close() {
            lookup.close();
        }
    }

    /** A vanished entry is a verdict (DELETED), not a problem worth a warning. */
    private static Scanner.Sink quietVanishing(Scanner.Sink sink) {
        return new Scanner.Sink() {
            @Override
            public void entry(FileRecord record) {
                sink.entry(record);
            }

            @Override
            public void problem(byte[] path, String message) {
                if (!message.startsWith("vanished")) {
                    sink.problem(path, message);
                }
            }
        };
    }

    /** What the checks leave out (the configured globs and trusted ignore files). */
    public Excludes excludes() {
        return options.excludes();
    }

    /** The memory of reported deviations this check shares with the trickle and the watch, under its path policy. */
    public ReportedDeviations reported() {
        return reported;
    }

    /** The seal of the baseline as Vigil's writes kept it. */
    public BaselineStore.SealState seal() {
        return store.seal();
    }

    /** Whether {@code root} lies in an area that has a baseline. */
    public boolean hasBaseline(Path root) {
        byte[] raw = PathBytes.of(root.toAbsolutePath().normalize());
        return store.hashAlgorithm().isPresent() && store.areas().stream().anyMatch(a -> PathBytes.isUnder(raw, a));
    }

    /** Whether the baseline has an entry at exactly {@code path}. */
    public boolean hasEntry(Path path) {
        return store.find(PathBytes.of(path.toAbsolutePath().normalize())).isPresent();
    }

    /**
     * Reports every difference between the baseline and the current state under {@code roots}. The walk comes in
     * path order and is merged straight against the baseline. A quick check only stats: where an entry's stat key
     * is as in the baseline, its hash and extended attributes are taken from the baseline (setting an attribute
     * changes the ctime), and read only for the entries whose key changed.
     */
    public Outcome check(List<Path> roots, boolean paranoid, Scanner.Sink problems, ScanStats stats, Consumer<Change> out) {
        return check(roots, paranoid, problems, stats, out, null);
    }

    /** {@link #check}, adding every baseline row it reads to {@code sealOfRows} unless that is null. */
    private Outcome check(List<Path> roots, boolean paranoid, Scanner.Sink problems, ScanStats stats, Consumer<Change> out,
                          Seal sealOfRows) {
        requireBaselineAlgorithm(store, options.algorithm());
        List<byte[]> raw = normalise(roots);
        Scanner scanner = new Scanner(paranoid ? options.withHashContent(true)
                : options.withHashContent(false).withXattrs(false));
        long[] changes = {0};
        Instant started = Instant.now();
        ChangeDetector detector = new ChangeDetector(policy, options.excludes(), options.algorithm());
        ChangeDetector.CompletionStep complete = paranoid ? ChangeDetector.CompletionStep.none()
                : (b, c) -> completeQuick(scanner, b, c, problems, stats);
        for (byte[] root : raw) {
            // A baseline entry the walk did not meet because it is now excluded is out of scope, not deleted. That
            // is decided when the merge finds it missing: the walk has then gone past it, so every ignore file
            // above it has been read (the walk reads a directory's as it lists it).
            Predicate<FileRecord> outOfScope = nowExcluded(options.excludes());
            // every row read whole where a paranoid check hashes every file or a sealed one seals every row; else
            // each row by its quick key first, and the rows of a directory whose listing is as kept not at all
            boolean whole = paranoid || sealOfRows != null;
            try (BaselineStore.Rows before = whole
                         ? BaselineStore.Rows.whole(sealOfRows == null ? store.read(root) : sealing(store.read(root), sealOfRows))
                         : store.readKeyed(root);
                 OrderedWalk after = new OrderedWalk(scanner, PathBytes.toPath(root), problems, stats,
                         whole ? null : before::listing)) {
                detector.diff(before, after, complete, change -> {
                    if (change.kind() != ChangeKind.DELETED || !outOfScope.test(change.before())) {
                        changes[0]++;
                        out.accept(change);
                    }
                });
            }
        }
        record(paranoid ? "check-paranoid" : "check", raw, started, stats);
        return new Outcome(stats, changes[0], null);
    }

    /** The roots a check without paths covers. */
    public List<Path> areas() {
        return store.areas().stream().map(PathBytes::toPath).toList();
    }

    /** Entries the last run of this kind over these roots saw, for a progress estimate; 0 if none. */
    public long previousEntries(String kind, List<Path> roots) {
        return store.lastRun(kind, areaName(normalise(roots))).map(BaselineStore.ScanRun::entries).orElse(0L);
    }

    private FileRecord completeQuick(Scanner scanner, FileRecord b, FileRecord c, Scanner.Sink problems, ScanStats stats) {
        // only from a baseline record read whole: one with an error may lack its xattrs or hash
        if (b != null && b.error() == null && b.sameStatKey(c) && (!c.type().hasContent() || b.hash() != null)) {
            return c.withHashAndXattrsOf(b);
        }
        FileRecord read = options.xattrs() ? scanner.withXattrs(c, problems, stats) : c;
        return read.type().hasContent() ? scanner.hash(read, problems, stats) : read;
    }

    private Outcome stageAndAccept(List<byte[]> raw, String kind, Scanner.Sink problems, ScanStats stats,
                                   Function<BaselineStore.Snapshot, BaselineStore.SealState> accepting) {
        Instant started = Instant.now();
        try (BaselineStore.Snapshot snapshot = store.newSnapshot()) {
            scanInto(new Scanner(options.withHashContent(true)), raw, snapshot, problems, stats);
            BaselineStore.SealState seal = accepting.apply(snapshot);
            record(kind, raw, started, stats);
            return new Outcome(stats, 0, seal);
        }
    }

    /**
     * Stages the scan in path order, so the staging table grows at its end instead of splitting pages all over. An
     * interrupt of the calling thread ends it with a {@link CancellationException}, and the snapshot, closed
     * unfinished, keeps nothing: so the daemon stops a first baseline (minutes, of /) when it is told to stop.
     */
    private void scanInto(Scanner scanner, List<byte[]> raw, BaselineStore.Snapshot snapshot, Scanner.Sink problems, ScanStats stats) {
        for (byte[] root : raw) {
            try (OrderedWalk walk = new OrderedWalk(scanner, PathBytes.toPath(root), problems, stats)) {
                while (walk.advance()) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new CancellationException("interrupted while scanning " + PathBytes.escape(root));
                    }
                    snapshot.add(walk.entry());
                }
            }
        }
        snapshot.finish();
    }

    /** The cursor, adding each row it hands out to {@code seal}. */
    private static BaselineStore.Cursor sealing(BaselineStore.Cursor cursor, Seal seal) {
        return new BaselineStore.Cursor() {
            @Override
            public boolean hasNext() {
                return cursor.hasNext();
            }

            @Override
            public FileRecord next() {
                FileRecord r = cursor.next();
                seal.add(r);
                return r;
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
    }

    /** Baseline entries now excluded are out of scope, not deleted: the cursor without them (see {@link #nowExcluded}). */
    static BaselineStore.Cursor excluding(BaselineStore.Cursor cursor, Excludes excludes) {
        Predicate<FileRecord> excluded = nowExcluded(excludes);
        return new BaselineStore.Cursor() {
            private FileRecord next = advance();

            private FileRecord advance() {
                while (cursor.hasNext()) {
                    FileRecord r = cursor.next();
                    if (!excluded.test(r)) {
                        return r;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public FileRecord next() {
                FileRecord r = next;
                next = advance();
                return r;
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
    }

    /**
     * Whether baseline entries, met in path order, are now excluded. The entries of one directory mostly follow
     * each other: the directory's own verdict is decided once, and under a directory that is not excluded only an
     * entry's own name is matched, as the walk does. Under an excluded directory everything is excluded, as the
     * walk never goes there. Ignore files count as far as they were read by then.
     */
    static Predicate<FileRecord> nowExcluded(Excludes excludes) {
        return new Predicate<>() {
            private byte[] parent = new byte[0];
            private boolean parentExcluded;

            @Override
            public boolean test(FileRecord r) {
                byte[] path = r.path();
                boolean directory = r.type() == EntryType.DIRECTORY;
                int slash = PathBytes.lastSlash(path);
                if (slash <= 0) {
                    return excludes.excluded(path, directory);
                }
                if (!Arrays.equals(parent, 0, parent.length, path, 0, slash)) {
                    parent = Arrays.copyOf(path, slash);
                    parentExcluded = excludes.excluded(parent, true);
                }
                return parentExcluded || excludes.excludedInWalk(path, directory);
            }
        };
    }

    /** Refuses to compare hashes of another algorithm than the baseline's, or without a baseline. */
    static void requireBaselineAlgorithm(BaselineStore store, HashAlgorithm algorithm) {
        HashAlgorithm a = store.hashAlgorithm().orElseThrow(() ->
                new IllegalStateException("no baseline yet: run `vigil baseline` first"));
        if (a != algorithm) {
            throw new IllegalStateException("the baseline was taken with " + a + ", not " + algorithm);
        }
    }

    private void record(String kind, List<byte[]> roots, Instant started, ScanStats stats) {
        store.recordRun(new BaselineStore.ScanRun(kind, areaName(roots), started, Instant.now(),
                stats.entries.sum(), stats.bytesHashed.sum(), stats.errors.sum()));
    }

    /** The name a set of roots is recorded under in scan runs. */
    public static String areaName(List<byte[]> roots) {
        return String.join(",", roots.stream().map(PathBytes::escape).toList());
    }

    /** Absolute, normalised, sorted, and without roots nested in other roots. */
    public static List<byte[]> normalise(List<Path> roots) {
        List<byte[]> sorted = new ArrayList<>(roots.stream()
                .map(p -> PathBytes.of(p.toAbsolutePath().normalize())).toList());
        sorted.sort(Arrays::compareUnsigned);
        List<byte[]> out = new ArrayList<>();
        for (byte[] r : sorted) {
            if (out.stream().noneMatch(o -> PathBytes.isUnder(r, o))) {
                out.add(r);
            }
        }
        return out;
    }
}

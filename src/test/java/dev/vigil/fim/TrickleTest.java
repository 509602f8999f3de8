package dev.vigil.fim;

import dev.vigil.os.PathBytes;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import dev.vigil.store.SqliteBaseline;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trickle scan over real trees and a real SQLite baseline, on a fake clock that jumps forward instead of
 * sleeping: every rate is asserted in the trickle's own (fake) seconds, never against the wall clock.
 */
class TrickleTest {

    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private Path tree;
    private Database database;
    private SqliteBaseline store;

    /** A clock that only moves when the trickle sleeps; {@code onSleep} sees the moment before each jump. */
    private static final class FakeClock implements Trickle.Clock {
        long now = 5 * SECOND;
        Runnable onSleep = () -> { };

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            onSleep.run();
            now += nanos;
        }
    }

    /** One entry checked: in which cycle, when on the fake clock, and the change found (null if none). */
    private record Check(long cycle, String path, long time, Change change) {
    }

    /** What a run saw, filled in by the listener. */
    private static final class Run implements Trickle.Listener {
        final FakeClock clock;
        final List<Check> checks = new ArrayList<>();
        final List<Trickle.Cycle> cycles = new ArrayList<>();
        final Map<String, String> problems = new TreeMap<>();
        Trickle trickle;
        Predicate<Run> stopWhen = r -> false;

        Run(FakeClock clock) {
            this.clock = clock;
        }

        @Override
        public void change(Change change, String remembered) {
            checked(change.displayPath(), change);
        }

        @Override
        public void unchanged(byte[] path, String remembered) {
            checked(PathBytes.escape(path), null);
        }

        @Override
        public void cycle(Trickle.Cycle cycle) {
            cycles.add(cycle);
            stopIfDone();
        }

        @Override
        public void problem(byte[] path, String message) {
            problems.put(PathBytes.escape(path), message);
        }

        private void checked(String path, Change change) {
            checks.add(new Check(cycles.size() + 1, path, clock.now, change));
            stopIfDone();
        }

        private void stopIfDone() {
            if (stopWhen.test(this)) {
                trickle.stop();
            }
        }

        List<Check> inCycle(long n) {
            return checks.stream().filter(c -> c.cycle() == n).toList();
        }

        List<Change> changes() {
            return checks.stream().map(Check::change).filter(c -> c != null).toList();
        }
    }

    @BeforeEach
    void world() throws Exception {
        tree = dir.resolve("tree");
        Files.createDirectories(tree);
        database = Database.open(dir.resolve("vigil.db"));
        store = new SqliteBaseline(database);
    }

    private void write(String name, int bytes) throws Exception {
        Path p = tree.resolve(name);
        Files.createDirectories(p.getParent());
        byte[] content = new byte[bytes];
        new Random(name.hashCode()).nextBytes(content);
        Files.write(p, content);
    }

    /** A few directories of small and large files. */
    private void mixedTree() throws Exception {
        for (int d = 0; d < 4; d++) {
            for (int f = 0; f < 8; f++) {
                write("d" + d + "/sub/f" + f, 500 + 700 * f);
            }
            write("d" + d + "/big", 200_000 + d);
        }
        write("top", 10);
    }

    private void takeBaseline() {
        new Integrity(store, ScanOptions.defaults(), PathPolicy.none())
                .baseline(List.of(tree), quiet(), new ScanStats());
    }

    /** A baseline of the tree in a database file of its own, as a backup of another day. */
    private void baselineInto(Path file, ScanOptions options) {
        try (Database other = Database.open(file)) {
            new Integrity(new SqliteBaseline(other), options, PathPolicy.none()).baseline(List.of(tree), quiet(), new ScanStats());
        }
    }

    private static Scanner.Sink quiet() {
        return NoProblemsSink.INSTANCE;
    }

    private static TrickleOptions options(long byteRate, double fileRate, long smallFiles, double speedup, double halfLife) {
        return new TrickleOptions(byteRate, fileRate, smallFiles, speedup, halfLife, ScanOptions.defaults(), PathPolicy.none());
    }

    private Run run(TrickleOptions options, long seed, Predicate<Run> stopWhen) {
        return run(options, seed, stopWhen, new FakeClock());
    }

    private Run run(TrickleOptions options, long seed, Predicate<Run> stopWhen, FakeClock clock) {
        Run run = new Run(clock);
        run.stopWhen = stopWhen;
        run.trickle = new Trickle(store, "test", List.of(tree), options, clock, new Random(seed));
        run.trickle.run(run);
        return run;
    }

    private static Predicate<Run> afterCycles(int n) {
        return r -> r.cycles.size() >= n;
    }

    /**
     * Restores {@code backup} over the trickle's database once its first cycle ends, as DamagedDatabaseException
     * says to (the file moved aside with its WAL and shared memory to aside.db); stops after the second cycle.
     */
    private Predicate<Run> restoredAfterTheFirstCycle(Path backup) {
        return r -> {
            if (r.cycles.size() == 1 && !Files.exists(dir.resolve("aside.db"))) {
                try {
                    for (String suffix : List.of("", "-wal", "-shm")) {
                        Files.move(dir.resolve("vigil.db" + suffix), dir.resolve("aside.db" + suffix));
                    }
                    Files.copy(backup, dir.resolve("vigil.db"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return r.cycles.size() >= 2;
        };
    }

    private Set<String> baselinePaths() {
        Set<String> paths = new HashSet<>();
        try (BaselineStore.Cursor c = store.read(PathBytes.of(tree))) {
            c.forEachRemaining(r -> paths.add(r.displayPath()));
        }
        return paths;
    }

    private String path(String name) {
        return PathBytes.escape(PathBytes.of(tree.resolve(name)));
    }

    @Test
    void theCycleUnderWayIsAShareOfTheLastCyclesEntriesRisingAndBelowAWholeUntilItEnds() throws Exception {
        mixedTree();
        takeBaseline();
        FakeClock clock = new FakeClock();
        List<Trickle.Progress> samples = new ArrayList<>();
        AtomicReference<Trickle> trickle = new AtomicReference<>();
        clock.onSleep = () -> samples.add(trickle.get().progress());
        Run run = new Run(clock);
        run.stopWhen = afterCycles(2);
        run.trickle = new Trickle(store, "test", List.of(tree), options(100_000, 20, 16_384, 4, 60), clock, new Random(1));
        trickle.set(run.trickle);
        run.trickle.run(run);

        List<Trickle.Progress> first = samples.stream().filter(p -> p.cycles() == 0).toList();
        List<Trickle.Progress> second = samples.stream().filter(p -> p.cycles() == 1).toList();
        assertFalse(first.isEmpty() || second.isEmpty(), first.size() + " and " + second.size() + " samples");
        assertTrue(first.stream().allMatch(p -> p.cycleShare().isEmpty()), "no share before a cycle has ended");
        double before = 0;
        for (Trickle.Progress p : second) {
            double share = p.cycleShare().orElseThrow();
            assertTrue(share >= before && share <= 0.99, share + " after " + before);
            assertEquals(second.get(0).lastCycleEntries(), p.lastCycleEntries(), "the first cycle's count throughout");
            before = share;
        }
        assertTrue(before > 0.5, "the share rose through the second cycle: " + before);
    }

    @Test
    void readsNoMoreThanByterateAndChecksNoMoreThanFilerateAtAnyMoment() throws Exception {
        mixedTree();
        takeBaseline();
        long byteRate = 100_000;
        double fileRate = 20;
        TrickleOptions options = options(byteRate, fileRate, 16_384, 4, 60);
        long largestRead = Math.max(options.smallFiles(), options.chunk());
        FakeClock clock = new FakeClock();
        long start = clock.now;
        List<long[]> samples = new ArrayList<>();
        AtomicReference<Trickle> trickle = new AtomicReference<>();
        clock.onSleep = () -> {
            Trickle.Progress p = trickle.get().progress();
            samples.add(new long[]{clock.now, p.bytes(), p.entries()});
        };
        Run run = new Run(clock);
        run.stopWhen = afterCycles(2);
        run.trickle = new Trickle(store, "test", List.of(tree), options, clock, new Random(1));
        trickle.set(run.trickle);
        run.trickle.run(run);

        Trickle.Progress end = run.trickle.progress();
        samples.add(new long[]{clock.now, end.bytes(), end.entries()});
        // Up to a second of unused budget is kept (Trickle.CARRY), so the bound is t + 1 seconds' worth.
        double carry = Trickle.CARRY / (double) SECOND;
        for (long[] s : samples) {
            double seconds = (s[0] - start) / (double) SECOND;
            assertTrue(s[1] <= byteRate * (seconds + carry) + largestRead, s[1] + " bytes read after " + seconds + " s");
            assertTrue(s[2] <= fileRate * (seconds + carry) + 1, s[2] + " entries checked after " + seconds + " s");
        }
        assertTrue(end.bytes() >= 2 * 4 * 200_000L, "both cycles read the big files: " + end.bytes());
        assertTrue(end.bytes() > byteRate * 2 * carry, "enough reading that the carried second does not decide");
        // And the limits are used, not undershot: pauses for checks and for reads overlap, so a cycle takes
        // about what the tighter of its two budgets needs, not their sum.
        for (Trickle.Cycle c : run.cycles) {
            double due = Math.max(c.bytes() / (double) byteRate, c.entries() / fileRate);
            double took = c.duration().toNanos() / (double) SECOND;
            assertTrue(took <= due + carry + largestRead / (double) byteRate, c + " took " + took + " s, " + due + " s due");
        }
        assertTrue(run.changes().isEmpty(), run.changes().toString());
    }

    @Test
    void everyEntryIsVerifiedEachCycle() throws Exception {
        mixedTree();
        takeBaseline();
        Run run = run(options(10_000_000, 1000, 65_536, 4, 60), 7, afterCycles(3));
        Set<String> all = baselinePaths();
        assertEquals(3, run.cycles.size());
        for (long n = 1; n <= 3; n++) {
            Set<String> seen = new HashSet<>();
            run.inCycle(n).forEach(c -> seen.add(c.path()));
            assertEquals(all, seen, "cycle " + n);
            assertEquals(all.size(), run.inCycle(n).size(), "each entry once in cycle " + n);
            assertEquals(run.inCycle(n).size(), run.cycles.get((int) n - 1).entries());
        }
        assertTrue(run.changes().isEmpty(), run.changes().toString());
        assertTrue(run.problems.isEmpty(), run.problems.toString());
    }

    @Test
    void walkOrderDiffersBetweenCycles() throws Exception {
        mixedTree();
        takeBaseline();
        Run run = run(options(10_000_000, 1000, 65_536, 4, 60), 11, afterCycles(3));
        List<List<String>> orders = new ArrayList<>();
        for (long n = 1; n <= 3; n++) {
            orders.add(new ArrayList<>(run.inCycle(n).stream().map(Check::path)
                    .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new))));
        }
        assertNotEquals(orders.get(0), orders.get(1));
        assertNotEquals(orders.get(1), orders.get(2));
        assertNotEquals(orders.get(0).stream().sorted().toList(), orders.get(0), "not in path order either");
    }

    @Test
    void entriesVerifiedEarliestAreReverifiedFirstInTheNextCycle() throws Exception {
        // One flat directory, so where an entry comes in the walk is down to the shuffle alone.
        for (int f = 0; f < 40; f++) {
            write("f" + f, 100);
        }
        takeBaseline();
        Run run = run(options(10_000_000, 1000, 65_536, 4, 60), 3, afterCycles(2));
        List<String> first = run.inCycle(1).stream().map(Check::path).toList();
        List<String> second = run.inCycle(2).stream().map(Check::path).toList();
        assertEquals(first.size(), Set.copyOf(first).size(), "the first cycle has nothing to re-verify");
        // The root comes first in both; after it the oldest entries alternate with the walk's new ones.
        List<String> early = second.subList(0, 1 + 2 * 10);
        for (String p : first.subList(1, 11)) {
            assertTrue(early.contains(p), p + " was among the first verified, so it is re-verified early: " + early);
        }
        assertEquals(first.size(), second.size(), "an entry re-verified early is not checked again when the walk reaches it");
    }

    @Test
    void aTrickleStartedAgainUnderItsNameGoesOnWithTheOrderItsPredecessorLeft() throws Exception {
        for (int f = 0; f < 40; f++) {
            write("f" + f, 100);
        }
        takeBaseline();
        List<String> before = run(options(10_000_000, 1000, 65_536, 4, 60), 3, afterCycles(1)).inCycle(1).stream()
                .map(Check::path).toList();
        // A daemon restarted: a new store on the same file, a new trickle of the same name.
        store = new SqliteBaseline(Database.open(dir.resolve("vigil.db")));
        List<String> after = run(options(10_000_000, 1000, 65_536, 4, 60), 4, afterCycles(1)).inCycle(1).stream()
                .map(Check::path).toList();
        List<String> early = after.subList(0, 1 + 2 * 10);
        for (String p : before.subList(1, 11)) {
            assertTrue(early.contains(p), p + " was among the first verified before the restart, so it is re-verified early: " + early);
        }
        assertEquals(before.size(), after.size(), "still each entry once in the cycle");
        assertEquals(Set.copyOf(before), Set.copyOf(after));
    }

    @Test
    void anEntryRememberedOutsideTheAreasIsNeitherCheckedNorKept() throws Exception {
        mixedTree();
        takeBaseline();
        run(options(10_000_000, 1000, 65_536, 4, 60), 13, afterCycles(1));
        // The same name over a part of the tree only: what the first run verified elsewhere is another run's.
        Run run = new Run(new FakeClock());
        run.stopWhen = afterCycles(2);
        run.trickle = new Trickle(store, "test", List.of(tree.resolve("d1")), options(10_000_000, 1000, 65_536, 4, 60),
                run.clock, new Random(14));
        run.trickle.run(run);
        assertEquals(List.of(), run.checks.stream().map(Check::path).filter(p -> !p.startsWith(path("d1"))).toList(),
                "never left d1");
        assertTrue(run.changes().isEmpty(), run.changes().toString());
        try (BaselineStore.Verifications order = store.verifications("test")) {
            assertEquals(0, order.verified(PathBytes.of(tree.resolve("top"))), "forgotten");
            assertTrue(order.verified(PathBytes.of(tree.resolve("d1/big"))) > 0, "kept");
        }
    }

    @Test
    void modifiedAddedAndDeletedEntriesAreFound() throws Exception {
        mixedTree();
        write("gone/inside", 100);
        write("chmodded", 100);
        takeBaseline();
        Files.write(tree.resolve("d1/sub/f3"), "new content".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(tree.resolve("chmodded"), PosixFilePermissions.fromString("rwx------"));
        write("d2/sub/added", 50);
        write("newdir/inner", 50);
        Files.delete(tree.resolve("d0/sub/f0"));
        Files.delete(tree.resolve("gone/inside"));
        Files.delete(tree.resolve("gone"));

        Run run = run(options(10_000_000, 1000, 65_536, 4, 60), 5, afterCycles(1));

        Map<String, ChangeKind> found = new TreeMap<>();
        run.changes().forEach(c -> found.put(c.displayPath(), c.kind()));
        Map<String, ChangeKind> expected = new TreeMap<>(Map.of(
                path("d1/sub/f3"), ChangeKind.MODIFIED,
                path("chmodded"), ChangeKind.ATTRIBUTES,
                path("d2/sub/added"), ChangeKind.ADDED,
                path("newdir"), ChangeKind.ADDED,
                path("newdir/inner"), ChangeKind.ADDED,
                path("d0/sub/f0"), ChangeKind.DELETED,
                path("gone"), ChangeKind.DELETED,
                path("gone/inside"), ChangeKind.DELETED));
        // Adding or removing an entry changes its directory's mtime, ctime and link count.
        for (String parent : List.of("d0/sub", "d2/sub", "")) {
            expected.put(path(parent), ChangeKind.ATTRIBUTES);
        }
        assertEquals(expected, found);
        assertTrue(run.problems.isEmpty(), run.problems.toString());
    }

    @Test
    void aDatabaseReplacedUnderARunningTrickleIsTheOneItComparesWithAndWritesToFromTheNextCheck() throws Exception {
        write("same", 100);
        write("changed", 100);
        Path backup = dir.resolve("backup.db");
        baselineInto(backup, ScanOptions.defaults());
        write("changed", 200);
        takeBaseline();
        Path file = dir.resolve("vigil.db");
        Run run = run(options(10_000_000, 1000, 65_536, 4, 60), 5, restoredAfterTheFirstCycle(backup));

        assertEquals(List.of(), run.inCycle(1).stream().filter(c -> c.change() != null).toList());
        assertEquals(List.of(path("changed")), run.inCycle(2).stream().filter(c -> c.change() != null)
                .map(Check::path).toList(), "compared with the restored baseline");
        try (Database restored = Database.open(file); Database aside = Database.open(dir.resolve("aside.db"))) {
            long restoredLatest;
            try (BaselineStore.Verifications v = new SqliteBaseline(restored).verifications("test")) {
                restoredLatest = v.latest();
            }
            try (BaselineStore.Verifications v = new SqliteBaseline(aside).verifications("test")) {
                assertTrue(restoredLatest > v.latest(), "the second cycle's order went into the restored file: "
                        + restoredLatest + " there, " + v.latest() + " in the one moved aside");
            }
        }
    }

    @Test
    void aDatabaseRestoredUnderARunningTrickleWithAnotherHashAlgorithmIsAnErrorNotEveryFileModified() throws Exception {
        write("a", 100);
        write("b", 100);
        Path backup = dir.resolve("backup.db");
        baselineInto(backup, ScanOptions.defaults().withAlgorithm(HashAlgorithm.SHA512));
        takeBaseline();
        Run run = new Run(new FakeClock());
        run.stopWhen = restoredAfterTheFirstCycle(backup);
        run.trickle = new Trickle(store, "test", List.of(tree), options(10_000_000, 1000, 65_536, 4, 60),
                run.clock, new Random(5));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run.trickle.run(run));
        assertTrue(e.getMessage().contains("sha512"), e.getMessage());
        assertEquals(List.of(), run.changes(), "no file reported modified for its hash of another algorithm");
    }

    @Test
    void hostileEntriesAreCheckedWithoutFollowingOrOpeningThem() throws Exception {
        mixedTree();
        Tools.sh("mkfifo", tree.resolve("fifo").toString());
        Files.createSymbolicLink(tree.resolve("to-root"), Path.of("/"));
        Files.createSymbolicLink(tree.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(tree.resolve("loop-b"), Path.of("loop-a"));
        Files.createSymbolicLink(tree.resolve("d0/up"), Path.of(".."));
        takeBaseline();

        Run run = run(options(10_000_000, 1000, 65_536, 4, 60), 9, afterCycles(2));

        assertTrue(run.changes().isEmpty(), run.changes().toString());
        assertTrue(run.problems.isEmpty(), run.problems.toString());
        assertEquals(baselinePaths(), Set.copyOf(run.inCycle(2).stream().map(Check::path).toList()));
        assertTrue(run.checks.stream().allMatch(c -> c.path().startsWith(path(""))), "never left the tree");
    }

    @Test
    void excludedEntriesAreNeitherCheckedNorFoundAddedOrDeleted() throws Exception {
        mixedTree();
        write("d1/old.log", 10);
        takeBaseline();
        write("d2/new.log", 10);
        Files.writeString(tree.resolve("d3/sub/.vigilignore"), "f*\n");
        ScanOptions scan = ScanOptions.defaults().withExcludes(new Excludes(List.of("*.log")));
        TrickleOptions options = new TrickleOptions(10_000_000, 1000, 65_536, 4, 60, scan, PathPolicy.none());

        Run run = run(options, 12, afterCycles(2));

        Set<String> checked = new HashSet<>();
        run.checks.forEach(c -> checked.add(c.path()));
        for (String name : List.of("d1/old.log", "d2/new.log", "d3/sub/f0", "d3/sub/f7")) {
            assertTrue(!checked.contains(path(name)), name + " is excluded, so never checked nor reported");
        }
        Map<String, ChangeKind> found = new TreeMap<>();
        run.changes().forEach(c -> found.put(c.displayPath(), c.kind()));
        assertEquals(Map.of(path("d2"), ChangeKind.ATTRIBUTES, path("d3/sub"), ChangeKind.ATTRIBUTES,
                path("d3/sub/.vigilignore"), ChangeKind.ADDED), found, "only what adding files did to their directories");
    }

    @Test
    void anIgnoreFileAnotherUserOwnsIsFoundUntrustedAndWhatItNamesIsStillChecked() throws Exception {
        mixedTree();
        takeBaseline();
        Path ignore = Files.writeString(tree.resolve("d3/sub/.vigilignore"), "*\n");
        Files.setAttribute(ignore, "unix:uid", 65534);
        write("d3/sub/f0", 99);

        Run run = run(options(10_000_000, 1000, 65_536, 4, 60), 12, afterCycles(2));

        Map<String, String> found = new TreeMap<>();
        run.changes().forEach(c -> found.put(c.displayPath(), c.kind().name()));
        assertEquals(Map.of(path("d3/sub"), "ATTRIBUTES", path("d3/sub/f0"), "MODIFIED",
                path("d3/sub/.vigilignore"), "UNTRUSTED_IGNORE"), found);
    }

    @Test
    void speedsUpAfterANewChangeAndDecaysBack() throws Exception {
        mixedTree();
        takeBaseline();
        Files.write(tree.resolve("d3/sub/f5"), "tampered".getBytes(StandardCharsets.UTF_8));
        double fileRate = 10;
        double speedup = 8;
        double halfLife = 30;
        long[] firstChange = {-1};
        // Reads cost next to nothing here (a nanosecond each), so the gap between two checks is the file pace.
        long slack = 10;
        Run run = run(options(Long.MAX_VALUE, fileRate, 65_536, speedup, halfLife), 2, r -> {
            if (firstChange[0] < 0 && !r.changes().isEmpty()) {
                firstChange[0] = r.clock.now;
            }
            return firstChange[0] >= 0 && r.clock.now > firstChange[0] + 12 * halfLife * SECOND;
        });

        long normal = SECOND / (long) fileRate;
        List<Check> checks = run.checks;
        int changed = 0;
        while (checks.get(changed).time() < firstChange[0]) {
            changed++;
        }
        // The first second's worth of checks may come at once (Trickle.CARRY); the normal pace follows.
        int carried = (int) (fileRate * Trickle.CARRY / SECOND) + 1;
        assertTrue(changed > carried + 1, "this seed finds the change at " + changed + ", after the first second");
        for (int i = carried + 1; i < changed; i++) {
            assertTrue(checks.get(i).time() - checks.get(i - 1).time() >= normal, "normal pace before the change");
        }
        long firstGap = checks.get(changed + 1).time() - checks.get(changed).time();
        assertTrue(firstGap <= normal / speedup + slack, "sped up " + speedup + "x right after the change: " + firstGap);
        long previous = firstGap;
        for (int i = changed + 2; i < checks.size(); i++) {
            long gap = checks.get(i).time() - checks.get(i - 1).time();
            assertTrue(gap >= previous - slack, "the speed-up only decays, even when the same change is found again");
            previous = gap;
        }
        long lastGap = checks.get(checks.size() - 1).time() - checks.get(checks.size() - 2).time();
        assertTrue(lastGap >= normal * 0.99, "back to normal pace after 12 half-lives: " + lastGap);
        assertTrue(run.changes().size() > 3, "the unaccepted change is found again, cycle after cycle");
        assertTrue(run.trickle.progress().speed() < 1.01);
    }

    @Test
    void aNotimeFileRewrittenWithTheSameDeviatingContentIsReportedOnceButAFurtherChangeAgain() throws Exception {
        Path conf = Files.writeString(tree.resolve("app.conf"), "listen 80\n");
        takeBaseline();
        PathPolicy policy = new PathPolicy(List.of(), List.of(PathBytes.of(conf)));
        ReportedDeviations reported = new Integrity(store, ScanOptions.defaults(), policy).reported();
        EventLog events = new EventLog(database);
        Files.writeString(conf, "listen 8080\n");
        FakeClock clock = new FakeClock();
        List<String> sent = new ArrayList<>();
        List<Trickle.Cycle> cycles = new ArrayList<>();
        Trickle trickle = new Trickle(store, "test", List.of(tree), new TrickleOptions(10_000_000, 1000, 65_536, 4, 60,
                ScanOptions.defaults(), policy), clock, new Random(8));
        trickle.run(new Trickle.Listener() {
            @Override
            public void change(Change change, String remembered) {
                // as the daemon's report route records it: the finding with its mark, in one transaction
                reported.fresh(change, remembered).filter(mark -> events.record(ChangeFindings.toFinding(change, "h",
                        java.time.Instant.now(), dev.vigil.alert.Severity.WARNING), List.of(mark)) != null)
                        .ifPresent(mark -> sent.add(cycles.size() + 1 + " " + change.kind()));
            }

            @Override
            public void cycle(Trickle.Cycle cycle) {
                cycles.add(cycle);
                try {
                    if (cycles.size() == 1) {
                        Tools.rewriteLater(conf, "listen 8080\n");
                    } else if (cycles.size() == 3) {
                        Files.writeString(conf, "listen 4444\n");
                    } else if (cycles.size() == 4) {
                        trickle.stop();
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });

        assertEquals(List.of("1 MODIFIED", "4 MODIFIED"), sent,
                "the owner's rewrite with the same deviating content is no news; new content is");
    }

    @Test
    void stopFromTheListenerEndsTheRunBeforeTheNextCheck() throws Exception {
        mixedTree();
        takeBaseline();
        Run run = run(options(100_000, 20, 65_536, 4, 60), 4, r -> !r.checks.isEmpty());
        assertEquals(1, run.checks.size());
        assertEquals(1, run.trickle.progress().entries());
        assertTrue(run.cycles.isEmpty());
    }

    @Test
    void stopWakesATrickleThatWouldSleepForDays() throws Exception {
        mixedTree();
        takeBaseline();
        CountDownLatch sleeping = new CountDownLatch(1);
        Trickle.Clock clock = new Trickle.Clock() {
            @Override
            public long nanoTime() {
                return Trickle.Clock.SYSTEM.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                sleeping.countDown();
                Trickle.Clock.SYSTEM.sleep(nanos);
            }
        };
        // One byte a second: the first big file alone would take more than two days.
        Trickle trickle = new Trickle(store, "test", List.of(tree), options(1, 0.00001, 0, 1, 60), clock, new Random(8));
        List<String> heard = new ArrayList<>();
        Thread runner = new Thread(() -> trickle.run(new Trickle.Listener() {
            @Override
            public void change(Change change, String remembered) {
                heard.add("change " + change.displayPath());
            }

            @Override
            public void problem(byte[] path, String message) {
                heard.add("problem " + message);
            }
        }));
        runner.start();
        sleeping.await();
        trickle.stop();
        // Only a guard against hanging the build if stop() failed; the trickle would otherwise sleep for days.
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> runner.join());
        assertTrue(heard.isEmpty(), "a read or sleep cut short is neither a change nor a problem: " + heard);
    }

    @Test
    void aStopThatCutsShortAWaitOfTheStoreEndsTheRunQuietly() throws Exception {
        mixedTree();
        takeBaseline();
        // The store's contract when the thread is interrupted while it waits (SqliteBaseline reads the baseline
        // ahead on a thread of its own): the interrupt flag is set again and the wait ends in an exception. Here the
        // wait is the cycle's last read of the baseline, for the entries the walk did not reach.
        Trickle[] trickle = new Trickle[1];
        BaselineStore interruptedRead = delegating(BaselineStore.class, store, (method, args) -> {
            if (method.getName().equals("verifications")) {
                return delegating(BaselineStore.Verifications.class, store.verifications((String) args[0]), (m, a) -> {
                    if (m.getName().equals("unverified")) {
                        trickle[0].stop();
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while reading the baseline");
                    }
                    return null;
                });
            }
            return null;
        });
        trickle[0] = new Trickle(interruptedRead, "test", List.of(tree), options(1_000_000, 1_000, 65_536, 1, 60),
                new FakeClock(), new Random(3));
        List<String> problems = new ArrayList<>();
        trickle[0].run(new Trickle.Listener() {
            @Override
            public void change(Change change, String remembered) {
            }

            @Override
            public void problem(byte[] path, String message) {
                problems.add(message);
            }
        });
        assertTrue(problems.isEmpty(), problems.toString());
        assertTrue(trickle[0].progress().entries() > 0, "the cycle ran up to its last read of the baseline");
    }

    /** {@code target} behind {@code type}, but for the calls {@code instead} answers with something other than null. */
    private static <T> T delegating(Class<T> type, T target, java.util.function.BiFunction<java.lang.reflect.Method, Object[], Object> instead) {
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            Object answer = instead.apply(method, args);
            if (answer != null) {
                return answer;
            }
            try {
                return method.invoke(target, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    @Test
    void refusesToRunWithoutABaseline() {
        Trickle trickle = new Trickle(store, "test", List.of(tree), TrickleOptions.defaults(), new FakeClock(), new Random(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trickle.run((change, remembered) -> { }));
        assertTrue(e.getMessage().contains("no baseline"), e.getMessage());
    }

    @Test
    void coversTheBaselinedAreasWhenGivenNone() throws Exception {
        mixedTree();
        takeBaseline();
        Run run = new Run(new FakeClock());
        run.stopWhen = afterCycles(1);
        run.trickle = new Trickle(store, "test", List.of(), options(10_000_000, 1000, 65_536, 4, 60), run.clock, new Random(6));
        run.trickle.run(run);
        assertEquals(baselinePaths(), Set.copyOf(run.inCycle(1).stream().map(Check::path).toList()));
    }

    @Test
    void optionsOutOfRangeAreRefusedWithTheirName() {
        Map<String, org.junit.jupiter.api.function.Executable> bad = Map.of(
                "byteRate", () -> options(0, 1, 0, 1, 1),
                "fileRate", () -> options(1, 0, 0, 1, 1),
                "smallFiles", () -> options(1, 1, Hasher.BUFFER + 1, 1, 1),
                "speedup ", () -> options(1, 1, 0, 0.5, 1),
                "speedupHalfLife", () -> options(1, 1, 0, 1, 0));
        bad.forEach((name, make) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
            assertTrue(e.getMessage().startsWith(name), e.getMessage());
        });
    }
}

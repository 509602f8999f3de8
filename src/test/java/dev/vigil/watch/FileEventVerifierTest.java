package dev.vigil.watch;


import dev.vigil.alert.Finding;
import dev.vigil.fim.Excludes;
import dev.vigil.fim.Integrity;
import dev.vigil.os.PathBytes;
import dev.vigil.fim.PathGlobs;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ReportMark;
import dev.vigil.fim.ScanOptions;
import dev.vigil.fim.ScanStats;
import dev.vigil.fim.Tools;
import dev.vigil.store.Database;
import dev.vigil.store.FileEventHistory;
import dev.vigil.store.SqliteBaseline;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The verifier on a real baseline in a real SQLite file and real files, fed the events the kernel would send
 * (the kernel side is tested in {@code dev.vigil.watch} and end to end in {@code camel.DaemonRoutesTest}); here the
 * events are built by hand so that the rename and overflow cases are exact. Debouncing is off (zero quiet time)
 * and the verification budget unlimited, so one call verifies everything it is given.
 */
class FileEventVerifierTest {

    /** What the daemon's watcher says when it has caught up: checks after lost events are then made at once. */
    private static final BooleanSupplier CAUGHT_UP = () -> false;

    @TempDir
    Path dir;

    private Path tree;
    private Database db;
    private final List<Finding> findings = new ArrayList<>();
    private FileEventVerifier verifier;

    @BeforeEach
    void baseline() throws Exception {
        tree = Files.createDirectory(dir.resolve("etc"));
        Files.writeString(tree.resolve("hosts"), "127.0.0.1 localhost\n");
        Files.writeString(tree.resolve("motd"), "welcome\n");
        db = Database.open(dir.resolve("v.db"));
        ScanOptions options = ScanOptions.defaults().withExcludes(new Excludes(List.of("*.swp")));
        Integrity integrity = new Integrity(new SqliteBaseline(db), options, PathPolicy.none());
        integrity.baseline(List.of(tree), FileEventVerifier.problems("test"), new ScanStats());
        verifier = new FileEventVerifier("test", integrity, new FileEventHistory(db), options.excludes(),
                new PathGlobs(List.of("/nothing")), "h", List.of(tree),
                new Debouncer(Duration.ZERO, Duration.ZERO, Clock.systemUTC()), Duration.ofDays(1), this::report);
    }

    /** Subjects another checker (the trickle, say) records a deviation of just before the watch's finding comes. */
    private final Set<String> recordedFirstElsewhere = new java.util.HashSet<>();

    /** As the daemon's report route: recorded in the history with its marks, and kept unless none of them was news. */
    private boolean report(Finding f, List<ReportMark> marks) {
        if (recordedFirstElsewhere.remove(f.subject())) {
            new dev.vigil.store.EventLog(db).record(f, marks);
        }
        if (new dev.vigil.store.EventLog(db).record(f, marks) != null) {
            findings.add(f);
            return true;
        }
        return false;
    }

    private static FileEvent event(Set<EventType> types, Path path, Path oldPath, String comm) {
        return new FileEvent(types, path, oldPath, false, Instant.now(), 4242, 1, comm, "/usr/bin/" + comm, 0, "root",
                true, null);
    }

    private List<String> seen() {
        return findings.stream().map(f -> f.kind() + " " + f.subject()).toList();
    }

    @Test
    void aDatabaseReplacedWhileWatchingIsTheOneTheNextBatchIsVerifiedAgainst() throws Exception {
        Path motd = tree.resolve("motd");
        Files.writeString(motd, "hello\n");
        Path backup = dir.resolve("backup.db");
        try (Database earlier = Database.open(backup)) {
            new Integrity(new SqliteBaseline(earlier), ScanOptions.defaults(), PathPolicy.none())
                    .baseline(List.of(tree), FileEventVerifier.problems("test"), new ScanStats());
        }
        verifier.accept(List.of(event(Set.of(EventType.CLOSE_WRITE), motd, null, "vi")), CAUGHT_UP);
        assertEquals(List.of("MODIFIED " + motd), seen());

        // a backup restored: the file moved aside with its WAL and shared memory, the backup copied into place
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.move(dir.resolve("v.db" + suffix), dir.resolve("aside.db" + suffix));
        }
        Files.copy(backup, dir.resolve("v.db"));
        Files.writeString(motd, "welcome\n");
        verifier.accept(List.of(event(Set.of(EventType.CLOSE_WRITE), motd, null, "vi")), CAUGHT_UP);

        assertEquals(List.of("MODIFIED " + motd, "MODIFIED " + motd), seen(),
                "against the restored baseline (\"hello\") a change, not the old one's REVERTED");
    }

    @Test
    void renamedBaselinedFileIsOneMovedFindingWithBothPaths() throws Exception {
        Path to = tree.resolve("motd.old");
        Files.move(tree.resolve("motd"), to);
        verifier.accept(List.of(event(Set.of(EventType.MOVED), to, tree.resolve("motd"), "mv")), CAUGHT_UP);

        assertEquals(List.of("MOVED " + to, "ATTRIBUTES " + tree), seen(), "the directory's times moved with the rename");
        assertEquals("mv", findings.get(1).details().get("comm"));
        Finding moved = findings.get(0);
        assertEquals(tree.resolve("motd").toString(), moved.details().get("from"));
        assertEquals(to.toString(), moved.details().get("to"));
        assertEquals("mv", moved.details().get("comm"));
        assertEquals(4242, moved.details().get("pid"));
        assertEquals(true, moved.details().get("attributed"));
    }

    @Test
    void aChangeToABaselinedFileIsVerifiedBeforeABacklogOfFilesInANewDirectory() throws Exception {
        FileEventVerifier oneAtATime = new FileEventVerifier("test", new Integrity(new SqliteBaseline(db),
                ScanOptions.defaults(), PathPolicy.none()), new FileEventHistory(db), Excludes.none(), new PathGlobs(List.of()),
                "h", List.of(tree), new Debouncer(Duration.ZERO, Duration.ZERO, Clock.systemUTC()), Duration.ZERO, this::report);
        Path cache = Files.createDirectory(tree.resolve("cache"));
        List<FileEvent> burst = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            burst.add(event(Set.of(EventType.CREATE, EventType.CLOSE_WRITE), Files.writeString(cache.resolve("f" + i), "x"), null,
                    "python3"));
        }
        Path hosts = tree.resolve("hosts");
        Files.writeString(hosts, "10.0.0.66 localhost\n");
        // A write is MODIFY then CLOSE_WRITE; CLOSE_WRITE alone is a close of an inherited descriptor, blamed on nobody.
        burst.add(event(Set.of(EventType.MODIFY, EventType.CLOSE_WRITE), hosts, null, "hidden-edit"));

        oneAtATime.accept(burst, CAUGHT_UP);

        assertEquals("MODIFIED " + hosts, seen().get(0), "one verification per call (no budget): the baselined file's");
        assertEquals("hidden-edit", findings.get(0).details().get("comm"));
        while (oneAtATime.untilNextDue().filter(Duration.ZERO::equals).isPresent()) {
            oneAtATime.accept(List.of(), CAUGHT_UP);
        }
        assertEquals(20, seen().stream().filter(s -> s.startsWith("ADDED " + cache + "/")).count(), "the backlog follows");
    }

    /** A verifier that holds each path's events for a second of {@code clock}, as the daemon's debounce does. */
    private FileEventVerifier debouncing(HandClock clock) {
        return new FileEventVerifier("test", new Integrity(new SqliteBaseline(db), ScanOptions.defaults(),
                PathPolicy.none()), new FileEventHistory(db), Excludes.none(), new PathGlobs(List.of()), "h", List.of(tree),
                new Debouncer(Duration.ofSeconds(1), Duration.ofSeconds(5), clock), Duration.ofDays(1), this::report);
    }

    @Test
    void aFileRenamedWhileItsWriteWaitsToBeVerifiedIsOneMovedFinding() throws Exception {
        HandClock clock = new HandClock();
        FileEventVerifier verifier = debouncing(clock);
        Path motd = tree.resolve("motd");
        Path to = tree.resolve("motd.old");
        Files.writeString(motd, "owned\n");
        verifier.accept(List.of(event(Set.of(EventType.CLOSE_WRITE), motd, null, "sh")), CAUGHT_UP);
        Files.move(motd, to);
        clock.advance(Duration.ofSeconds(2));
        verifier.accept(List.of(), CAUGHT_UP); // the write is due before the rename's event is read
        verifier.accept(List.of(event(Set.of(EventType.MOVED), to, motd, "mv")), CAUGHT_UP);

        assertEquals(List.of("MOVED " + to, "ATTRIBUTES " + tree), seen());
        assertEquals(motd.toString(), findings.get(0).details().get("from"));
    }

    @Test
    void aDirectoryRenamedWhileAWriteInItWaitsToBeVerifiedIsMovedEntryByEntry() throws Exception {
        Path app = Files.createDirectory(tree.resolve("app"));
        Files.writeString(app.resolve("app.conf"), "listen 80\n");
        new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), PathPolicy.none())
                .baseline(List.of(tree), FileEventVerifier.problems("test"), new ScanStats());
        HandClock clock = new HandClock();
        FileEventVerifier verifier = debouncing(clock);
        Path to = tree.resolve("app.d");
        Files.writeString(app.resolve("app.conf"), "listen 4444\n");
        verifier.accept(List.of(event(Set.of(EventType.CLOSE_WRITE), app.resolve("app.conf"), null, "sh")), CAUGHT_UP);
        Files.move(app, to);
        clock.advance(Duration.ofSeconds(2));
        verifier.accept(List.of(), CAUGHT_UP);
        verifier.accept(List.of(new FileEvent(Set.of(EventType.MOVED), to, app, true, Instant.now(), 4242, 1, "mv",
                "/usr/bin/mv", 0, "root", true, null)), CAUGHT_UP);

        assertEquals(List.of("MOVED " + to, "MOVED " + to.resolve("app.conf"), "ATTRIBUTES " + tree), seen(),
                "each entry once, as moved; the rewritten file's new content is in its finding");
        assertEquals("listen 4444\n".length() + "", String.valueOf(((java.util.Map<?, ?>) findings.get(1).details().get("after")).get("size")));
    }

    @Test
    void fileSavedByRenamingATempFileOverItIsModifiedWithTheNameItWasWrittenUnder() throws Exception {
        Path temp = Files.writeString(tree.resolve("hosts.new"), "10.0.0.66 localhost\n");
        Files.move(temp, tree.resolve("hosts"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        verifier.accept(List.of(event(Set.of(EventType.CREATE, EventType.CLOSE_WRITE), temp, null, "sed"),
                event(Set.of(EventType.MOVED), tree.resolve("hosts"), temp, "sed")), CAUGHT_UP);

        assertEquals(List.of("MODIFIED " + tree.resolve("hosts"), "ATTRIBUTES " + tree), seen(),
                "the temp file is gone and was never baselined: nothing to say about it");
        assertEquals(temp.toString(), findings.get(0).details().get("movedFrom"));
        assertEquals("sed", findings.get(0).details().get("comm"));
    }

    @Test
    void aDeviationSeenByTwoEventsIsReportedOnce() throws Exception {
        Files.writeString(tree.resolve("motd"), "owned\n");
        verifier.accept(List.of(event(Set.of(EventType.CLOSE_WRITE), tree.resolve("motd"), null, "sh")), CAUGHT_UP);
        verifier.accept(List.of(event(Set.of(EventType.ATTRIB), tree.resolve("motd"), null, "touch")), CAUGHT_UP);

        assertEquals(List.of("MODIFIED " + tree.resolve("motd")), seen());
        assertEquals(2, new FileEventHistory(db).query(new FileEventHistory.Query(null, null, null, null, null, null, null)).size(),
                "both raw events are kept all the same");
    }

    @Test
    void aNotimeFileRewrittenWithTheSameDeviatingContentIsNotReportedAgainButAFurtherChangeIs() throws Exception {
        Path motd = tree.resolve("motd");
        FileEventVerifier notime = new FileEventVerifier("test", new Integrity(new SqliteBaseline(db), ScanOptions.defaults(),
                new PathPolicy(List.of(), List.of(PathBytes.of(motd)))), new FileEventHistory(db), Excludes.none(),
                new PathGlobs(List.of()), "h", List.of(tree),
                new Debouncer(Duration.ZERO, Duration.ZERO, Clock.systemUTC()), Duration.ofDays(1), this::report);
        Files.writeString(motd, "owned\n");
        notime.accept(List.of(event(Set.of(EventType.CLOSE_WRITE), motd, null, "sh")), CAUGHT_UP);
        Tools.rewriteLater(motd, "owned\n");
        notime.accept(List.of(event(Set.of(EventType.CLOSE_WRITE), motd, null, "sh")), CAUGHT_UP);
        assertEquals(List.of("MODIFIED " + motd), seen(), "the owner rewrote it with the same deviating content");

        Files.writeString(motd, "owned again\n");
        notime.accept(List.of(event(Set.of(EventType.CLOSE_WRITE), motd, null, "sh")), CAUGHT_UP);
        assertEquals(List.of("MODIFIED " + motd, "MODIFIED " + motd), seen(), "new content is a new deviation");
    }

    @Test
    void anIgnoreFileWrittenOrRemovedWhileWatchingAppliesFromItsOwnEvent() throws Exception {
        Path ignore = Files.writeString(tree.resolve(Excludes.IGNORE_FILE), "*.cache\n");
        Path first = Files.writeString(tree.resolve("fonts.cache"), "x");
        verifier.accept(List.of(event(Set.of(EventType.CLOSE_WRITE), ignore, null, "vi"),
                event(Set.of(EventType.CLOSE_WRITE), first, null, "fc-cache")), CAUGHT_UP);
        assertEquals(List.of("ADDED " + ignore), seen(), "the ignore file is itself a change; what it ignores is not");

        Files.delete(ignore);
        Path second = Files.writeString(tree.resolve("icons.cache"), "y");
        verifier.accept(List.of(event(Set.of(EventType.DELETE), ignore, null, "rm"),
                event(Set.of(EventType.CLOSE_WRITE), second, null, "gtk-update-icon-cache")), CAUGHT_UP);
        assertEquals(List.of("ADDED " + ignore, "REVERTED " + ignore, "ADDED " + second, "ATTRIBUTES " + tree), seen(),
                "removed, it ignores nothing any more (and its own addition is undone)");
    }

    @Test
    void anIgnoreFileOfStarWrittenByAnotherUserHidesNoChangeFromTheWatchAndIsACriticalFinding() throws Exception {
        Path ignore = Files.writeString(tree.resolve(Excludes.IGNORE_FILE), "*\n");
        Files.setAttribute(ignore, "unix:uid", 65534);
        Files.writeString(tree.resolve("motd"), "owned\n");
        Files.delete(tree.resolve("hosts"));
        Path added = Files.writeString(tree.resolve("rc.local"), "nc -l 4444 -e /bin/sh\n");
        verifier.accept(List.of(event(Set.of(EventType.CLOSE_WRITE), ignore, null, "sh"),
                event(Set.of(EventType.CLOSE_WRITE), tree.resolve("motd"), null, "sh"),
                event(Set.of(EventType.DELETE), tree.resolve("hosts"), null, "rm"),
                event(Set.of(EventType.CLOSE_WRITE), added, null, "sh")), CAUGHT_UP);

        assertEquals(List.of("UNTRUSTED_IGNORE " + ignore, "MODIFIED " + tree.resolve("motd"), "DELETED " + tree.resolve("hosts"),
                "ADDED " + added, "ATTRIBUTES " + tree), seen());
        assertEquals("CRITICAL", findings.get(0).severity().name());
        assertEquals("not applied: owned by uid 65534, not root", findings.get(0).details().get("message"));
    }

    @Test
    void aTrustedIgnoreFileOfStarStillHasItsOwnChangeReportedByTheWatch() throws Exception {
        Path ignore = Files.writeString(tree.resolve(Excludes.IGNORE_FILE), "*\n");
        verifier.accept(List.of(event(Set.of(EventType.CLOSE_WRITE), ignore, null, "vi")), CAUGHT_UP);
        Files.writeString(tree.resolve("motd"), "hidden by the rule\n");
        Files.writeString(ignore, "*\n!hosts\n");
        verifier.accept(List.of(event(Set.of(EventType.CLOSE_WRITE), tree.resolve("motd"), null, "sh"),
                event(Set.of(EventType.CLOSE_WRITE), ignore, null, "vi")), CAUGHT_UP);

        assertEquals(List.of("ADDED " + ignore, "ADDED " + ignore), seen(),
                "added, then changed: a new deviation of the same entry; what it ignores is not reported");
    }

    @Test
    void aNewDirectoryIsReportedAddedOnceHoweverManyFilesAreCreatedInIt() throws Exception {
        Path added = Files.createDirectory(tree.resolve("drop"));
        verifier.accept(List.of(event(Set.of(EventType.CREATE), added, null, "mkdir")), CAUGHT_UP);
        for (int batch = 0; batch < 60; batch++) { // the watch hands events over in batches, verified each
            List<FileEvent> events = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Path file = Files.writeString(added.resolve("f" + batch + "-" + i), "payload");
                events.add(event(Set.of(EventType.CREATE, EventType.CLOSE_WRITE), file, null, "sh"));
            }
            verifier.accept(events, CAUGHT_UP);
        }

        assertEquals(List.of("ADDED " + added), seen().stream().filter(s -> s.endsWith(" " + added)).toList(),
                "each file moved the new directory's times, which is no news about an entry not yet accepted");
        assertEquals(600, seen().stream().filter(s -> s.startsWith("ADDED " + added + "/")).count());
        assertEquals(List.of("ATTRIBUTES " + tree), seen().stream().filter(s -> s.endsWith(" " + tree)).toList());
        assertEquals(602, findings.size());
    }

    @Test
    void lostEventsMakeACheckOfTheAreaAndAFindingSayingSo() throws Exception {
        Files.writeString(tree.resolve("motd"), "changed while events were lost\n");
        Files.delete(tree.resolve("hosts"));
        verifier.accept(List.of(FileEvent.overflow(null, Instant.now(), "watcher queue full")), CAUGHT_UP);

        // The directory's times moved with the deletion: the check reports that as a full check does.
        assertEquals(List.of("ATTRIBUTES " + tree, "DELETED " + tree.resolve("hosts"), "MODIFIED " + tree.resolve("motd"),
                "OVERFLOW " + tree), seen());
        for (Finding f : findings.subList(0, 3)) {
            assertEquals(false, f.details().get("attributed"));
            assertEquals(FileEventVerifier.OVERFLOW_CHECK, f.details().get("foundBy"));
        }
        assertEquals("watcher queue full", findings.get(3).details().get("message"));
    }

    @Test
    void theFindingOfLostEventsCountsTheDeviationsAndRevertsTheCheckRecordedNotThoseItSent() throws Exception {
        Path motd = tree.resolve("motd");
        Path hosts = tree.resolve("hosts");
        // times not compared, so that writing the baselined content back reverts the deviation
        FileEventVerifier notime = new FileEventVerifier("test", new Integrity(new SqliteBaseline(db), ScanOptions.defaults(),
                new PathPolicy(List.of(), List.of(PathBytes.of(motd), PathBytes.of(hosts)))), new FileEventHistory(db),
                Excludes.none(), new PathGlobs(List.of()), "h", List.of(tree),
                new Debouncer(Duration.ZERO, Duration.ZERO, Clock.systemUTC()), Duration.ofDays(1), this::report);
        Files.writeString(motd, "changed\n");
        notime.accept(List.of(event(Set.of(EventType.CLOSE_WRITE), motd, null, "vi")), CAUGHT_UP);
        Files.writeString(motd, "welcome\n");
        Files.writeString(hosts, "10.0.0.1 elsewhere\n");
        recordedFirstElsewhere.add(hosts.toString());
        findings.clear();

        notime.accept(List.of(FileEvent.overflow(null, Instant.now(), "watcher queue full")), CAUGHT_UP);

        assertEquals(List.of("REVERTED " + motd, "OVERFLOW " + tree), seen(), "hosts' deviation was another checker's");
        assertEquals("the area was checked at once: 0 new deviation(s) and 1 reverted recorded",
                findings.get(1).details().get("checked"));
    }

    /**
     * Lost events in one directory while the watcher is behind (a burst goes on): the check waits until it has
     * caught up, and is then made once, of that directory only, however often the burst overflowed meanwhile.
     */
    @Test
    void lostEventsOfADirectoryAreCheckedOnceTheWatcherHasCaughtUp() throws Exception {
        Path cache = Files.createDirectory(tree.resolve("cache"));
        Files.writeString(cache.resolve("left"), "made during the burst\n");
        Files.writeString(tree.resolve("motd"), "changed elsewhere, its event not lost\n");
        verifier.accept(List.of(FileEvent.overflow(cache, Instant.now(), "1000 events dropped in this directory")), () -> true);
        verifier.accept(List.of(FileEvent.overflow(cache, Instant.now(), "2000 events dropped in this directory")), () -> true);
        assertEquals(List.of(), seen());

        verifier.accept(List.of(), CAUGHT_UP);
        assertEquals(List.of("ADDED " + cache, "ADDED " + cache.resolve("left"), "OVERFLOW " + cache), seen(),
                "the directory only: motd is not checked");
        assertEquals("1000 events dropped in this directory; 2000 events dropped in this directory",
                findings.get(2).details().get("message"));
        verifier.accept(List.of(), CAUGHT_UP);
        assertEquals(3, findings.size());
    }

    @Test
    void pathsBeyondWhatIsHeldAreStoredAndTheirDirectoryCheckedInsteadOfHeld() throws Exception {
        FileEventVerifier slow = new FileEventVerifier("test", new Integrity(new SqliteBaseline(db), ScanOptions.defaults(),
                PathPolicy.none()), new FileEventHistory(db), Excludes.none(), new PathGlobs(List.of()), "h", List.of(tree),
                new Debouncer(Duration.ofHours(1), Duration.ofHours(1), Clock.systemUTC()), Duration.ofDays(1), this::report);
        Path flood = Files.createDirectory(tree.resolve("flood"));
        Files.writeString(flood.resolve("left"), "made during the flood\n");
        List<FileEvent> burst = new ArrayList<>();
        for (int i = 0; i < FileEventVerifier.MAX_HELD + 100; i++) {
            burst.add(event(Set.of(EventType.CREATE, EventType.DELETE), flood.resolve("tmp" + i), null, "postgres"));
        }
        slow.record(burst);
        slow.accept(List.of(), CAUGHT_UP);

        assertEquals(List.of("ADDED " + flood, "ADDED " + flood.resolve("left"), "OVERFLOW " + flood), seen(),
                "nothing held is due within the hour; the directory checked at once");
        assertEquals(FileEventVerifier.TOO_MANY_HELD, findings.get(2).details().get("message"));
        assertEquals(1, new FileEventHistory(db).eventsOf(flood.resolve("tmp" + (FileEventVerifier.MAX_HELD + 99)), null, 10)
                .size(), "every event stored, those not held too");
    }

    @Test
    void excludedPathsAreNeitherKeptNorVerified() throws Exception {
        Path swap = Files.writeString(tree.resolve(".hosts.swp"), "x");
        verifier.accept(List.of(event(Set.of(EventType.CREATE, EventType.CLOSE_WRITE), swap, null, "vi")), CAUGHT_UP);

        assertEquals(List.of(), seen());
        assertEquals(List.of(), new FileEventHistory(db).query(new FileEventHistory.Query(null, null, null, null, null, null, null)));
    }

    @Test
    void whenTheBudgetRunsOutEveryEventIsStoredAtOnceAndTheRestVerifiedOnTheNextCalls() throws Exception {
        FileEventVerifier hurried = new FileEventVerifier("test", new Integrity(new SqliteBaseline(db), ScanOptions.defaults(),
                PathPolicy.none()), new FileEventHistory(db), Excludes.none(), new PathGlobs(List.of()), "h", List.of(tree),
                new Debouncer(Duration.ZERO, Duration.ZERO, Clock.systemUTC()), Duration.ZERO, this::report);
        Files.delete(tree.resolve("hosts"));
        Files.delete(tree.resolve("motd"));
        hurried.accept(List.of(event(Set.of(EventType.DELETE), tree.resolve("hosts"), null, "rm"),
                event(Set.of(EventType.DELETE), tree.resolve("motd"), null, "rm")), CAUGHT_UP);

        assertEquals(2, new FileEventHistory(db).query(new FileEventHistory.Query(null, null, null, "rm", null, null, null)).size());
        assertEquals(List.of("DELETED " + tree.resolve("hosts"), "ATTRIBUTES " + tree), seen(),
                "with no budget left, one event per call (and the directory it was listed in)");
        assertEquals(Duration.ZERO, hurried.untilNextDue().orElseThrow(), "the worker is told to come back at once");
        hurried.accept(List.of(), CAUGHT_UP);
        assertEquals(List.of("DELETED " + tree.resolve("hosts"), "ATTRIBUTES " + tree, "DELETED " + tree.resolve("motd")), seen(),
                "the directory changed once (both deletions came before it was verified): reported once");
        assertEquals(java.util.Optional.empty(), hurried.untilNextDue());
    }

    @Test
    void theStartUpCheckReportsWhatChangedWhileNothingWatchedAsNotAttributed() throws Exception {
        Files.writeString(tree.resolve("new"), "x");
        verifier.startupCheck();

        assertEquals(List.of("ATTRIBUTES " + tree, "ADDED " + tree.resolve("new")), seen());
        assertEquals(false, findings.get(1).details().get("attributed"));
        assertEquals(FileEventVerifier.STARTUP_CHECK, findings.get(1).details().get("foundBy"));
    }
}

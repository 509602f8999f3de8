package dev.vigil.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReportGateTest {

    private final MutableClock clock = new MutableClock(Samples.T0);
    private final AtomicLong events = new AtomicLong();

    /** The finding as the route offers it: with a row of its own in the event history. */
    private RecordedFinding recorded(Finding finding) {
        return new RecordedFinding(events.incrementAndGet(), finding);
    }

    private Optional<Report> offer(ReportGate gate, Finding finding) {
        return gate.offer(recorded(finding)).map(ClosedReport::report);
    }

    private static Optional<Report> poll(ReportGate gate) {
        return gate.poll().map(ClosedReport::report);
    }

    /** Runs the world second by second up to {@code untilSecond}: offers the findings scheduled for each
     *  second, then polls as a once-a-second timer would. Returns the reports with the second they left. */
    private List<Sent> run(ReportGate gate, Map<Integer, List<Finding>> schedule, int untilSecond) {
        List<Sent> sent = new ArrayList<>();
        for (int s = 0; s <= untilSecond; s++) {
            clock.set(Samples.T0.plusSeconds(s));
            for (Finding f : schedule.getOrDefault(s, List.of())) {
                int second = s;
                offer(gate, f).ifPresent(r -> sent.add(new Sent(second, r)));
            }
            int second = s;
            poll(gate).ifPresent(r -> sent.add(new Sent(second, r)));
        }
        return sent;
    }

    private record Sent(int second, Report report) {
    }

    private static List<Finding> burst(String prefix, int n) {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            findings.add(Samples.modified("/etc/" + prefix + i));
        }
        return findings;
    }

    @Test
    void oneBurstBecomesOneReportWhenReporttimeHasPassedSinceTheFirstFinding() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);
        List<Finding> burst = burst("a", 5);

        List<Sent> sent = run(gate, Map.of(0, burst.subList(0, 2), 3, burst.subList(2, 5)), 100);

        assertEquals(1, sent.size());
        assertEquals(15, sent.get(0).second());
        assertEquals(burst, sent.get(0).report().findings());
        assertEquals(Samples.T0.plusSeconds(15), sent.get(0).report().created());
        assertEquals(Source.FILES, sent.get(0).report().source());
        assertEquals(Samples.HOST, sent.get(0).report().host());
    }

    @Test
    void aSteadyTrickleDoesNotPostponeTheReportBeyondTheFixedWindow() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 0, clock);
        Map<Integer, List<Finding>> everySecond = new HashMap<>();
        for (int s = 0; s < 40; s++) {
            everySecond.put(s, List.of(Samples.modified("/tmp/f" + s)));
        }

        List<Sent> sent = run(gate, everySecond, 39);

        assertEquals(15, sent.get(0).second());
        assertEquals(16, sent.get(0).report().findings().size());
        assertEquals(31, sent.get(1).second());
    }

    @Test
    void threeBurstsWithinOneHoldoffBecomeTwoReports() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);
        List<Finding> first = burst("a", 3);
        List<Finding> second = burst("b", 2);
        List<Finding> third = burst("c", 4);

        List<Sent> sent = run(gate, Map.of(0, first, 60, second, 200, third), 1000);

        assertEquals(2, sent.size());
        assertEquals(15, sent.get(0).second());
        assertEquals(first, sent.get(0).report().findings());
        assertEquals(315, sent.get(1).second());
        List<Finding> heldBack = new ArrayList<>(second);
        heldBack.addAll(third);
        assertEquals(heldBack, sent.get(1).report().findings());
    }

    @Test
    void aBurstAfterTheHoldoffHasPassedOnlyWaitsForItsOwnWindow() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);

        List<Sent> sent = run(gate, Map.of(0, burst("a", 1), 400, burst("b", 1)), 1000);

        assertEquals(List.of(15, 415), sent.stream().map(Sent::second).toList());
    }

    @Test
    void aModificationDuringAFloodOfAddedFilesIsNotHeldBackByTheFloodsHoldoff() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);
        List<Finding> flood = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            flood.add(Samples.added("/srv/cache/f" + i));
        }
        Finding hidden = Samples.modified("/etc/hosts");
        Map<Integer, List<Finding>> schedule = new HashMap<>();
        for (int s = 0; s < 60; s++) {
            schedule.put(s, s == 25 ? List.of(flood.get(s), hidden) : List.of(flood.get(s)));
        }

        List<Sent> sent = run(gate, schedule, 1000);

        assertEquals(List.of(15, 40, 340), sent.stream().map(Sent::second).toList(),
                "the flood's first report at reporttime, the modification reporttime after it was made, the rest of"
                        + " the flood after the holdoff");
        assertEquals(flood.subList(0, 16), sent.get(0).report().findings());
        List<Finding> withHidden = new ArrayList<>(flood.subList(16, 41));
        withHidden.add(25 - 16 + 1, hidden);
        assertEquals(withHidden, sent.get(1).report().findings(), "the modification takes the flood pooled so far along");
        assertEquals(flood.subList(41, 60), sent.get(2).report().findings(), "the flood's rest waits for the holdoff again");
    }

    @Test
    void aKindAlreadyInTheLastReportIsHeldBackByItsHoldoff() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);

        List<Sent> sent = run(gate, Map.of(0, List.of(Samples.added("/srv/a"), Samples.modified("/etc/a")),
                100, List.of(Samples.modified("/etc/hosts"))), 1000);

        assertEquals(List.of(15, 315), sent.stream().map(Sent::second).toList());
    }

    @Test
    void criticalFindingGoesOutAtOnceAloneAndIsNotHeld() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);
        Finding critical = Samples.file("MODIFIED", "/etc/shadow", Severity.CRITICAL);
        List<Finding> normal = burst("a", 2);

        List<Sent> sent = run(gate, Map.of(0, normal.subList(0, 1), 20, normal.subList(1, 2), 21,
                List.of(critical)), 1000);

        assertEquals(3, sent.size());
        assertEquals(15, sent.get(0).second());
        assertEquals(21, sent.get(1).second());
        assertEquals(List.of(critical), sent.get(1).report().findings());
        assertTrue(sent.get(1).report().critical());
        assertEquals(315, sent.get(2).second(), "the critical report does not restart the holdoff");
        assertEquals(normal.subList(1, 2), sent.get(2).report().findings());
    }

    private static Finding alert(int i) {
        return new Finding(Source.LOGS, "SECURITY_ALERT", "sshd[" + i + "]: POSSIBLE BREAK-IN ATTEMPT!", Samples.HOST,
                Samples.T0, Severity.CRITICAL, Map.of("rulefile", "sshd"));
    }

    @Test
    void aFloodOfCriticalFindingsSendsTheFirstTenAtOnceAndTheRestOfTheMinuteTogether() {
        ReportGate gate = new ReportGate(Source.LOGS, 30, 120, clock);
        List<Report> atOnce = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            offer(gate, alert(i)).ifPresent(atOnce::add);
        }

        assertEquals(ReportGate.CRITICAL_AT_ONCE, atOnce.size());
        assertTrue(atOnce.stream().allMatch(r -> r.findings().size() == 1 && r.critical()));
        assertEquals(15, gate.pooled());
        assertEquals(Optional.of(Samples.T0.plusSeconds(60)), gate.nextDue(), "a minute after the first of the ten");
        clock.set(Samples.T0.plusSeconds(59));
        assertTrue(poll(gate).isEmpty());
        clock.set(Samples.T0.plusSeconds(60));
        Report together = poll(gate).orElseThrow();
        assertEquals(java.util.stream.IntStream.range(10, 25).mapToObj(ReportGateTest::alert).toList(), together.findings());
        assertTrue(together.critical());

        clock.set(Samples.T0.plusSeconds(61));
        assertTrue(offer(gate, alert(25)).isPresent(), "the minute of the ten has passed: at once again");
    }

    @Test
    void criticalFindingsWaitingForTheirMinuteAreBoundedAndGoOutWithTheNextOneAllowed() {
        ReportGate gate = new ReportGate(Source.LOGS, 30, 120, clock).listingAtMost(5);
        for (int i = 0; i < 30; i++) {
            offer(gate, alert(i));
        }
        clock.set(Samples.T0.plusSeconds(60));
        Report together = offer(gate, alert(30)).orElseThrow();

        assertEquals(7, together.findings().size(), "five listed, the one that came last, and the count of the rest");
        assertEquals(alert(30), together.findings().get(5));
        Finding unlisted = together.findings().get(6);
        assertEquals(ReportGate.UNLISTED, unlisted.kind());
        assertEquals(15, unlisted.details().get("count"));
        assertEquals(Severity.CRITICAL, unlisted.severity());
        assertEquals(0, gate.pooled());
    }

    @Test
    void criticalFindingIsReturnedByOfferItself() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);
        offer(gate, Samples.modified("/etc/hosts"));

        Optional<Report> report = offer(gate, Samples.file("DELETED", "/etc/shadow", Severity.CRITICAL));

        assertEquals("/etc/shadow", report.orElseThrow().findings().get(0).subject());
        assertEquals(1, gate.pooled(), "pooled findings stay pooled");
    }

    @Test
    void reporttimeZeroSendsAtOnceThenHoldsOffTheNextReport() {
        ReportGate gate = new ReportGate(Source.LOGS, 0, 120, clock);
        Finding first = Samples.log("SYSTEM_EVENT", null, "first");

        assertEquals(List.of(first), offer(gate, first).orElseThrow().findings());

        clock.advance(Duration.ofSeconds(10));
        assertTrue(offer(gate, Samples.log("SYSTEM_EVENT", null, "second")).isEmpty());
        assertEquals(Optional.of(Samples.T0.plusSeconds(120)), gate.nextDue());
        clock.advance(Duration.ofSeconds(109));
        assertTrue(poll(gate).isEmpty());
        clock.advance(Duration.ofSeconds(1));
        assertEquals("second", poll(gate).orElseThrow().findings().get(0).subject());
    }

    @Test
    void holdoffZeroReportsEachWindowOnItsOwn() {
        ReportGate gate = new ReportGate(Source.PIDS, 30, 0, clock);

        List<Sent> sent = run(gate, Map.of(0, List.of(Samples.died("/run/a.pid")), 31,
                List.of(Samples.died("/run/b.pid"))), 200);

        assertEquals(List.of(30, 61), sent.stream().map(Sent::second).toList());
    }

    @Test
    void bothZeroMakesEveryFindingItsOwnReport() {
        ReportGate gate = new ReportGate(Source.PIDS, 0, 0, clock);

        assertTrue(offer(gate, Samples.died("/run/a.pid")).isPresent());
        assertTrue(offer(gate, Samples.died("/run/b.pid")).isPresent());
        assertEquals(0, gate.pooled());
    }

    @Test
    void nextDueTellsTheTimerWhenToPoll() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);
        assertEquals(Optional.empty(), gate.nextDue());

        clock.advance(Duration.ofSeconds(5));
        offer(gate, Samples.modified("/etc/a"));
        assertEquals(Optional.of(Samples.T0.plusSeconds(20)), gate.nextDue());

        clock.set(Samples.T0.plusSeconds(20));
        poll(gate).orElseThrow();
        assertEquals(Optional.empty(), gate.nextDue());
        offer(gate, Samples.modified("/etc/b"));
        assertEquals(Optional.of(Samples.T0.plusSeconds(320)), gate.nextDue());
    }

    @Test
    void aClosedReportNamesTheEventHistoryRowsOfItsFindings() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);
        List<RecordedFinding> burst = burst("a", 3).stream().map(this::recorded).toList();
        burst.forEach(gate::offer);
        clock.advance(Duration.ofSeconds(15));

        ClosedReport closed = gate.poll().orElseThrow();

        assertEquals(burst.stream().map(RecordedFinding::event).toList(), closed.events());
        assertEquals(burst.stream().map(RecordedFinding::finding).toList(), closed.report().findings());
    }

    @Test
    void findingsRestoredAfterARestartCloseAtOnceWhenTheirWindowEndedWhileVigilWasDown() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);
        Finding before = new Finding(Source.FILES, "MODIFIED", "/etc/hosts", Samples.HOST, Samples.T0.minusSeconds(60),
                Severity.WARNING, Map.of());

        ClosedReport closed = gate.restore(recorded(before)).orElseThrow();

        assertEquals(List.of(before), closed.report().findings());
        assertEquals(Samples.T0, closed.report().created());
    }

    @Test
    void findingsRestoredInsideTheirWindowWaitOnlyForWhatIsLeftOfIt() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);
        Finding before = new Finding(Source.FILES, "MODIFIED", "/etc/hosts", Samples.HOST, Samples.T0.minusSeconds(5),
                Severity.WARNING, Map.of());

        assertTrue(gate.restore(recorded(before)).isEmpty());
        offer(gate, Samples.modified("/etc/motd"));

        assertEquals(Optional.of(Samples.T0.plusSeconds(10)), gate.nextDue());
    }

    @Test
    void aRestoredCriticalFindingGoesOutAtOnceAlone() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);
        offer(gate, Samples.modified("/etc/motd"));

        ClosedReport closed = gate.restore(recorded(Samples.file("DELETED", "/etc/shadow", Severity.CRITICAL))).orElseThrow();

        assertEquals("/etc/shadow", closed.report().findings().get(0).subject());
        assertEquals(1, gate.pooled());
    }

    @Test
    void theHoldoffOfTheLastReportBeforeARestartRunsOn() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);
        gate.continueHoldoff(Samples.T0.minusSeconds(100));

        offer(gate, Samples.modified("/etc/hosts"));

        assertEquals(Optional.of(Samples.T0.plusSeconds(200)), gate.nextDue());
    }

    @Test
    void afterARestartTheHoldoffHoldsBackEveryKindAsTheKindsOfTheLastReportAreNotKnown() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);
        gate.continueHoldoff(Samples.T0.minusSeconds(100));

        offer(gate, Samples.added("/srv/a"));
        offer(gate, Samples.file("DELETED", "/srv/b", Severity.WARNING));

        assertEquals(Optional.of(Samples.T0.plusSeconds(200)), gate.nextDue());
    }

    @Test
    void findingOfAnotherSourceOrNegativeTimesAreRejected() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);
        assertThrows(IllegalArgumentException.class, () -> offer(gate, Samples.died("/run/a.pid")));
        assertThrows(IllegalArgumentException.class, () -> new ReportGate(Source.FILES, -1, 0, clock));
    }

    @Test
    void concurrentOffersLoseNoFinding() throws Exception {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock);
        int threads = 8;
        int each = 2000;
        inThreads(threads, thread -> {
            for (int i = 0; i < each; i++) {
                offer(gate, Samples.modified("/t" + thread + "/" + i));
            }
        });

        clock.advance(Duration.ofSeconds(15));
        ClosedReport closed = gate.poll().orElseThrow();
        assertEquals(threads * each, closed.report().findings().size());
        assertEquals(threads * each, new java.util.HashSet<>(closed.events()).size());
    }

    @Test
    void concurrentOffersToAFullPoolWithCriticalFindingsAmongThemTakeEveryRowOnce() throws Exception {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock).listingAtMost(500);
        int threads = 8;
        int each = 2000;
        List<ClosedReport> closed = java.util.Collections.synchronizedList(new ArrayList<>());
        inThreads(threads, thread -> {
            for (int i = 0; i < each; i++) {
                Severity severity = i % 50 == 0 ? Severity.CRITICAL : Severity.WARNING;
                gate.offer(recorded(Samples.file("ADDED", "/t" + thread + "/" + i, severity))).ifPresent(closed::add);
                gate.poll().ifPresent(closed::add);
            }
        });
        clock.advance(Duration.ofMinutes(1));
        for (Optional<ClosedReport> next = gate.poll(); next.isPresent(); next = gate.poll()) {
            closed.add(next.get());
        }

        List<Long> taken = closed.stream().flatMap(c -> c.events().stream()).sorted().toList();
        assertEquals(java.util.stream.LongStream.rangeClosed(1, threads * each).boxed().toList(), taken,
                "every row taken by exactly one report");
        assertEquals(0, gate.pooled());
        assertEquals(threads * each, closed.stream().flatMap(c -> c.report().findings().stream())
                .mapToLong(Finding::standsFor).sum(), "each finding listed or counted once");
    }

    /** Runs {@code work} once in each of {@code threads} threads at once, given the thread's number; waits for all. */
    private static void inThreads(int threads, java.util.function.IntConsumer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> work.accept(thread)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    @Test
    void gatesPoolEachSourceOnItsOwn() {
        ReportGates gates = new ReportGates((host, source) -> source == Source.LOGS
                ? new ReportGate(source, 30, 120, clock) : new ReportGate(source, 15, 300, clock));
        gates.offer(recorded(Samples.modified("/etc/a")));
        gates.offer(recorded(Samples.log("SYSTEM_EVENT", null, "x")));
        assertEquals(Optional.of(Samples.T0.plusSeconds(15)), gates.nextDue());

        clock.set(Samples.T0.plusSeconds(15));
        List<ClosedReport> first = gates.poll();
        assertEquals(List.of(Source.FILES), first.stream().map(c -> c.report().source()).toList());
        assertEquals(Optional.of(Samples.T0.plusSeconds(30)), gates.nextDue());

        clock.set(Samples.T0.plusSeconds(30));
        assertEquals(List.of(Source.LOGS), gates.poll().stream().map(c -> c.report().source()).toList());
        assertEquals(Optional.empty(), gates.nextDue());
    }

    @Test
    void reportIsDueExactlyWhenTheWindowEnds() {
        ReportGate gate = new ReportGate(Source.FILES, Duration.ofMillis(1500), Duration.ZERO, clock);
        offer(gate, Samples.modified("/etc/a"));
        clock.advance(Duration.ofMillis(1499));
        assertTrue(poll(gate).isEmpty());
        clock.set(Instant.parse("2026-11-22T01:00:01.500Z"));
        assertTrue(poll(gate).isPresent());
    }

    @Test
    void aGateListingEachSubjectOnceReportsTheLastFindingOfAPathAndTakesTheRowsOfAll() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 0, clock).listingEachSubjectOnce();
        gate.offer(recorded(Samples.modified("/etc")));
        gate.offer(recorded(Samples.added("/etc/a")));
        gate.offer(recorded(Samples.file("ATTRIBUTES", "/etc", Severity.WARNING)));
        clock.set(Samples.T0.plusSeconds(15));
        ClosedReport closed = gate.poll().orElseThrow();

        assertEquals(List.of("ADDED /etc/a", "ATTRIBUTES /etc"),
                closed.report().findings().stream().map(f -> f.kind() + " " + f.subject()).toList());
        assertEquals(List.of(2L, 3L, 1L), closed.events(), "the replaced finding is taken too, not pooled again after a restart");
    }

    @Test
    void aPathFoundAgainMovesToWhereItsLastFindingCameAndEveryOtherPathKeepsItsPlace() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 0, clock).listingEachSubjectOnce();
        for (String path : List.of("/etc/a", "/etc/b", "/etc/a", "/etc/c", "/etc/a", "/etc/b")) {
            gate.offer(recorded(Samples.modified(path)));
        }
        clock.set(Samples.T0.plusSeconds(15));
        ClosedReport closed = gate.poll().orElseThrow();

        assertEquals(List.of("/etc/c", "/etc/a", "/etc/b"), closed.report().findings().stream().map(Finding::subject).toList());
        assertEquals(List.of(4L, 5L, 6L, 1L, 3L, 2L), closed.events());
        assertEquals(0, gate.pooled());
    }

    @Test
    void aGateOfLogLinesListsARepeatedLineEachTime() {
        ReportGate gate = new ReportGate(Source.LOGS, 30, 0, clock);
        gate.offer(recorded(Samples.log("SYSTEM_EVENT", "local", "kernel: eth0 link down")));
        gate.offer(recorded(Samples.log("SYSTEM_EVENT", "local", "kernel: eth0 link down")));
        clock.set(Samples.T0.plusSeconds(30));

        assertEquals(2, gate.poll().orElseThrow().report().findings().size());
    }

    private Finding at(String kind, String path, Severity severity, int second) {
        return new Finding(Source.FILES, kind, path, Samples.HOST, Samples.T0.plusSeconds(second), severity, Map.of());
    }

    /** A finding of {@code path} with an extended attribute of {@code chars} characters, as a file's owner may write. */
    private static Finding withAttribute(String path, int chars) {
        return new Finding(Source.FILES, "MODIFIED", path, Samples.HOST, Samples.T0, Severity.WARNING,
                Map.of(Details.AFTER, Map.of("xattrs", Map.of("user.note", "x".repeat(chars)), "size", 1L)));
    }

    @Test
    void theTextOfAFindingIsItsSubjectKindHostAndDetailsKeysAndTextsNestedOnesToo() {
        Finding f = withAttribute("/srv/a", 100);
        int v = ReportGate.VALUE_CHARS;
        long texts = "/srv/a".length() + "MODIFIED".length() + Samples.HOST.length() + Details.AFTER.length()
                + "xattrs".length() + "user.note".length() + 100 + "size".length();
        // subject, kind, host; the details, "after" and its map, "xattrs" and its map, "user.note" and its text,
        // "size" and its number
        assertEquals(texts + 12L * v, ReportGate.textChars(f));
        Finding emptyLists = new Finding(Source.FILES, "MODIFIED", "/srv/a", Samples.HOST, Samples.T0, Severity.WARNING,
                Map.of("x", java.util.Collections.nCopies(1000, List.of())));
        assertTrue(ReportGate.textChars(emptyLists) > 1000L * v, "each empty list counts");
    }

    /** A finding whose text alone passes the bound is counted in an empty pool, and its report still goes out. */
    @Test
    void aFindingLargerThanTheBoundAloneIsCountedAndItsReportGoesOut() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock).listingAtMostChars(1_000);
        offer(gate, withAttribute("/srv/huge", 10_000));
        assertEquals(Optional.of(Samples.T0.plusSeconds(15)), gate.nextDue());
        clock.set(Samples.T0.plusSeconds(15));

        List<Finding> findings = poll(gate).orElseThrow().findings();
        assertEquals(1, findings.size());
        assertEquals(ReportGate.UNLISTED, findings.get(0).kind());
        assertEquals(Samples.HOST, findings.get(0).host());
        assertEquals(0, gate.pooled());
    }

    /**
     * A finding's size is not Vigil's to choose (a file's extended attributes are its owner's; a fleet host's
     * findings its root's): a pool lists findings while their text fits its bound and counts the rest, an ACCEPTED
     * has as much again, and the next window lists again.
     */
    @Test
    void aPoolListsFindingsWhileTheirTextFitsItsBoundAndCountsTheRest() {
        long each = ReportGate.textChars(withAttribute("/srv/0", 10_000));
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock).listingAtMostChars(3 * each + each / 2);
        for (int i = 0; i < 6; i++) {
            offer(gate, withAttribute("/srv/" + i, 10_000));
        }
        offer(gate, withAttribute("/srv/huge", 1_000_000));
        Finding accepted = new Finding(Source.FILES, "ACCEPTED", "accept /srv", Samples.HOST, Samples.T0,
                Severity.NOTICE, Map.of(Details.SEAL, "s".repeat(10_000)));
        offer(gate, accepted);
        clock.set(Samples.T0.plusSeconds(15));

        List<Finding> findings = poll(gate).orElseThrow().findings();
        assertEquals(List.of("/srv/0", "/srv/1", "/srv/2", "accept /srv", "4 more findings not in this report;"
                + " vigil events lists them"), findings.stream().map(Finding::subject).toList());
        assertEquals(0, gate.pooled());

        clock.set(Samples.T0.plusSeconds(400));
        offer(gate, withAttribute("/srv/next", 10_000));
        clock.set(Samples.T0.plusSeconds(415));
        assertEquals(List.of("/srv/next"), poll(gate).orElseThrow().findings().stream().map(Finding::subject).toList());
    }

    /**
     * Each host's pool is bounded, and a collector has a pool per host: the pools sharing a budget list a finding
     * only while it fits it, count it otherwise, and give back what they listed once reported. A critical finding
     * reported at once is listed whatever is pooled.
     */
    @Test
    void poolsSharingATextBudgetListFindingsOnlyWhileTheyFitItAndGiveItBackWhenReported() {
        long each = ReportGate.textChars(withAttribute("/srv/0", 10_000));
        TextBudget budget = new TextBudget(3 * each + each / 2, Long.MAX_VALUE);
        ReportGate first = new ReportGate(Source.FILES, 15, 300, clock).sharingTextBudget(budget.forHost("web1"));
        ReportGate second = new ReportGate(Source.FILES, 30, 300, clock).sharingTextBudget(budget.forHost("web2"));
        for (int i = 0; i < 3; i++) {
            offer(first, withAttribute("/srv/" + i, 10_000));
        }
        offer(second, withAttribute("/srv/other", 10_000));
        assertEquals(3 * each, budget.used());
        Finding accepted = new Finding(Source.FILES, "ACCEPTED", "accept /srv", Samples.HOST, Samples.T0,
                Severity.NOTICE, Map.of(Details.SEAL, "s".repeat(1_000)));
        offer(second, accepted);
        long sealChars = ReportGate.textChars(accepted);
        assertEquals(3 * each + sealChars, budget.used(), "an ACCEPTED announcing a seal is listed whatever is pooled");
        Finding critical = new Finding(Source.FILES, "MODIFIED", "/etc/shadow", Samples.HOST, Samples.T0,
                Severity.CRITICAL, Map.of(Details.AFTER, Map.of("note", "y".repeat(10_000))));
        assertEquals(List.of(critical), offer(second, critical).orElseThrow().findings(), "listed at once");
        assertEquals(3 * each + sealChars, budget.used(), "and given back");

        clock.set(Samples.T0.plusSeconds(15));
        assertEquals(List.of("/srv/0", "/srv/1", "/srv/2"),
                poll(first).orElseThrow().findings().stream().map(Finding::subject).toList());
        assertEquals(sealChars, budget.used());
        offer(second, withAttribute("/srv/later", 10_000));
        clock.set(Samples.T0.plusSeconds(30));
        assertEquals(List.of("accept /srv", "/srv/later", "1 more finding not in this report; vigil events lists them"),
                poll(second).orElseThrow().findings().stream().map(Finding::subject).toList());
        assertEquals(0, budget.used());
    }

    /**
     * A host's findings are its root's to write: one host's pools together take at most its share of the budget, so
     * one host flooding its pools leaves the rest to the others, whose findings stay listed.
     */
    @Test
    void oneHostsPoolsTakeNoMoreThanItsShareOfTheBudgetAndLeaveTheRestToTheOthers() {
        long each = ReportGate.textChars(withAttribute("/srv/0", 10_000));
        TextBudget budget = new TextBudget(10 * each, 2 * each + each / 2);
        ReportGate flooding = new ReportGate(Source.FILES, 15, 300, clock).sharingTextBudget(budget.forHost("web1"));
        ReportGate itsLogs = new ReportGate(Source.LOGS, 15, 300, clock).sharingTextBudget(budget.forHost("web1"));
        ReportGate other = new ReportGate(Source.FILES, 15, 300, clock).sharingTextBudget(budget.forHost("web2"));
        for (int i = 0; i < 4; i++) {
            offer(flooding, withAttribute("/srv/" + i, 10_000));
        }
        Finding log = new Finding(Source.LOGS, "SYSTEM_EVENT", "x".repeat(10_000), "web1", Samples.T0, Severity.WARNING,
                Map.of());
        offer(itsLogs, log);
        offer(other, withAttribute("/srv/9", 10_000));
        assertEquals(2 * each, budget.forHost("web1").used(), "the flooding host's share, its sources together");
        assertEquals(3 * each, budget.used());

        clock.set(Samples.T0.plusSeconds(15));
        assertEquals(List.of("/srv/0", "/srv/1", "2 more findings not in this report; vigil events lists them"),
                poll(flooding).orElseThrow().findings().stream().map(Finding::subject).toList());
        assertEquals(List.of("1 more finding not in this report; vigil events lists them"),
                poll(itsLogs).orElseThrow().findings().stream().map(Finding::subject).toList());
        assertEquals(List.of("/srv/9"), poll(other).orElseThrow().findings().stream().map(Finding::subject).toList());
        assertEquals(0, budget.used());
        assertEquals(0, budget.forHost("web1").used(), "given back once reported");
    }

    @Test
    void criticalFindingsWaitingForTheirMinuteAreBoundedByTheirTextToo() {
        long each = ReportGate.textChars(alert(10));
        ReportGate gate = new ReportGate(Source.LOGS, 30, 120, clock).listingAtMostChars(2 * each);
        for (int i = 0; i < 15; i++) {
            offer(gate, alert(i));
        }
        clock.set(Samples.T0.plusSeconds(60));
        Report together = offer(gate, alert(15)).orElseThrow();

        assertEquals(List.of(alert(10), alert(11), alert(15)), together.findings().subList(0, 3),
                "two waited listed, and the one that came last");
        assertEquals(3, together.findings().get(3).details().get("count"));
    }

    @Test
    void aCriticalFindingOnlyCountedWhileItsMinuteRunsGoesOutWhenItHasPassed() {
        ReportGate gate = new ReportGate(Source.LOGS, 30, 120, clock).listingAtMostChars(10);
        for (int i = 0; i < 11; i++) {
            offer(gate, alert(i));
        }
        assertEquals(Optional.of(Samples.T0.plusSeconds(60)), gate.nextDue());
        clock.set(Samples.T0.plusSeconds(60));

        List<Finding> findings = poll(gate).orElseThrow().findings();
        assertEquals(List.of(ReportGate.UNLISTED), findings.stream().map(Finding::kind).toList());
        assertEquals(1, findings.get(0).details().get("count"));
    }

    @Test
    void aFullPoolListsItsFirstFindingsAndEndsTheReportWithOneCountingTheRestAndTakesEveryRow() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock).listingAtMost(3);
        List<RecordedFinding> flood = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            flood.add(recorded(at(i < 6 ? "ADDED" : "DELETED", "/srv/" + i, i == 8 ? Severity.WARNING : Severity.NOTICE, i)));
        }
        flood.forEach(gate::offer);
        assertEquals(10, gate.pooled());
        clock.set(Samples.T0.plusSeconds(15));

        ClosedReport closed = gate.poll().orElseThrow();

        List<Finding> findings = closed.report().findings();
        assertEquals(flood.subList(0, 3).stream().map(RecordedFinding::finding).toList(), findings.subList(0, 3));
        Finding unlisted = findings.get(3);
        assertEquals(4, findings.size());
        assertEquals(ReportGate.UNLISTED, unlisted.kind());
        assertEquals("7 more findings not in this report; vigil events lists them", unlisted.subject());
        assertEquals(Map.of("count", 7, "byKind", Map.of("ADDED", 3, "DELETED", 4),
                "first", Samples.T0.plusSeconds(3).toString(), "last", Samples.T0.plusSeconds(9).toString()), unlisted.details());
        assertEquals(Severity.WARNING, unlisted.severity(), "the most urgent of the findings it counts");
        assertEquals(Samples.HOST, unlisted.host());
        assertEquals(flood.stream().map(RecordedFinding::event).toList(), closed.events(),
                "the report takes the rows of the findings it counts too, so none is pooled again after a restart");
        assertEquals(0, gate.pooled());
        gate.offer(recorded(Samples.added("/srv/next")));
        clock.set(Samples.T0.plusSeconds(315));
        assertEquals(List.of("/srv/next"), gate.poll().orElseThrow().report().findings().stream().map(Finding::subject).toList(),
                "the next window lists from its own first finding");
    }

    @Test
    void inAFullPoolALaterFindingOfASubjectListedTakesItsPlaceAndANewSubjectIsCounted() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 0, clock).listingEachSubjectOnce().listingAtMost(2);
        for (String path : List.of("/etc/a", "/etc/b", "/etc/c", "/etc/a")) {
            gate.offer(recorded(Samples.modified(path)));
        }
        clock.set(Samples.T0.plusSeconds(15));
        ClosedReport closed = gate.poll().orElseThrow();

        assertEquals(List.of("MODIFIED /etc/b", "MODIFIED /etc/a", "UNLISTED 1 more finding not in this report; vigil events lists them"),
                closed.report().findings().stream().map(f -> f.kind() + " " + f.subject()).toList());
        assertEquals(List.of(2L, 4L, 1L, 3L), closed.events());
    }

    @Test
    void aFullPoolStillListsAFindingAnnouncingTheBaselinesSealUpToAsManyAgain() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 0, clock).listingAtMost(2);
        for (int i = 0; i < 3; i++) {
            gate.offer(recorded(Samples.added("/srv/" + i)));
        }
        for (int i = 0; i < 3; i++) {
            gate.offer(recorded(new Finding(Source.FILES, "ACCEPTED", "accept /srv/" + i, Samples.HOST, Samples.T0,
                    Severity.NOTICE, Map.of(Details.SEAL, "seal" + i))));
        }
        clock.set(Samples.T0.plusSeconds(15));

        assertEquals(List.of("ADDED /srv/0", "ADDED /srv/1", "ACCEPTED accept /srv/0", "ACCEPTED accept /srv/1", "UNLISTED 2 more findings not in this report; vigil events lists them"),
                gate.poll().orElseThrow().report().findings().stream().map(f -> f.kind() + " " + f.subject()).toList(),
                "a collector judges the host's baseline by each ACCEPTED; a host that puts a seal in every finding is still bounded");
    }

    @Test
    void aFindingOfANewKindAmongTheUncountedStillCutsTheHoldoffShort() {
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock).listingAtMost(1);
        gate.offer(recorded(Samples.added("/srv/0")));
        clock.set(Samples.T0.plusSeconds(15));
        assertTrue(gate.poll().isPresent());
        for (int i = 1; i <= 3; i++) {
            gate.offer(recorded(Samples.added("/srv/" + i)));
        }
        gate.offer(recorded(Samples.modified("/etc/passwd")));
        clock.set(Samples.T0.plusSeconds(30));

        List<Finding> findings = gate.poll().orElseThrow().report().findings();
        assertEquals(List.of("/srv/1", "3 more findings not in this report; vigil events lists them"),
                findings.stream().map(Finding::subject).toList());
        assertEquals(Map.of("ADDED", 2, "MODIFIED", 1), findings.get(1).details().get("byKind"));
    }

    @Test
    void kindsAHostMakesUpAreCountedByNameUpToALimitAndTheRestTogether() {
        ReportGate gate = new ReportGate(Source.FLEET, 30, 0, clock).listingAtMost(1);
        for (int i = 0; i <= Unlisted.MAX_KINDS + 10; i++) {
            gate.offer(recorded(new Finding(Source.FLEET, "KIND_" + i, "s", Samples.HOST, Samples.T0, Severity.NOTICE, Map.of())));
        }
        clock.set(Samples.T0.plusSeconds(30));

        Finding unlisted = gate.poll().orElseThrow().report().findings().get(1);
        Map<?, ?> byKind = (Map<?, ?>) unlisted.details().get("byKind");
        assertEquals(Unlisted.MAX_KINDS + 1, byKind.size());
        assertEquals(10, byKind.get("OTHER"));
        assertEquals(Unlisted.MAX_KINDS + 10, unlisted.details().get("count"));
    }

    @Test
    void aGateListsAtLeastOneFinding() {
        assertThrows(IllegalArgumentException.class, () -> new ReportGate(Source.FILES, 15, 0, clock).listingAtMost(0));
    }
}

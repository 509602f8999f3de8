package dev.vigil.fleet;

import dev.vigil.fim.Seal;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SealHistoryTest {

    private static final Duration TOLERANCE = Duration.ofMinutes(10);
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final int SEALS_PER_HOUR = 60;

    private final SealHistory history = new SealHistory(TOLERANCE, SEALS_PER_HOUR);

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    /** When the hosts here say they sent a heartbeat read {@code at(minutes)}: their clocks are an hour behind. */
    private static Instant sent(int minutes) {
        return at(minutes).minus(Duration.ofHours(1));
    }

    /** A heartbeat of {@code host} showing {@code seal}, sent and read in minute {@code minutes}. */
    private Optional<SealHistory.HostState> heartbeat(String host, String seal, int minutes) {
        return history.heartbeat(host, seal, at(minutes), sent(minutes));
    }

    private static SealHistory.Due due(String host, String from, String to, int seen, Instant fromShown) {
        return new SealHistory.Due(host, new SealHistory.Change(from, to, at(seen), fromShown));
    }

    /** The changes due at {@code now}, judged (as the collector does once it has kept their findings). */
    private List<SealHistory.Due> judge(Instant now) {
        List<SealHistory.Due> due = history.due(now);
        history.judged(due);
        return due;
    }

    @Test
    void aChangeSeenBeforeARestartIsJudgedAfterItFromTheStatesKept() {
        Map<String, SealHistory.HostState> kept = new HashMap<>();
        heartbeat("web1", "s1", 0).ifPresent(s -> kept.put("web1", s));
        heartbeat("web2", "s1", 0).ifPresent(s -> kept.put("web2", s));
        heartbeat("web1", "s2", 1).ifPresent(s -> kept.put("web1", s));
        assertEquals(Optional.empty(), heartbeat("web1", "s2", 2), "a heartbeat changing nothing (read again, say) changes no state");

        SealHistory restarted = new SealHistory(TOLERANCE, SEALS_PER_HOUR);
        restarted.known("web1", "s2");
        restarted.known("web2", "s1");
        kept.forEach(restarted::restore);
        List<SealHistory.Due> due = restarted.due(at(11));
        assertEquals(List.of(due("web1", "s1", "s2", 1, sent(0))), due);
        assertEquals(due, restarted.due(at(12)), "due until judged: a kill before its finding is kept loses nothing");
        List<SealHistory.Change> judged = due.stream().map(SealHistory.Due::change).toList();
        assertEquals(Optional.of(new SealHistory.HostState("s2", sent(1), List.of(), sent(1), at(0), 2)), kept.get("web1").without(judged),
                "the state kept, without the change judged");
        assertEquals(Optional.empty(), kept.get("web2").without(judged), "a state waiting on none of them");
        restarted.judged(due);
        assertEquals(List.of(), restarted.due(at(60)));
    }

    @Test
    void aStateAnotherCollectorKeptIsTakenBeforeTheNextHeartbeatAndItsWaitingChangeJudgedOnce() {
        SealHistory other = new SealHistory(TOLERANCE, SEALS_PER_HOUR);
        other.heartbeat("web1", "s1", at(0), sent(0));
        SealHistory.HostState kept = other.heartbeat("web1", "s2", at(1), sent(1)).orElseThrow();
        heartbeat("web1", "s0", 0); // this collector read the host long ago
        history.restore("web1", kept);
        assertEquals(Optional.empty(), heartbeat("web1", "s2", 2));
        assertEquals(List.of(due("web1", "s1", "s2", 1, sent(0))), judge(at(30)));
        assertEquals(List.of(), judge(at(31)));
    }

    @Test
    void aChangeKeepsWhenTheHostFirstShowedItsOldSealNotALaterShowing() {
        heartbeat("web1", "s1", 0);
        heartbeat("web1", "s1", 1);
        heartbeat("web1", "s2", 2);
        heartbeat("web1", "s1", 3); // shown again while the first change waits
        assertEquals(List.of(due("web1", "s1", "s2", 2, sent(0)), due("web1", "s2", "s1", 3, sent(2))), judge(at(30)));
    }

    @Test
    void aHostsFirstHeartbeatGivesItsSealAndNoVerdict() {
        assertNull(history.current("web1"));
        heartbeat("web1", "s1", 0);
        heartbeat("web1", "s1", 1);
        assertEquals("s1", history.current("web1"));
        assertEquals(List.of(), judge(at(60)));
    }

    @Test
    void aFirstBaselineAfterAHeartbeatShowingNoRowsIsNoTamperingButDeletingTheRowsIs() {
        String noRows = Seal.empty().value();
        heartbeat("web1", noRows, 0);
        heartbeat("web1", "s1", 1);
        assertEquals(List.of(), judge(at(60)), "the daemon's first baseline finished after its first heartbeat");
        heartbeat("web1", noRows, 61);
        assertEquals(List.of(due("web1", "s1", noRows, 61, sent(1))), judge(at(120)));
    }

    @Test
    void aSealChangeIsDueOnceItsToleranceHasPassedAndNotAgainOnceJudged() {
        heartbeat("web1", "s1", 0);
        heartbeat("web1", "tampered", 1);
        heartbeat("web1", "tampered", 2);
        assertEquals(List.of(), judge(at(10)), "within the tolerance");
        assertEquals(List.of(due("web1", "s1", "tampered", 1, sent(0))), judge(at(11)));
        assertEquals(List.of(), judge(at(60)), "given once judged");
    }

    @Test
    void aCollectorRestartedWithItsStoredSealJudgesTheNextHeartbeatNotKnowingWhenTheOldSealWasShown() {
        history.known("web1", "s1");
        heartbeat("web1", "s9", 0);
        assertEquals(List.of(due("web1", "s1", "s9", 0, null)), judge(at(10)));
    }

    /** (With vigil.collect.sealsPerHour above the bound: a host that shows more new seals than that within the tolerance.) */
    @Test
    void changesWaitingForTheirToleranceAreKeptToABoundTheOldestJudgedAtOnce() {
        SealHistory unbounded = new SealHistory(TOLERANCE, Integer.MAX_VALUE);
        unbounded.heartbeat("web1", "s0", at(0), sent(0));
        for (int i = 1; i <= SealHistory.WAITING_KEPT + 1; i++) {
            unbounded.heartbeat("web1", "s" + i, at(1), sent(1));
        }
        List<SealHistory.Due> atOnce = unbounded.due(at(2));
        assertEquals(List.of(due("web1", "s0", "s1", 1, sent(0))), atOnce,
                "within the tolerance, only the oldest change, past the bound");
        unbounded.judged(atOnce);
        assertEquals(SealHistory.WAITING_KEPT, unbounded.due(at(11)).size(), "the rest once their tolerance has passed");
    }

    @Test
    void aHeartbeatSentBeforeTheCurrentSealWasFirstShownChangesNothing() {
        heartbeat("web1", "s1", 0);
        heartbeat("web1", "s2", 1);
        judge(at(20));

        assertEquals(Optional.empty(), history.heartbeat("web1", "s1", at(21), sent(0)), "sent again, from minute 0");
        assertEquals("s2", history.current("web1"));
        assertEquals(List.of(), judge(at(40)));
        assertTrue(history.heartbeat("web1", "s3", at(41), sent(41)).isPresent(), "a later one is read as ever");
    }

    /** (A host whose clock is behind the collector's waits as long as it is behind: a few seconds, kept in step.) */
    @Test
    void aHostWhoseClockRanAheadHasItsLaterHeartbeatsReadOnceItIsSetRight() {
        history.heartbeat("web1", "s1", at(0), at(0));
        history.heartbeat("web1", "s2", at(1), at(1).plus(Duration.ofDays(30)));

        assertTrue(history.heartbeat("web1", "s3", at(2), at(2)).isPresent(), "the clock set right, in step with ours");
        assertEquals("s3", history.current("web1"));
    }

    /**
     * A host's heartbeats showing a new seal each, faster than vigil.collect.sealsPerHour: past the bound in the hour
     * (the collector's clock, from the first), a seal changes nothing, after a restart too; the first shown after the
     * hour is judged as a change from the last taken.
     */
    @Test
    void newSealsBeyondTheHoursBoundWaitForTheNextHourAndAreJudgedFromTheLastTaken() {
        SealHistory bounded = new SealHistory(TOLERANCE, 3);
        bounded.heartbeat("web1", "s1", at(0), sent(0));
        bounded.heartbeat("web1", "s2", at(1), sent(1));
        SealHistory.HostState kept = bounded.heartbeat("web1", "s3", at(2), sent(2)).orElseThrow();
        assertEquals(Optional.empty(), bounded.heartbeat("web1", "s4", at(3), sent(3)), "the fourth new seal in the hour");
        assertEquals(Optional.empty(), bounded.heartbeat("web1", "s5", at(59), sent(59)));
        assertEquals("s3", bounded.current("web1"));
        assertTrue(bounded.heartbeat("web2", "t1", at(3), sent(3)).isPresent(), "another host counts its own");

        SealHistory restarted = new SealHistory(TOLERANCE, 3);
        restarted.restore("web1", kept);
        assertEquals(Optional.empty(), restarted.heartbeat("web1", "s4", at(4), sent(4)), "the count is in the state kept");
        assertTrue(restarted.heartbeat("web1", "s6", at(60), sent(60)).isPresent(), "an hour after the first");
        assertEquals(List.of(due("web1", "s1", "s2", 1, sent(0)), due("web1", "s2", "s3", 2, sent(1)),
                due("web1", "s3", "s6", 60, sent(2))), restarted.due(at(80)));
        assertEquals(2, restarted.heartbeat("web1", "s7", at(61), sent(61)).orElseThrow().sealsInHour(),
                "the next hour counts from its first");
    }

    @Test
    void aNegativeToleranceOrNoNewSealAnHourIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SealHistory(Duration.ofSeconds(-1), SEALS_PER_HOUR));
        assertThrows(IllegalArgumentException.class, () -> new SealHistory(TOLERANCE, 0));
    }
}

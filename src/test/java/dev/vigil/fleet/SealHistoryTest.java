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

class SealHistoryTest {

    private static final Duration TOLERANCE = Duration.ofMinutes(10);
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    private final SealHistory history = new SealHistory(TOLERANCE);

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    /** The changes due at {@code now}, judged (as the collector does once it has kept their findings). */
    private List<SealHistory.Tampered> judge(Instant now) {
        List<SealHistory.Tampered> due = history.due(now);
        history.judged(due);
        return due;
    }

    @Test
    void aChangeSeenBeforeARestartIsJudgedAfterItFromTheStatesKept() {
        Map<String, SealHistory.HostState> kept = new HashMap<>();
        history.heartbeat("web1", "s1", at(0)).ifPresent(s -> kept.put("web1", s));
        history.heartbeat("web2", "s1", at(0)).ifPresent(s -> kept.put("web2", s));
        history.heartbeat("web1", "s2", at(1)).ifPresent(s -> kept.put("web1", s));
        assertEquals(Optional.empty(), history.heartbeat("web1", "s2", at(2)), "a heartbeat changing nothing changes no state");

        SealHistory restarted = new SealHistory(TOLERANCE);
        restarted.known("web1", "s2");
        restarted.known("web2", "s1");
        kept.forEach(restarted::restore);
        List<SealHistory.Tampered> due = restarted.due(at(11));
        assertEquals(List.of(new SealHistory.Tampered("web1", "s1", "s2", at(1))), due);
        assertEquals(due, restarted.due(at(12)), "due until judged: a kill before its finding is kept loses nothing");
        assertEquals(Map.of("web1", new SealHistory.HostState("s2", List.of())), restarted.judged(due));
        assertEquals(List.of(), restarted.due(at(60)));
    }

    @Test
    void aSealAnotherCollectorSawIsKnownBeforeTheNextHeartbeatAndNoChange() {
        history.heartbeat("web1", "s1", at(0));
        history.known("web1", "s2"); // the fleet store's: another collector read the heartbeat showing s2
        assertEquals(Optional.empty(), history.heartbeat("web1", "s2", at(1)));
        assertEquals(List.of(), judge(at(60)));
    }

    @Test
    void aHostsFirstHeartbeatGivesItsSealAndNoVerdict() {
        assertNull(history.current("web1"));
        history.heartbeat("web1", "s1", at(0));
        history.heartbeat("web1", "s1", at(1));
        assertEquals("s1", history.current("web1"));
        assertEquals(List.of(), judge(at(60)));
    }

    @Test
    void aFirstBaselineAfterAHeartbeatShowingNoRowsIsNoTamperingButDeletingTheRowsIs() {
        String noRows = Seal.empty().value();
        history.heartbeat("web1", noRows, at(0));
        history.heartbeat("web1", "s1", at(1));
        assertEquals(List.of(), judge(at(60)), "the daemon's first baseline finished after its first heartbeat");
        history.heartbeat("web1", noRows, at(61));
        assertEquals(List.of(new SealHistory.Tampered("web1", "s1", noRows, at(61))), judge(at(120)));
    }

    @Test
    void aSealChangeIsDueOnceItsToleranceHasPassedAndNotAgainOnceJudged() {
        history.heartbeat("web1", "s1", at(0));
        history.heartbeat("web1", "tampered", at(1));
        history.heartbeat("web1", "tampered", at(2));
        assertEquals(List.of(), judge(at(10)), "within the tolerance");
        assertEquals(List.of(new SealHistory.Tampered("web1", "s1", "tampered", at(1))), judge(at(11)));
        assertEquals(List.of(), judge(at(60)), "given once judged");
    }

    @Test
    void aCollectorRestartedWithItsStoredSealJudgesTheNextHeartbeat() {
        history.known("web1", "s1");
        history.heartbeat("web1", "s9", at(0));
        assertEquals(List.of(new SealHistory.Tampered("web1", "s1", "s9", at(0))), judge(at(10)));
    }

    @Test
    void changesWaitingForTheirToleranceAreKeptToABoundTheOldestJudgedAtOnce() {
        history.heartbeat("web1", "s0", at(0));
        for (int i = 1; i <= SealHistory.WAITING_KEPT + 1; i++) {
            history.heartbeat("web1", "s" + i, at(1));
        }
        List<SealHistory.Tampered> atOnce = history.due(at(2));
        assertEquals(List.of(new SealHistory.Tampered("web1", "s0", "s1", at(1))), atOnce,
                "within the tolerance, only the oldest change, past the bound");
        assertEquals(SealHistory.WAITING_KEPT, history.judged(atOnce).get("web1").waiting().size());
        assertEquals(SealHistory.WAITING_KEPT, judge(at(11)).size(), "the rest once their tolerance has passed");
    }

    @Test
    void aNegativeToleranceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SealHistory(Duration.ofSeconds(-1)));
    }
}

package dev.vigil.fleet;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

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

    @Test
    void aHostsFirstHeartbeatGivesItsSealAndNoVerdict() {
        assertNull(history.current("web1"));
        history.heartbeat("web1", "s1", at(0));
        history.heartbeat("web1", "s1", at(1));
        assertEquals("s1", history.current("web1"));
        assertEquals(List.of(), history.due(at(60)));
    }

    @Test
    void aSealAnnouncedByAnAcceptBeforeTheHeartbeatShowingItIsNoTampering() {
        history.heartbeat("web1", "s1", at(0));
        history.accepted("web1", "s2");
        history.heartbeat("web1", "s2", at(1));
        assertEquals("s2", history.current("web1"));
        assertEquals(List.of(), history.due(at(60)));
    }

    @Test
    void anAcceptArrivingAfterTheHeartbeatWithinTheToleranceExplainsTheChange() {
        history.heartbeat("web1", "s1", at(0));
        history.heartbeat("web1", "s2", at(1));
        assertEquals(List.of(), history.due(at(5)), "the ACCEPTED report may still be in its host's report pool");
        history.accepted("web1", "s2");
        assertEquals(List.of(), history.due(at(60)));
    }

    @Test
    void aSealChangedWithoutAnAcceptIsTamperingOnceTheToleranceHasPassed() {
        history.heartbeat("web1", "s1", at(0));
        history.heartbeat("web1", "tampered", at(1));
        history.heartbeat("web1", "tampered", at(2));
        assertEquals(List.of(), history.due(at(10)), "within the tolerance");
        assertEquals(List.of(new SealHistory.Tampered("web1", "s1", "tampered", at(1))), history.due(at(11)));
        assertEquals(List.of(), history.due(at(60)), "said once");
        history.accepted("web1", "tampered");
        history.heartbeat("web1", "tampered", at(61));
        assertEquals(List.of(), history.due(at(120)), "an announcement too late to explain it changes nothing more");
    }

    @Test
    void severalAcceptsBetweenTwoHeartbeatsNeedOnlyTheLastSealShown() {
        history.heartbeat("web1", "s1", at(0));
        history.accepted("web1", "s2");
        history.accepted("web1", "s3");
        history.heartbeat("web1", "s3", at(1));
        assertEquals(List.of(), history.due(at(60)));
    }

    @Test
    void aBaselineRolledBackToAnEarlierAcceptedSealIsTampering() {
        history.heartbeat("web1", "s1", at(0));
        history.accepted("web1", "s2");
        history.accepted("web1", "s3");
        history.heartbeat("web1", "s3", at(1));
        history.heartbeat("web1", "s2", at(2));
        assertEquals(List.of(new SealHistory.Tampered("web1", "s3", "s2", at(2))), history.due(at(30)),
                "s2's announcement was spent when s3, announced after it, was shown");
    }

    @Test
    void anAnnouncementForOneHostExplainsNothingForAnother() {
        history.heartbeat("web1", "s1", at(0));
        history.heartbeat("web2", "s1", at(0));
        history.accepted("web1", "s2");
        history.heartbeat("web1", "s2", at(1));
        history.heartbeat("web2", "s2", at(1));
        assertEquals(List.of(new SealHistory.Tampered("web2", "s1", "s2", at(1))), history.due(at(30)));
    }

    @Test
    void aCollectorRestartedWithItsStoredSealJudgesTheNextHeartbeat() {
        history.known("web1", "s1");
        history.heartbeat("web1", "s9", at(0));
        assertEquals(List.of(new SealHistory.Tampered("web1", "s1", "s9", at(0))), history.due(at(10)));
    }

    @Test
    void announcementsNeverShownAreKeptToABoundOldestDroppedFirst() {
        history.heartbeat("web1", "s0", at(0));
        for (int i = 1; i <= SealHistory.ANNOUNCEMENTS_KEPT + 1; i++) {
            history.accepted("web1", "s" + i);
        }
        history.heartbeat("web1", "s1", at(1));
        assertEquals(1, history.due(at(30)).size(), "the oldest announcement was dropped");
        history.heartbeat("web1", "s2", at(31));
        assertEquals(List.of(), history.due(at(60)));
    }

    @Test
    void aNegativeToleranceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SealHistory(Duration.ofSeconds(-1)));
    }
}

package dev.vigil.camel.collect;

import dev.vigil.fleet.SealHistory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which heartbeats of a poll {@link FleetRecords#unapplied} keeps: none applied before (a poll read again), none
 * twice in one poll (a partition given back while its records waited in camel-kafka's batch), but those of a topic
 * made anew, whose offsets start again, and those from another partition.
 */
class AppliedHeartbeatsTest {

    private final FleetRecords records = new FleetRecords(host -> Optional.empty(), Duration.ofDays(7), 1 << 20,
            Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofDays(90), new SealHistory(Duration.ofMinutes(10)),
            "collector", InstantSource.fixed(Instant.parse("2026-12-06T12:00:00Z")));

    @Test
    void aHeartbeatAtOrBeforeTheOneAppliedLastIsNotAppliedAgain() {
        List<Map<String, Object>> poll = List.of(beat("web1", 0, 9, 900), beat("web1", 0, 10, 1000),
                beat("web1", 0, 11, 1100), beat("web2", 0, 12, 1000));

        assertEquals(List.of(poll.get(2), poll.get(3)),
                records.unapplied(checked(poll), List.of(applied("web1", 0, 10, 1000))));
    }

    @Test
    void aHeartbeatTwiceInOnePollIsAppliedOnce() {
        List<Map<String, Object>> poll = List.of(beat("web1", 0, 10, 1000), beat("web1", 0, 20, 2000),
                beat("web1", 0, 10, 1000), beat("web1", 0, 20, 2000), beat("web1", 0, 21, 2100));

        assertEquals(List.of(poll.get(0), poll.get(1), poll.get(4)), records.unapplied(checked(poll), List.of()));
    }

    @Test
    void heartbeatsOfATopicMadeAnewOrFromAnotherPartitionAreApplied() {
        List<Map<String, Object>> poll = List.of(beat("web1", 0, 3, 5000), beat("web2", 1, 3, 900));

        assertEquals(poll, records.unapplied(checked(poll),
                List.of(applied("web1", 0, 10, 1000), applied("web2", 0, 10, 1000))));
    }

    private static CheckedHeartbeats checked(List<Map<String, Object>> heartbeats) {
        return new CheckedHeartbeats(new CheckedRecords(List.of(), List.of(), Map.of()), heartbeats);
    }

    /** A checked heartbeat's hosts row, as much of it as the choice reads. */
    private static Map<String, Object> beat(String host, int partition, long offset, long signedAt) {
        return Map.of("name", host, "partition", partition, "offset", offset, "signedAt", signedAt);
    }

    /** An applied_heartbeats row as the fleet store gives it. */
    private static Map<String, Object> applied(String host, int partition, long offset, long signedAt) {
        return Map.of("host", host, "partition_no", partition, "record_offset", offset, "signed_at", signedAt);
    }
}

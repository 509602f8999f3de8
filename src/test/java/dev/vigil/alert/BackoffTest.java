package dev.vigil.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Instant CREATED = Instant.parse("2026-11-22T01:00:00Z");

    private static Backoff backoff(long seed) {
        return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofHours(24), new Random(seed));
    }

    @Test
    void delayDoublesWithEachFailureWithinTheJitterBand() {
        Backoff backoff = backoff(1);
        long ceiling = 1000;
        for (int failures = 1; failures <= 9; failures++) {
            long delay = backoff.delay(failures).toMillis();
            assertTrue(delay >= ceiling / 2 && delay <= ceiling, failures + ": " + delay + " not in band of " + ceiling);
            ceiling *= 2;
        }
    }

    @Test
    void delayStopsGrowingAtTheMaximumEvenAfterManyFailures() {
        Backoff backoff = backoff(2);
        for (int failures : new int[] {10, 11, 64, 1000, Integer.MAX_VALUE}) {
            long delay = backoff.delay(failures).toMillis();
            assertTrue(delay >= 300_000 && delay <= 600_000, failures + ": " + delay);
        }
    }

    @Test
    void jitterSpreadsRetriesOfTheSameFailureCount() {
        Backoff backoff = backoff(3);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            delays.add(backoff.delay(5).toMillis());
        }
        long min = delays.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = delays.stream().mapToLong(Long::longValue).max().orElseThrow();

        assertTrue(min < 9_000 && max > 15_000, "spread " + min + ".." + max + " for a ceiling of 16000");
        assertNotEquals(backoff(4).delay(5), backoff(5).delay(5));
    }

    @Test
    void theSameSeedGivesTheSameSchedule() {
        assertEquals(backoff(7).delay(6), backoff(7).delay(6));
    }

    @Test
    void deliveryIsGivenUpOnceOlderThanTheMaxAge() {
        Backoff backoff = backoff(1);
        Instant deadline = CREATED.plus(Duration.ofHours(24));

        assertEquals(Optional.empty(), backoff.nextAttempt(CREATED, 40, deadline));
        assertEquals(Optional.empty(), backoff.nextAttempt(CREATED, 40, deadline.plusSeconds(1)));
    }

    @Test
    void untilDeliveredADeliveryIsRetriedHoweverOldWithTheSameDelays() {
        Backoff backoff = backoff(1).untilDelivered();
        Instant yearLater = CREATED.plus(Duration.ofDays(400));

        Instant next = backoff.nextAttempt(CREATED, 40, yearLater).orElseThrow();
        assertTrue(!next.isBefore(yearLater.plus(Duration.ofMinutes(5))) && !next.isAfter(yearLater.plus(Duration.ofMinutes(10))),
                "half to all of the max delay after now: " + next);
        assertEquals(Optional.of(yearLater.plus(Duration.ofDays(366))),
                backoff.nextAttempt(CREATED, 1, yearLater, Duration.ofSeconds(Long.MAX_VALUE)), "a Retry-After of ages, bounded");
    }

    @Test
    void theLastAttemptIsMadeAtTheDeadlineRatherThanSkipped() {
        Backoff backoff = backoff(1);
        Instant deadline = CREATED.plus(Duration.ofHours(24));

        Instant next = backoff.nextAttempt(CREATED, 40, deadline.minusSeconds(5)).orElseThrow();

        assertEquals(deadline, next);
        assertEquals(Optional.empty(), backoff.nextAttempt(CREATED, 41, next));
    }

    @Test
    void retryAfterFromTheReceiverIsHonouredWhenLongerThanTheBackoff() {
        Backoff backoff = backoff(1);
        Instant now = CREATED.plusSeconds(10);

        assertEquals(now.plusSeconds(120), backoff.nextAttempt(CREATED, 1, now, Duration.ofSeconds(120)).orElseThrow());
        Instant plain = backoff.nextAttempt(CREATED, 1, now, Duration.ofMillis(1)).orElseThrow();
        assertTrue(!plain.isBefore(now.plusMillis(500)) && !plain.isAfter(now.plusSeconds(1)), plain.toString());
    }

    @Test
    void nonsensicalSettingsAreRejected() {
        Random random = new Random();
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), Duration.ofHours(1), random));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofHours(1), random));
        assertThrows(IllegalArgumentException.class, () -> backoff(1).delay(0));
    }
}

package dev.vigil.alert;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-11-22T01:00:00Z");

    @Test
    void delaySecondsAreTakenAsTheyAre() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse(" 120 ", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("0", NOW));
    }

    @Test
    void anHttpDateIsTheWaitUntilThenRoundedUpAndNeverNegative() {
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Sun, 22 Nov 2026 01:01:30 GMT", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(1)),
                RetryAfter.parse("Sun, 22 Nov 2026 01:00:01 GMT", NOW.plusMillis(500)));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Sun, 22 Nov 2026 00:59:00 GMT", NOW));
    }

    @Test
    void missingOrUnreadableHeadersAskForNothing() {
        assertEquals(Optional.empty(), RetryAfter.parse(null, NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("-5", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("soon", NOW));
    }
}

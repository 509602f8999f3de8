package dev.vigil.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * An HTTP {@code Retry-After} header (RFC 9110 §10.2.3): either delay seconds or an HTTP date. Slack sends it
 * with a 429; a receiver that asks to wait gets the wait, rounded up to whole seconds, and never a negative one.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** The wait the header asks for at {@code now}; empty when there is no header or it cannot be read. */
    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                long seconds = wait.isNegative() ? 0 : wait.plusMillis(999).getSeconds();
                return Optional.of(Duration.ofSeconds(seconds));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}

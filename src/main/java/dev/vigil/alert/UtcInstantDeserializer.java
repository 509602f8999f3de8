package dev.vigil.alert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads the {@code Instant}s Vigil writes ({@code 2026-11-22T01:05:37.123456Z}: RFC 3339 in UTC, as {@link Json}
 * writes them) by their fixed positions, and leaves any other text or token to jackson-datatype-jsr310's own
 * deserializer. That one, like {@link Instant#parse}, goes through the JDK's general {@code DateTimeFormatter}
 * machinery: a tenth of the collector's consumer thread in a flood (two {@code Instant}s a report; bench/README.md).
 * No library parses this one form faster, hence this class. The fields are checked as {@link LocalDateTime#of} checks
 * them; anything it refuses (February 30, hour 24, a leap second) goes to Jackson's deserializer too, so what is
 * accepted and what fails is as before. The outbox reads its own times, written in this form, with {@link #utc} too.
 */
public final class UtcInstantDeserializer extends StdScalarDeserializer<Instant> {

    /** {@code yyyy-MM-ddTHH:mm:ssZ}; a fraction of 1 to 9 digits may stand before the Z. */
    private static final int SHORTEST = "2026-11-22T01:05:37Z".length();

    UtcInstantDeserializer() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.hasToken(JsonToken.VALUE_STRING)) {
            Instant instant = utc(parser.getText());
            if (instant != null) {
                return instant;
            }
        }
        return InstantDeserializer.INSTANT.deserialize(parser, context);
    }

    /** The instant the text names in the form Vigil writes, or null when it is not in that form. */
    public static Instant utc(String text) {
        int length = text.length();
        if (length < SHORTEST || length == SHORTEST + 1 || length > SHORTEST + 10 || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
                || text.charAt(length - 1) != 'Z' || (length > SHORTEST && text.charAt(19) != '.')) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nano = 0;
        if (length > SHORTEST) {
            int fraction = digits(text, 20, length - 1);
            if (fraction < 0) {
                return null;
            }
            nano = fraction;
            for (int unscaled = length - 1 - 20; unscaled < 9; unscaled++) {
                nano *= 10;
            }
        }
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC), nano);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The number the ASCII digits from {@code from} to {@code to} (exclusive, at most 9) make, or -1. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}

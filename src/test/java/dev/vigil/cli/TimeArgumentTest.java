package dev.vigil.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every form --since and --until take, on a clock at 2026-12-04 15:30 in Paris (UTC+1). */
class TimeArgumentTest {

    private final TimeArgument time = new TimeArgument(Clock.fixed(Instant.parse("2026-12-04T14:30:00Z"), ZoneId.of("Europe/Paris")));

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "now, 2026-12-04T14:30:00Z",
            "today, 2026-12-03T23:00:00Z",
            "Yesterday, 2026-12-02T23:00:00Z",
            "30m, 2026-12-04T14:00:00Z",
            "2h, 2026-12-04T12:30:00Z",
            "3d, 2026-12-01T14:30:00Z",
            "1h30m, 2026-12-04T13:00:00Z",
            "45s, 2026-12-04T14:29:15Z",
            "2026-12-01, 2026-11-30T23:00:00Z",
            "2026-12-01T10:00, 2026-12-01T09:00:00Z",
            "2026-12-01T10:00:30, 2026-12-01T09:00:30Z",
            "2026-12-01T10:00Z, 2026-12-01T10:00:00Z",
            "2026-12-01T10:00:00+05:00, 2026-12-01T05:00:00Z",
            "2026-06-01T10:00, 2026-06-01T08:00:00Z"})
    void eachFormIsTheInstantItNames(String given, String instant) {
        assertEquals(Instant.parse(instant), time.convert(given));
    }

    @Test
    void anythingElseIsRefusedWithTheFormsAllowed() {
        for (String wrong : new String[] {"yesterdy", "2 hours", "1w", "", "2026-13-01", "10:00"}) {
            TypeConversionException e = assertThrows(TypeConversionException.class, () -> time.convert(wrong), wrong);
            assertEquals("'" + wrong + "' is not a time: use " + TimeArgument.FORMS, e.getMessage());
        }
    }
}

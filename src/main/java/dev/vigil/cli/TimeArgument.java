package dev.vigil.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time given on the command line ({@code --since}, {@code --until}): {@code now}; {@code today} or
 * {@code yesterday} (their local midnight); an age back from now ({@code 30m}, {@code 2h}, {@code 3d},
 * {@code 1h30m}, {@code 45s}); an ISO date ({@code 2026-12-01}, local midnight) or date-time, with a zone or
 * offset ({@code 2026-12-01T10:00Z}) or without (local time). One converter for every such option, so they all
 * take the same forms and refuse anything else with the same message.
 */
final class TimeArgument implements ITypeConverter<Instant> {

    static final String FORMS = "now, today, yesterday, an age (30m, 2h, 3d, 1h30m) or an ISO date or date-time"
            + " (2026-12-01, 2026-12-01T10:00, 2026-12-01T10:00:00Z)";

    private static final Pattern AGE = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private final Clock clock;

    TimeArgument() {
        this(Clock.systemDefaultZone());
    }

    TimeArgument(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant convert(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        switch (text) {
            case "now":
                return clock.instant();
            case "today":
                return LocalDate.now(clock).atStartOfDay(clock.getZone()).toInstant();
            case "yesterday":
                return LocalDate.now(clock).minusDays(1).atStartOfDay(clock.getZone()).toInstant();
            default:
                break;
        }
        Matcher age = AGE.matcher(text);
        if (!text.isEmpty() && age.matches()) {
            Duration d = Duration.ofDays(number(age.group(1))).plusHours(number(age.group(2)))
                    .plusMinutes(number(age.group(3))).plusSeconds(number(age.group(4)));
            return clock.instant().minus(d);
        }
        try {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(value.strip(), ZonedDateTime::from, LocalDateTime::from);
            return t instanceof ZonedDateTime z ? z.toInstant() : ((LocalDateTime) t).atZone(clock.getZone()).toInstant();
        } catch (DateTimeParseException notADateTime) {
            try {
                return LocalDate.parse(value.strip()).atStartOfDay(clock.getZone()).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new TypeConversionException("'" + value + "' is not a time: use " + FORMS);
            }
        }
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}

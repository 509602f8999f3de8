package dev.vigil.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Vigil's keys and endpoint options take them: numbers each with a unit, summed ({@code 1h30m}).
 * A unit is required: a bare {@code 30} would be read as 30 ms by Camel, and was almost certainly meant as
 * seconds; anything else is refused, where Camel would read text it cannot parse ({@code banana}) as 0.
 */
public final class Durations {

    /** What a duration is written as, for messages. */
    public static final String FORM = "a number with a unit: 500ms, 30s, 10m, 1h or 2d (or a sum: 1h30m)";

    private static final Pattern WHOLE = Pattern.compile("(\\d+(ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * The duration in milliseconds.
     *
     * @throws IllegalArgumentException saying how to write it
     */
    public static long millis(String text) {
        String t = text.strip();
        if (t.matches("\\d+")) {
            throw new IllegalArgumentException("interval '" + t + "' needs a unit: " + t + "s, " + t + "m, " + t + "ms ...");
        }
        if (!WHOLE.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + t + "' is not a duration: write " + FORM);
        }
        long total = 0;
        Matcher part = PART.matcher(t);
        while (part.find()) {
            long n = Long.parseLong(part.group(1));
            total = Math.addExact(total, switch (part.group(2)) {
                case "ms" -> n;
                case "s" -> Math.multiplyExact(n, 1000L);
                case "m" -> Math.multiplyExact(n, 60_000L);
                case "h" -> Math.multiplyExact(n, 3_600_000L);
                default -> Math.multiplyExact(n, 86_400_000L);
            });
        }
        return total;
    }
}

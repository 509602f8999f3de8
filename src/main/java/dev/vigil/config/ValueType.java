package dev.vigil.config;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What a key's value may be, checked when the configuration is loaded: a value that is not one is named with
 * its key at start, not met later as a stack trace or an endpoint URI.
 *
 * @param allowed what the value may be, as a message says it ("a duration: ...", "paranoid, server or workstation")
 * @param list    whether the value is a comma-separated list, which may be empty
 * @param normal  a valid value as every reader of it takes it (a whole number without the underscores it may be
 *                written with: Camel's endpoint options and {@code Long.parseLong} take none)
 */
public record ValueType(String allowed, boolean list, Predicate<String> valid, UnaryOperator<String> normal) {

    public ValueType(String allowed, boolean list, Predicate<String> valid) {
        this(allowed, list, valid, UnaryOperator.identity());
    }

    /** Any text. */
    public static ValueType text() {
        return new ValueType("any text", false, v -> true);
    }

    /** A comma-separated list of anything ({@code what} says of what). */
    public static ValueType list(String what) {
        return new ValueType("a comma-separated list of " + what, true, v -> true);
    }

    public static ValueType duration() {
        return new ValueType("a duration: " + Durations.FORM, false, v -> {
            try {
                Durations.millis(v);
                return true;
            } catch (IllegalArgumentException | ArithmeticException e) {
                return false;
            }
        });
    }

    /** A size in bytes, with an optional unit ({@link Sizes}). */
    public static ValueType size() {
        return new ValueType(Sizes.FORM, false, v -> {
            try {
                Sizes.bytes(v);
                return true;
            } catch (IllegalArgumentException | ArithmeticException e) {
                return false;
            }
        });
    }

    /** A size in bytes from {@code min} to {@code max}, with an optional unit ({@link Sizes}). */
    public static ValueType size(long min, long max) {
        return new ValueType("a size from " + min + " to " + max + " bytes: " + Sizes.FORM, false, v -> {
            try {
                long bytes = Sizes.bytes(v);
                return bytes >= min && bytes <= max;
            } catch (IllegalArgumentException | ArithmeticException e) {
                return false;
            }
        });
    }

    public static ValueType wholeNumber(long min, long max) {
        return new ValueType("a whole number from " + min + (max == Long.MAX_VALUE ? " up" : " to " + max), false, v -> {
            try {
                long n = Long.parseLong(v.replace("_", ""));
                return n >= min && n <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        }, v -> v.replace("_", ""));
    }

    /** A number, a fraction allowed, of at least {@code min}. */
    public static ValueType number(double min) {
        return new ValueType("a number of at least " + (min == Math.rint(min) ? Long.toString((long) min) : min)
                + " (50 or 0.5)", false, v -> v.matches("\\d{1,18}(\\.\\d{1,18})?") && Double.parseDouble(v) >= min);
    }

    public static ValueType bool() {
        return oneOf("true", "false");
    }

    /** One of {@code values}, in any case. */
    public static ValueType oneOf(String... values) {
        List<String> names = List.of(values);
        return new ValueType(alternatives(names), false, v -> names.stream().anyMatch(v::equalsIgnoreCase));
    }

    /** A comma-separated list of {@code values}, in any case. */
    public static ValueType listOf(String... values) {
        List<String> names = Arrays.stream(values).map(n -> n.toLowerCase(Locale.ROOT)).toList();
        return new ValueType("a comma-separated list of " + alternatives(List.of(values)), true,
                v -> Arrays.stream(v.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                        .allMatch(names::contains));
    }

    /** A name of {@code names} or its index there (syslog's codes), or a name of {@code aliases}. */
    public static ValueType code(List<String> names, Map<String, String> aliases) {
        return new ValueType(String.join(", ", names) + " or 0.." + (names.size() - 1), false, v -> {
            String name = v.toLowerCase(Locale.ROOT);
            if (names.contains(name) || aliases.containsKey(name)) {
                return true;
            }
            return name.matches("\\d{1,2}") && Integer.parseInt(name) < names.size();
        });
    }

    /** A URI {@code scheme://host[:port]} with one of {@code schemes}. */
    public static ValueType uri(String... schemes) {
        List<String> names = List.of(schemes);
        return new ValueType(alternatives(names.stream().map(s -> s + "://host:port").toList()), false, v -> {
            try {
                URI uri = URI.create(v);
                return uri.getScheme() != null && names.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                        && uri.getHost() != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
        });
    }

    /** A Quartz cron expression, seconds first. */
    public static ValueType cron() {
        return new ValueType("a Quartz cron expression, seconds first (0 30 3 * * ? is 03:30 every day)", false,
                v -> org.quartz.CronExpression.isValidExpression(v));
    }

    /** Whether {@code value} (not blank) is one of this type. */
    public boolean accepts(String value) {
        return valid.test(value.strip());
    }

    /** {@code value}, which {@link #accepts} takes, as its readers take it ({@link #normal}). */
    public String normalised(String value) {
        return normal.apply(value.strip());
    }

    private static String alternatives(List<String> names) {
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}

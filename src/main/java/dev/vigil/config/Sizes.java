package dev.vigil.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as Vigil's keys take them: a whole number of bytes with an optional unit, K, M or G counted in 1024s as
 * logrotate's {@code size} counts them ({@code 10MB} and {@code 10M} are both 10 MiB).
 */
public final class Sizes {

    /** What a size is written as, for messages. */
    public static final String FORM = "a size: 0, 65536, 512KB, 10MB or 1GB (in 1024s)";

    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    private Sizes() {
    }

    /**
     * The size in bytes.
     *
     * @throws IllegalArgumentException saying how to write it
     */
    public static long bytes(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not " + FORM);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        return switch (unit.charAt(0)) {
            case 'k' -> Math.multiplyExact(n, 1L << 10);
            case 'm' -> Math.multiplyExact(n, 1L << 20);
            case 'g' -> Math.multiplyExact(n, 1L << 30);
            default -> n;
        };
    }
}

package dev.vigil.camel;

import dev.vigil.config.Durations;
import dev.vigil.config.Key;
import org.apache.camel.CamelContext;

import java.time.Duration;
import java.util.Optional;

/**
 * The configuration's values as the components read them: a key's value from the properties (placeholders
 * resolved, stripped), or its default in the table of keys ({@link Key}) where the properties have none. The
 * configuration was validated against that table at start, so a number here parses.
 */
public final class Settings {

    private Settings() {
    }

    /** The key's value, or its default (for a pattern key, the default of the name it has), or empty if neither. */
    public static String value(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::strip)
                .orElseGet(() -> Key.of(key).map(k -> k.defaultFor(key)).orElse(""));
    }

    public static String value(CamelContext context, Key key) {
        return value(context, key.key());
    }

    /** The key's value if it is not empty: for keys whose empty value means "off" or "none". */
    public static Optional<String> given(CamelContext context, String key) {
        return Optional.of(value(context, key)).filter(v -> !v.isEmpty());
    }

    public static Optional<String> given(CamelContext context, Key key) {
        return given(context, key.key());
    }

    /** The key's value, a whole number (the configuration hands it on without the underscores it may be written with). */
    public static long wholeNumber(CamelContext context, String key) {
        return Long.parseLong(value(context, key));
    }

    public static long wholeNumber(CamelContext context, Key key) {
        return wholeNumber(context, key.key());
    }

    /** An interval key's value (see {@link Durations}). */
    public static Duration duration(CamelContext context, Key key) {
        return Duration.ofMillis(Durations.millis(value(context, key)));
    }
}

package dev.vigil.alert;

import dev.vigil.text.EscapedUtf8;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text cut to fit a receiver's limit, ending with a marker that says so and how long the whole text was:
 * {@code … [truncated: 10485760 bytes]}. A text that already ends with a marker (a log line cut at
 * {@code vigil.logs.maxLine}) keeps the length that marker gives, so every channel names the original size.
 */
public final class Truncated {

    /** A marker at the end of a text; at most 18 digits, which a long always holds (the text is hostile input). */
    private static final Pattern MARKER = Pattern.compile(" \u2026 \\[truncated: (\\d{1,18}) bytes]$");
    /** Below this room there is no space for the marker's words: a bare ellipsis ends the text. */
    private static final int WORDS_MIN = 48;

    private Truncated() {
    }

    /** The marker put after the start of a text that was {@code wholeBytes} long in UTF-8. */
    public static String marker(long wholeBytes) {
        return " \u2026 [truncated: " + wholeBytes + " bytes]";
    }

    /** {@code text}, or its start and the marker, in at most {@code maxChars} chars. */
    public static String toChars(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        String marker = maxChars < WORDS_MIN ? "\u2026" : marker(wholeBytes(text));
        int keep = Math.max(0, maxChars - marker.length());
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;
        }
        return text.substring(0, keep) + marker;
    }

    /** {@code text}, or its start and the marker, in at most {@code maxBytes} bytes of UTF-8. */
    public static String toBytes(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        String marker = maxBytes < WORDS_MIN ? "\u2026" : marker(wholeBytes(text));
        int keep = Math.max(0, maxBytes - marker.getBytes(StandardCharsets.UTF_8).length);
        return new String(bytes, 0, EscapedUtf8.wholeSequences(bytes, keep), StandardCharsets.UTF_8) + marker;
    }

    private static long wholeBytes(String text) {
        Matcher m = MARKER.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : text.getBytes(StandardCharsets.UTF_8).length;
    }
}

package dev.vigil.text;

/**
 * Text from outside (a file name, a log line, whatever a fleet host sent) made safe to show a person: in a report, a
 * mail, a chat message, a terminal. Not reversible, unlike {@link EscapedUtf8}: for reading, not for storing.
 */
public final class Printable {

    private Printable() {
    }

    /**
     * The text with control characters shown as escapes ({@code \n}, {@code \x1b}), so a file name or log
     * line cannot break a report's layout or send escape sequences to the reader's terminal; and the invisible
     * format characters too (Unicode's category Cf: bidirectional overrides and isolates, zero-width characters,
     * shown as a backslash, u and four hex digits, or U and eight beyond the first plane, such as the tag
     * characters; a lone surrogate too), so a file name cannot show itself as another (U+202E, the
     * right-to-left override, makes "/tmp/" + U+202E + "gpj.exe" read as /tmp/exe.jpg).
     */
    public static String of(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            int type = Character.getType(c);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                    || type == Character.FORMAT || type == Character.SURROGATE;
            if (control && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (!control) {
                    out.append(text, i, next);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\t') {
                    out.append("\\t");
                } else if (c == '\r') {
                    out.append("\\r");
                } else {
                    out.append(String.format(c <= 0xff ? "\\x%02x" : c <= 0xffff ? "\\u%04x" : "\\U%08x", c));
                }
            }
            i = next;
        }
        return out == null ? text : out.toString();
    }
}

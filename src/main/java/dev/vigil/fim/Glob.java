package dev.vigil.fim;

import java.nio.charset.StandardCharsets;

/**
 * Shell/gitignore globs to regular expressions over paths held as ISO-8859-1 strings (one char per raw
 * byte, so a name that is not UTF-8 still matches byte for byte). {@code **} crosses directories,
 * {@code *} and {@code ?} do not, {@code [...]} and {@code [!...]} are classes, a backslash quotes.
 */
final class Glob {

    private Glob() {
    }

    /** Raw bytes as the lossless string form globs are matched against. */
    static String bytesAsString(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static String toRegex(String glob) {
        String g = bytesAsString(glob.getBytes(StandardCharsets.UTF_8));
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
                        boolean slashAfter = i + 2 < g.length() && g.charAt(i + 2) == '/';
                        boolean atSegmentStart = i == 0 || g.charAt(i - 1) == '/';
                        if (slashAfter && atSegmentStart) {
                            re.append("(?:.*/)?");
                            i += 2;
                        } else {
                            re.append(".*");
                            i++;
                        }
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int close = g.indexOf(']', i + 2);
                    if (close < 0) {
                        re.append("\\[");
                    } else {
                        String body = g.substring(i + 1, close);
                        if (body.startsWith("!")) {
                            body = "^" + body.substring(1);
                        }
                        re.append('[').append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                        i = close;
                    }
                }
                case '\\' -> {
                    if (i + 1 < g.length()) {
                        re.append(java.util.regex.Pattern.quote(String.valueOf(g.charAt(++i))));
                    }
                }
                default -> re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}

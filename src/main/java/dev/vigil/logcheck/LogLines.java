package dev.vigil.logcheck;

import dev.vigil.text.EscapedUtf8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads log text the way grep and sort see it: lines end at '\n' only (a '\r' stays in the line until
 * stripping), and each byte is one char (ISO-8859-1), so no input is ever rejected or altered; rules match
 * them as {@code grep -E} does in the locale ({@link GrepLocale#text}). What people are shown of a line is its
 * UTF-8 text ({@link #shown}).
 */
public final class LogLines {

    private LogLines() {
    }

    /** A line as read here, as text for people: UTF-8, with other bytes as {@code %XX} ({@link EscapedUtf8}). */
    public static String shown(String line) {
        return EscapedUtf8.of(line.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static List<String> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    public static List<String> read(InputStream in) throws IOException {
        String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            lines.add(text.substring(start, end));
            start = end + 1;
        }
        return lines;
    }
}

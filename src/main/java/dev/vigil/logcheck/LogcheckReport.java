package dev.vigil.logcheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The text {@code logcheck -o} prints: line order, headings and layout reproduced from the script.
 *
 * <p>logcheck sorts its input with {@code sort -k 1,3 -s} (or {@code sort -u} with {@code SORTUNIQ}) before
 * stripping trailing white space; the C locale's byte order is used here, which is what logcheck does when
 * run with {@code LC_ALL=C} or a C.UTF-8 locale.
 */
public final class LogcheckReport {

    private LogcheckReport() {
    }

    /** The batch in logcheck's order: stable on the first three fields, or sorted and de-duplicated. */
    public static List<String> sortLikeLogcheck(List<String> raw, boolean sortUnique) {
        if (sortUnique) {
            return new ArrayList<>(new TreeSet<>(raw));
        }
        Keyed[] keyed = new Keyed[raw.size()];
        for (int i = 0; i < keyed.length; i++) {
            keyed[i] = new Keyed(raw.get(i));
        }
        // Arrays.sort on objects is stable, and fast on the long ordered runs a log consists of
        Arrays.sort(keyed);
        List<String> out = new ArrayList<>(keyed.length);
        for (Keyed k : keyed) {
            out.add(k.line);
        }
        return out;
    }

    /** Input order with later duplicates dropped, the set {@code sort -u} keeps. */
    public static List<String> uniqueInInputOrder(List<String> raw) {
        return new ArrayList<>(new LinkedHashSet<>(raw));
    }

    /**
     * A line with its sort key. The key's first 16 chars are also packed into two longs, so that most
     * comparisons (timestamps differ early) are two long comparisons instead of a char loop.
     */
    private static final class Keyed implements Comparable<Keyed> {
        final String line;
        final int keyLength;
        final boolean packed;
        long head;
        long tail;

        Keyed(String line) {
            this.line = line;
            this.keyLength = keyLength(line);
            boolean fits = true;
            for (int i = 0; i < 16; i++) {
                int c = i < keyLength ? line.charAt(i) : 0;
                fits &= c <= 0xff;
                if (i < 8) {
                    head = head << 8 | (c & 0xff);
                } else {
                    tail = tail << 8 | (c & 0xff);
                }
            }
            this.packed = fits;
        }

        @Override
        public int compareTo(Keyed o) {
            int from = 0;
            if (packed && o.packed) {
                int d = head != o.head ? Long.compareUnsigned(head, o.head) : Long.compareUnsigned(tail, o.tail);
                if (d != 0) {
                    return d;
                }
                from = Math.min(16, Math.min(keyLength, o.keyLength));
            }
            int n = Math.min(keyLength, o.keyLength);
            for (int i = from; i < n; i++) {
                int d = line.charAt(i) - o.line.charAt(i);
                if (d != 0) {
                    return d;
                }
            }
            return keyLength - o.keyLength;
        }
    }

    /** The length of GNU sort's key for {@code -k 1,3}: to the end of field 3, leading blanks included. */
    static int keyLength(String line) {
        int i = 0;
        int n = line.length();
        for (int field = 0; field < 3; field++) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                i++;
            }
        }
        return i;
    }

    /**
     * The report for verdicts given in logcheck's line order, or the empty string when logcheck would send
     * nothing. {@code header} and {@code footer} are the tree's {@code header.txt} and {@code footer.txt}
     * (null when absent or when logcheck's {@code INTRO} is off).
     */
    public static String render(List<Verdict> verdicts, String header, String footer) {
        Map<String, List<String>> alerts = new TreeMap<>();
        Map<String, List<String>> events = new TreeMap<>();
        List<String> system = new ArrayList<>();
        for (Verdict v : verdicts) {
            switch (v.section()) {
                case ALERT -> v.subsections().forEach(s -> alerts.computeIfAbsent(s, k -> new ArrayList<>()).add(v.line()));
                case EVENT -> v.subsections().forEach(s -> events.computeIfAbsent(s, k -> new ArrayList<>()).add(v.line()));
                case SYSTEM -> system.add(v.line());
                case IGNORED -> { }
            }
        }
        StringBuilder body = new StringBuilder();
        section(body, Section.ALERT, alerts);
        section(body, Section.EVENT, events);
        if (!system.isEmpty()) {
            block(body, Section.SYSTEM.heading(), system);
        }
        if (body.length() == 0) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        if (header != null) {
            out.append(header);
        }
        out.append(body);
        if (footer != null) {
            out.append(footer);
        }
        return out.toString();
    }

    private static void section(StringBuilder out, Section section, Map<String, List<String>> subsections) {
        subsections.forEach((name, lines) -> block(out,
                name.equals("logcheck") ? section.heading() : section.heading() + " for " + name, lines));
    }

    private static void block(StringBuilder out, String heading, List<String> lines) {
        out.append(heading).append('\n');
        for (int i = 0; i < heading.length(); i++) {
            out.append(i % 2 == 0 ? '=' : '-');
        }
        out.append('\n');
        for (String line : lines) {
            out.append(line).append('\n');
        }
        out.append('\n');
    }
}

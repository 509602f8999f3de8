package dev.vigil.logcheck;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Classifies a batch of log lines exactly as {@code /usr/sbin/logcheck} does.
 *
 * <p>logcheck is a pipeline of set operations over the batch, and so is this class; each step below names
 * the shell function it reproduces:
 * <ol>
 *   <li><b>Security Alerts</b> ({@code greplogoutput cracking}): per file X of {@code cracking.d}, the lines
 *       matching X. With cracking-ignore on, minus {@code cracking.ignore.d/X}, {@code logcheck-X},
 *       {@code local} and {@code local-*}; and with it on but no {@code cracking.ignore.d}, no alerts.</li>
 *   <li><b>Security Events</b> ({@code greplogoutput violations}): per file X of {@code violations.d}, the
 *       lines matching X minus {@code violations.ignore.d/X}, {@code logcheck-X}, {@code local},
 *       {@code local-*}; minus every cracking line, but only when an alert was raised in this batch.</li>
 *   <li>The generic file {@code logcheck} of either directory is further filtered by every file of the
 *       ignore directory and by every other raise file whose name does not start with {@code logchec}
 *       (logcheck tests {@code =~ ^logcheck*}).</li>
 *   <li><b>System Events</b>: all lines minus every {@code ignore.d.*} file of the level, every cracking
 *       file and every violations file; so an ignored violation vanishes entirely.</li>
 * </ol>
 * Lines are independent except for the "alert raised in this batch" flag, hence the two passes. Patterns
 * match in the matcher's locale, as logcheck's greps and sed do in the locale logcheck is run in.
 */
public final class Classifier {

    /**
     * One character of logcheck's sed expression's {@code [[:space:]]} in UTF-8, for a line that may end in a space
     * beyond ASCII. Tried on the line's last characters one at a time, from the end: the whole expression
     * ({@code [[:space:]]+$}) found in the line tries each space of a run again from each start, and a line anyone can
     * write ({@code logger}) of 64 KiB of spaces before a last {@code é} held the log source for seconds.
     */
    private static final Pattern SPACE = GnuEre.compile("[[:space:]]", GrepLocale.UTF_8);

    private final RuleMatcher matcher;
    private final boolean alertsPossible;
    private final Raise cracking;
    private final Raise violations;
    private final boolean[] ignoreFile;
    private final boolean[] crackingFile;
    private final boolean[] violationsFile;

    /**
     * @param crackingIgnore logcheck's {@code SUPPORT_CRACKING_IGNORE}: let {@code cracking.ignore.d} filter
     *                       alerts
     */
    public Classifier(RuleTree tree, RuleMatcher matcher, boolean crackingIgnore) {
        this.matcher = matcher;
        this.alertsPossible = !crackingIgnore || tree.hasDirectory(Category.CRACKING_IGNORE);
        this.cracking = new Raise(tree, matcher, Category.CRACKING, crackingIgnore ? Category.CRACKING_IGNORE : null);
        this.violations = new Raise(tree, matcher, Category.VIOLATIONS, Category.VIOLATIONS_IGNORE);
        int n = matcher.files().size();
        ignoreFile = new boolean[n];
        crackingFile = new boolean[n];
        violationsFile = new boolean[n];
        for (int id = 0; id < n; id++) {
            Category c = matcher.files().get(id).category();
            ignoreFile[id] = c == Category.IGNORE;
            crackingFile[id] = c == Category.CRACKING;
            violationsFile[id] = c == Category.VIOLATIONS;
        }
    }

    /**
     * logcheck's {@code sed -e 's/[[:space:]]\+$//'} in {@code locale}: trailing space, tab, \n, \v, \f and \r
     * go, and in UTF-8 also the Unicode spaces glibc counts (U+3000, U+2003 and others, not the no-break ones).
     * The line is bytes, one char each, and so is the result.
     */
    public static String strip(String line, GrepLocale locale) {
        int end = line.length();
        while (end > 0 && isSpace(line.charAt(end - 1))) {
            end--;
        }
        if (locale == GrepLocale.UTF_8 && end > 0 && line.charAt(end - 1) >= 0x80) {
            String text = locale.text(line.substring(0, end));
            int cut = text.length();
            while (cut > 0 && SPACE.matcher(text.substring(text.offsetByCodePoints(cut, -1), cut)).matches()) {
                cut = text.offsetByCodePoints(cut, -1);
            }
            // spaces are valid characters, so the bytes they were decoded from are their UTF-8
            end -= text.substring(cut).getBytes(StandardCharsets.UTF_8).length;
        }
        return end == line.length() ? line : line.substring(0, end);
    }

    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** Classifies a batch; lines are stripped first, verdicts come back in input order. */
    public List<Verdict> classify(List<String> batch) {
        int size = batch.size();
        String[] lines = new String[size];
        List<String>[] alerts = newLists(size);
        List<String>[] events = newLists(size);
        boolean[] crackingLine = new boolean[size];
        boolean[] system = new boolean[size];
        boolean attack = false;
        for (int i = 0; i < size; i++) {
            String line = strip(batch.get(i), matcher.locale());
            lines[i] = line;
            RuleMatcher.Matches m = matcher.match(line);
            boolean anyIgnore = false;
            boolean anyCracking = false;
            boolean anyViolations = false;
            for (int k = 0; k < m.count(); k++) {
                int f = m.file(k);
                anyIgnore |= ignoreFile[f];
                anyCracking |= crackingFile[f];
                anyViolations |= violationsFile[f];
            }
            if (anyCracking && alertsPossible) {
                alerts[i] = cracking.subsections(m);
                attack |= !alerts[i].isEmpty();
            }
            if (anyViolations) {
                events[i] = violations.subsections(m);
            }
            crackingLine[i] = anyCracking;
            system[i] = !anyIgnore && !anyCracking && !anyViolations;
        }
        List<Verdict> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (!alerts[i].isEmpty()) {
                out.add(new Verdict(lines[i], Section.ALERT, alerts[i]));
            } else if (!events[i].isEmpty() && !(attack && crackingLine[i])) {
                out.add(new Verdict(lines[i], Section.EVENT, events[i]));
            } else {
                out.add(new Verdict(lines[i], system[i] ? Section.SYSTEM : Section.IGNORED, List.of()));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String>[] newLists(int size) {
        List<String>[] a = new List[size];
        Arrays.fill(a, List.of());
        return a;
    }

    /** One raise directory with its ignore directory, as {@code greplogoutput} applies them to a line. */
    private static final class Raise {
        private final String[] names;
        private final int[] ids;
        private final int[] sameIgnore;
        private final int[] logcheckIgnore;
        private final int[] others;
        private final int[] allIgnores;
        private final int[] localIgnores;
        private final boolean hasIgnore;

        Raise(RuleTree tree, RuleMatcher m, Category raise, Category ignore) {
            Map<String, List<Rule>> files = tree.files(raise);
            int n = files.size();
            names = files.keySet().toArray(new String[0]);
            ids = new int[n];
            sameIgnore = new int[n];
            logcheckIgnore = new int[n];
            List<Integer> other = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids[i] = m.id(raise, names[i]);
                sameIgnore[i] = ignore == null ? -1 : m.id(ignore, names[i]);
                logcheckIgnore[i] = ignore == null ? -1 : m.id(ignore, "logcheck-" + names[i]);
                if (!names[i].startsWith("logchec")) {
                    other.add(ids[i]);
                }
            }
            others = other.stream().mapToInt(Integer::intValue).toArray();
            hasIgnore = ignore != null;
            List<Integer> all = new ArrayList<>();
            List<Integer> local = new ArrayList<>();
            if (ignore != null) {
                for (String name : tree.files(ignore).keySet()) {
                    int id = m.id(ignore, name);
                    all.add(id);
                    if (name.equals("local") || name.startsWith("local-")) {
                        local.add(id);
                    }
                }
            }
            allIgnores = all.stream().mapToInt(Integer::intValue).toArray();
            localIgnores = local.stream().mapToInt(Integer::intValue).toArray();
        }

        List<String> subsections(RuleMatcher.Matches m) {
            List<String> out = null;
            for (int i = 0; i < names.length; i++) {
                if (!m.contains(ids[i]) || m.contains(sameIgnore[i]) || m.contains(logcheckIgnore[i])) {
                    continue;
                }
                if (names[i].equals("logcheck") && ((hasIgnore && any(m, allIgnores)) || any(m, others))) {
                    continue;
                }
                if (any(m, localIgnores)) {
                    continue;
                }
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(names[i]);
            }
            return out == null ? List.of() : out;
        }

        private static boolean any(RuleMatcher.Matches m, int[] files) {
            for (int f : files) {
                if (m.contains(f)) {
                    return true;
                }
            }
            return false;
        }
    }
}

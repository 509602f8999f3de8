package dev.vigil.logcheck;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every pattern of a {@link RuleTree}, compiled for speed: tells which rule files match a line.
 *
 * <p>Trying ~1,900 regexes per line is slow, so the work per line is cut three ways. Each pattern is split
 * at its top-level {@code |}, so one unanchored alternative cannot make a whole pattern a candidate for
 * every line. The syslog prefix that nearly every Debian rule starts with ({@code ^(\w{3} [ :0-9]{11}|
 * [0-9T:.+-]{32}) [._[:alnum:]-]+ }) is recognised textually and checked once per line by hand; only the
 * rest of such an alternative is a regex, anchored where the prefix ended. And a literal scan
 * ({@link LiteralScanner}) over the strings each alternative must contain picks the few alternatives worth
 * running at all. The result is the same as matching every pattern with {@code find()}.
 *
 * <p>Patterns GNU grep would refuse are skipped and listed in {@link #problems()}, naming file and line. So is,
 * once, a pattern that takes longer than {@link BoundedText} allows on a line (catastrophic backtracking), or
 * recurses deeper than the thread's stack on it (java.util.regex recurses once per repetition of a group whose length
 * varies, as Debian's {@code (/[._[:alnum:]-]*)+} does: a line of a few thousand slashes, which anyone can log, would
 * otherwise end the daemon with a StackOverflowError at each start). A raise rule ({@code cracking.d},
 * {@code violations.d}) counts as matching that line, an ignore rule as not, so a line made to defeat a rule is
 * reported the louder for it; so is every later line, and a rule file cannot stall or stop the source. Not
 * thread-safe: one instance per thread (matchers are reused).
 */
public final class RuleMatcher {

    /** One rule file: its category and name. Ids index {@link #files()}. */
    public record FileKey(Category category, String name) {}

    /** A pattern that could not be loaded, or that took too long on a line. */
    public record Problem(Rule rule, String message) {
        @Override
        public String toString() {
            return rule.location() + ": " + message + ": " + rule.pattern();
        }
    }

    /** How the hand-checked syslog prefix of an alternative may start: month class and ISO form allowed. */
    private record Prefix(String text, boolean alphaMonth, boolean iso) {}

    private static final List<Prefix> PREFIXES = prefixes();

    /**
     * Literals are cut to their last this many characters: still required, nearly as selective (the end of
     * a rule's longest literal is usually message text), and the scanner's table stays small.
     */
    private static final int LITERAL_WINDOW = 16;

    private final GrepLocale locale;
    private final List<FileKey> files = new ArrayList<>();
    private final Map<FileKey, Integer> ids = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private int invalid;
    private final Set<Rule> tooSlow = new HashSet<>();
    private final BoundedText bounded = new BoundedText();
    private final List<Rule> rules = new ArrayList<>();
    private final Unit[] units;
    private final int[] alwaysUnits;
    private final int[][] unitsByLiteral;
    private final LiteralScanner scanner;

    private final int[] unitStamp;
    private final int[] literalStamp;
    private final int[] fileStamp;
    private final int[] candidates;
    private int candidateCount;
    private int stamp;

    /**
     * One alternative of one rule; {@code prefix} is null when the regex covers the whole alternative, else
     * {@code lead} is the literal the rest starts with. The regex is compiled when first needed: a run
     * usually meets only a fraction of the rules, and compiling all of them is a good part of start-up.
     */
    private static final class Unit {
        final int file;
        final Rule rule;
        final Prefix prefix;
        final String lead;
        final String[] literals;
        final String regex;
        Matcher matcher;

        Unit(int file, Rule rule, Prefix prefix, String lead, String[] literals, String regex) {
            this.file = file;
            this.rule = rule;
            this.prefix = prefix;
            this.lead = lead;
            this.literals = literals;
            this.regex = regex;
        }

        /** Whether all required literals occur in order from {@code from}: a cheap test before the regex. */
        boolean literalsFrom(String line, int from) {
            int at = from;
            for (String lit : literals) {
                at = line.indexOf(lit, at);
                if (at < 0) {
                    return false;
                }
                at += lit.length();
            }
            return true;
        }

        Matcher matcher(CharSequence line) {
            if (matcher == null) {
                matcher = Pattern.compile(regex, GnuEre.FLAGS).matcher(line);
                if (prefix != null) {
                    matcher.useAnchoringBounds(false).useTransparentBounds(true);
                }
                return matcher;
            }
            return matcher.reset(line);
        }
    }

    /** Compiles the tree's patterns to match as {@code grep -E} does in {@code locale}. */
    public RuleMatcher(RuleTree tree, GrepLocale locale) {
        this.locale = locale;
        List<Unit> unitList = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        Map<String, Integer> literalIds = new HashMap<>();
        List<List<Integer>> byLiteral = new ArrayList<>();
        List<Integer> always = new ArrayList<>();
        for (Category c : Category.values()) {
            for (Map.Entry<String, List<Rule>> e : tree.files(c).entrySet()) {
                int file = files.size();
                FileKey key = new FileKey(c, e.getKey());
                files.add(key);
                ids.put(key, file);
                for (Rule rule : e.getValue()) {
                    List<Unit> ruleUnits = new ArrayList<>();
                    List<String> ruleLiterals = new ArrayList<>();
                    try {
                        GnuEre ere = GnuEre.parse(locale.text(rule.pattern()), locale);
                        for (String alternative : ere.alternatives()) {
                            // the prefix holds group 1, so back-references would be renumbered without it
                            Prefix prefix = ere.hasBackReferences() ? null : prefixOf(alternative);
                            GnuEre body = GnuEre.parse(prefix == null ? alternative
                                    : alternative.substring(prefix.text.length()), locale);
                            ruleUnits.add(new Unit(file, rule, prefix, prefix == null ? "" : body.leadingLiteral(),
                                    body.requiredLiterals().toArray(new String[0]), body.toJava()));
                            String lit = body.requiredLiteral();
                            ruleLiterals.add(lit.substring(Math.max(0, lit.length() - LITERAL_WINDOW)));
                        }
                    } catch (RuntimeException ex) {
                        problems.add(new Problem(rule, "invalid pattern (" + ex.getMessage() + "), rule skipped"));
                        invalid++;
                        continue;
                    }
                    rules.add(rule);
                    for (int i = 0; i < ruleUnits.size(); i++) {
                        int unit = unitList.size();
                        unitList.add(ruleUnits.get(i));
                        String lit = ruleLiterals.get(i);
                        if (lit.isEmpty() || lit.chars().anyMatch(ch -> ch > 255)) {
                            always.add(unit);
                        } else {
                            int id = literalIds.computeIfAbsent(lit, k -> {
                                literals.add(k);
                                byLiteral.add(new ArrayList<>());
                                return literals.size() - 1;
                            });
                            byLiteral.get(id).add(unit);
                        }
                    }
                }
            }
        }
        units = unitList.toArray(new Unit[0]);
        alwaysUnits = always.stream().mapToInt(Integer::intValue).toArray();
        unitsByLiteral = byLiteral.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
        scanner = new LiteralScanner(literals);
        unitStamp = new int[units.length];
        literalStamp = new int[literals.size()];
        fileStamp = new int[files.size()];
        candidates = new int[units.length];
        matched = new int[files.size()];
    }

    /** The hand-checked prefix an alternative starts with, if its rest can be matched on its own. */
    private static Prefix prefixOf(String alternative) {
        for (Prefix p : PREFIXES) {
            if (alternative.startsWith(p.text)) {
                String rest = alternative.substring(p.text.length());
                if (rest.isEmpty() || "*+?{".indexOf(rest.charAt(0)) < 0) {
                    return p;
                }
            }
        }
        return null;
    }

    private static List<Prefix> prefixes() {
        List<Prefix> out = new ArrayList<>();
        for (String month : List.of("\\w", "[[:alpha:]]")) {
            for (String clock : List.of("[ :0-9]", "[ :[:digit:]]")) {
                String bsd = month + "{3} " + clock + "{11}";
                boolean alpha = !month.equals("\\w");
                out.add(new Prefix("^(" + bsd + "|[0-9T:.+-]{32}) [._[:alnum:]-]+ ", alpha, true));
                out.add(new Prefix("^" + bsd + " [._[:alnum:]-]+ ", alpha, false));
            }
        }
        return out;
    }

    /** The locale the patterns match in. */
    public GrepLocale locale() {
        return locale;
    }

    /** The rule files, indexed by id. */
    public List<FileKey> files() {
        return List.copyOf(files);
    }

    /** The id of a rule file, or -1 when the tree has no such file. */
    public int id(Category c, String name) {
        return ids.getOrDefault(new FileKey(c, name), -1);
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** How many rules were skipped for an invalid pattern. */
    public int invalidRuleCount() {
        return invalid;
    }

    /** How many patterns were loaded (invalid ones excluded). */
    public int ruleCount() {
        return rules.size();
    }

    /**
     * Matches {@code line} against every file and returns the ids of the files with a matching pattern; the
     * array is reused by the next call, its first {@code count()} entries are valid. The line is bytes, one char
     * each, as {@link LogLines} reads it.
     */
    public Matches match(String line) {
        String text = locale.text(line);
        stamp++;
        candidateCount = 0;
        for (int u : alwaysUnits) {
            addCandidate(u);
        }
        scanner.scan(text, onLiteral);
        Syslog syslog = Syslog.of(text, locale);
        int count = 0;
        for (int i = 0; i < candidateCount; i++) {
            Unit unit = units[candidates[i]];
            if (fileStamp[unit.file] == stamp) {
                continue;
            }
            if (matchesInTime(unit, text, syslog)) {
                fileStamp[unit.file] = stamp;
                matched[count++] = unit.file;
            }
        }
        result.count = count;
        return result;
    }

    private final int[] matched;
    private final Matches result = new Matches();
    private final LiteralScanner.IntSink onLiteral = this::onLiteral;

    private void onLiteral(int lit) {
        // a short literal can occur many times in a line; its units need adding once
        if (literalStamp[lit] == stamp) {
            return;
        }
        literalStamp[lit] = stamp;
        for (int u : unitsByLiteral[lit]) {
            addCandidate(u);
        }
    }

    /** The files matching the last line given to {@link #match}. */
    public final class Matches {
        private int count;

        public int count() {
            return count;
        }

        public int file(int i) {
            return matched[i];
        }

        public boolean contains(int file) {
            return file >= 0 && fileStamp[file] == stamp;
        }
    }

    private void addCandidate(int u) {
        if (unitStamp[u] != stamp) {
            unitStamp[u] = stamp;
            candidates[candidateCount++] = u;
        }
    }

    /**
     * {@link #matches}; when it takes too long or recurses too deep, whether the rule raises lines (and the rule listed
     * once in the problems).
     */
    private boolean matchesInTime(Unit unit, String line, Syslog syslog) {
        try {
            return matches(unit, line, syslog);
        } catch (BoundedText.TooSlow slow) {
            return undecided(unit.rule, "pattern took too long on a line (more than " + BoundedText.BASE_STEPS
                    + " steps plus " + BoundedText.STEPS_PER_CHAR + " per character: catastrophic backtracking?)");
        } catch (StackOverflowError deep) {
            return undecided(unit.rule, "pattern recursed too deep on a line (java.util.regex recurses once per"
                    + " repetition of a group)");
        }
    }

    /** What a rule that could not decide a line counts as: matching it if it raises lines, else not. */
    private boolean undecided(Rule rule, String why) {
        boolean raises = rule.category().raises();
        if (tooSlow.add(rule)) {
            problems.add(new Problem(rule, why + "; each line it cannot decide is classified as if it "
                    + (raises ? "matched (a raise rule)" : "did not match (an ignore rule)")));
        }
        return raises;
    }

    private boolean matches(Unit unit, String line, Syslog syslog) {
        if (unit.prefix == null) {
            return unit.literalsFrom(line, 0) && unit.matcher(bounded.on(line)).find();
        }
        int bsd = syslog.bsdRest > 0 && (unit.prefix.alphaMonth ? syslog.alphaMonth : syslog.wordMonth)
                && line.startsWith(unit.lead, syslog.bsdRest) && unit.literalsFrom(line, syslog.bsdRest)
                ? syslog.bsdRest : 0;
        int iso = unit.prefix.iso && syslog.isoRest > 0 && line.startsWith(unit.lead, syslog.isoRest)
                && unit.literalsFrom(line, syslog.isoRest) ? syslog.isoRest : 0;
        if (bsd == 0 && iso == 0) {
            return false;
        }
        Matcher m = unit.matcher(bounded.on(line));
        if (bsd > 0 && m.region(bsd, line.length()).lookingAt()) {
            return true;
        }
        return iso > 0 && m.reset(bounded.on(line)).region(iso, line.length()).lookingAt();
    }

    /**
     * Every rule matching {@code line}, checked one by one with plain {@code find()}: for explaining. A rule
     * that cannot decide the line counts as {@link #match} counts it.
     */
    public List<Rule> explain(String line) {
        String text = locale.text(line);
        List<Rule> out = new ArrayList<>();
        for (Rule r : rules) {
            if (BoundedText.find(r, GnuEre.compile(r.pattern(), locale), text)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Where the rest of a syslog line starts after "timestamp host ", for each timestamp form; 0 when the
     * line does not have that form. The host run cannot contain the space after it, so the position is
     * unique, which is what makes checking the prefix once per line exact. The month's three characters and
     * the host's are letters and digits of the locale, so in UTF-8 a character may take two chars.
     */
    private record Syslog(int bsdRest, boolean wordMonth, boolean alphaMonth, int isoRest) {

        static Syslog of(String line, GrepLocale locale) {
            int bsd = 0;
            boolean word = true;
            boolean alpha = true;
            int month = 0;
            for (int k = 0; k < 3 && month < line.length(); k++) {
                int c = line.codePointAt(month);
                alpha &= locale.isAlpha(c);
                word &= locale.isWord(c);
                month += Character.charCount(c);
            }
            if (line.length() > month + 13 && line.charAt(month) == ' ' && line.charAt(month + 12) == ' '
                    && clock(line, month + 1) && word) {
                bsd = host(line, month + 13, locale);
            } else {
                word = alpha = false;
            }
            int iso = 0;
            if (line.length() > 33 && line.charAt(32) == ' ' && isoStamp(line)) {
                iso = host(line, 33, locale);
            }
            return new Syslog(bsd, word, alpha, iso);
        }

        private static boolean clock(String line, int from) {
            for (int i = from; i < from + 11; i++) {
                char c = line.charAt(i);
                if (c != ' ' && c != ':' && (c < '0' || c > '9')) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isoStamp(String line) {
            for (int i = 0; i < 32; i++) {
                char c = line.charAt(i);
                if ((c < '0' || c > '9') && "T:.+-".indexOf(c) < 0) {
                    return false;
                }
            }
            return true;
        }

        /** The index after "host " starting at {@code from}, or 0 without a non-empty host and a space. */
        private static int host(String line, int from, GrepLocale locale) {
            int i = from;
            while (i < line.length()) {
                int c = line.codePointAt(i);
                if (locale.isAlnum(c) || c == '.' || c == '-' || c == '_') {
                    i += Character.charCount(c);
                } else {
                    break;
                }
            }
            return i > from && i < line.length() && line.charAt(i) == ' ' ? i + 1 : 0;
        }
    }
}

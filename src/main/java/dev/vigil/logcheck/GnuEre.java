package dev.vigil.logcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A GNU extended regular expression ({@code grep -E}) parsed and rewritten as an equivalent
 * {@code java.util.regex} pattern, for the C locale or a UTF-8 one ({@link GrepLocale}).
 *
 * <p>Hand-written because no library reads GNU ERE, and {@code java.util.regex} silently reads many GNU
 * patterns differently: {@code [[:alnum:]]} would be the set {@code {:,a,l,n,u,m}}, a {@code \} or {@code [}
 * inside a bracket is literal in GNU, so is the brace of an unclosed {@code a{1}}, and GNU has {@code \<},
 * {@code \>}, {@code \`}, {@code \'}, leading {@code *} and {@code {,n}}. The rules followed here are
 * those of glibc's regcomp (which decides what is an error) and gnulib's dfa (which decides what matches
 * when there is no back-reference), checked pattern by pattern against GNU grep in the tests.
 *
 * <p>A pattern is parsed as its locale reads it ({@link GrepLocale#text}), by code point, and so is the line
 * it is matched against: in the C locale each byte is a char and Java's US-ASCII POSIX classes are the C
 * locale's; in UTF-8 the classes, {@code .} and brackets are glibc's for that locale, and an invalid byte is
 * matched only by itself. Compile the result with {@link #FLAGS}.
 */
public final class GnuEre {

    /** {@code UNIX_LINES}: {@code .} and {@code $} know only {@code \n}, never {@code \u0085} or {@code \r}. */
    public static final int FLAGS = Pattern.UNIX_LINES;

    private static final int DUP_MAX = 0x7fff;

    /** Thrown for a pattern GNU grep refuses; the message is grep's. */
    public static final class InvalidPatternException extends IllegalArgumentException {
        InvalidPatternException(String message) {
            super(message);
        }
    }

    private final String source;
    private final Alt root;
    private final boolean backrefs;

    private GnuEre(String source, Alt root, boolean backrefs) {
        this.source = source;
        this.root = root;
        this.backrefs = backrefs;
    }

    /**
     * Parses a pattern given as {@code locale} reads it ({@link GrepLocale#text}); throws
     * {@link InvalidPatternException} where GNU grep reports an error in that locale.
     */
    public static GnuEre parse(String text, GrepLocale locale) {
        Parser p = new Parser(text, locale);
        Alt alt = p.parseAlt(0);
        return new GnuEre(text, alt, p.backrefs);
    }

    /**
     * A pattern given as bytes (as rule files are read), compiled for {@code find()} anywhere in a line that
     * {@code locale} reads ({@link GrepLocale#text}).
     */
    public static Pattern compile(String ere, GrepLocale locale) {
        return Pattern.compile(parse(locale.text(ere), locale).toJava(), FLAGS);
    }

    public boolean hasBackReferences() {
        return backrefs;
    }

    public String toJava() {
        StringBuilder out = new StringBuilder();
        new Renderer(out, backrefs).alt(root);
        return out.toString();
    }

    /**
     * The top-level alternatives as separate source patterns: a line matches the pattern iff it matches one
     * of them. A pattern with back-references is kept whole, since its group numbers span alternatives.
     */
    public List<String> alternatives() {
        if (backrefs || root.branches.size() == 1) {
            return List.of(source);
        }
        List<String> out = new ArrayList<>();
        int[] codePoints = source.codePoints().toArray();
        for (Seq s : root.branches) {
            out.add(new String(codePoints, s.start, s.end - s.start));
        }
        return out;
    }

    /**
     * The longest string every match of this single-alternative pattern must contain (empty when none), so
     * that a literal scan can rule the pattern out before any regex runs.
     */
    public String requiredLiteral() {
        String best = "";
        for (String run : requiredLiterals()) {
            if (run.length() > best.length()) {
                best = run;
            }
        }
        return best;
    }

    /**
     * Every maximal run of literal characters that every match of this single-alternative pattern contains,
     * in pattern order (so they occur in a matching line in this order, without overlapping).
     */
    public List<String> requiredLiterals() {
        List<String> runs = new ArrayList<>();
        if (root.branches.size() != 1) {
            return runs;
        }
        StringBuilder run = new StringBuilder();
        for (Piece piece : root.branches.get(0).pieces) {
            boolean literal = piece.atom instanceof Lit;
            if (literal && piece.reps.isEmpty()) {
                run.appendCodePoint(((Lit) piece.atom).c);
                continue;
            }
            if (literal && piece.minRepeat() >= 1) {
                run.appendCodePoint(((Lit) piece.atom).c);
            }
            if (run.length() > 0) {
                runs.add(run.toString());
            }
            run.setLength(0);
        }
        if (run.length() > 0) {
            runs.add(run.toString());
        }
        return runs;
    }

    /**
     * A sample line built from the pattern (first non-empty alternative, fewest repetitions but one, a member
     * of each bracket), for showing what a rule is about; check it with the compiled pattern before relying
     * on it, since anchors and back-references are not solved for.
     */
    public String example() {
        return new Example().alt(root);
    }

    private static final class Example {
        private static final String PREFERRED = "a0A _.-:/";
        private final Map<Integer, String> groups = new java.util.HashMap<>();

        String alt(Alt a) {
            for (Seq s : a.branches) {
                if (!s.pieces.isEmpty()) {
                    return seq(s);
                }
            }
            return "";
        }

        String seq(Seq s) {
            StringBuilder b = new StringBuilder();
            for (Piece p : s.pieces) {
                int min = p.minRepeat();
                int times = min > 0 ? min : (p.reps.size() == 1 && p.reps.get(0).max != 0 ? 1 : 0);
                for (int i = 0; i < times; i++) {
                    b.append(atom(p.atom));
                }
            }
            return b.toString();
        }

        String atom(Node n) {
            if (n instanceof Lit l) {
                return Character.toString(l.c);
            }
            if (n instanceof Any) {
                return "x";
            }
            if (n instanceof Cls c) {
                Pattern p = Pattern.compile(c.java, FLAGS);
                for (int i = 0; i < PREFERRED.length() + 256; i++) {
                    char ch = i < PREFERRED.length() ? PREFERRED.charAt(i) : (char) (i - PREFERRED.length());
                    if (ch != '\n' && p.matcher(String.valueOf(ch)).matches()) {
                        return String.valueOf(ch);
                    }
                }
                return "";
            }
            if (n instanceof Backref b) {
                return groups.getOrDefault(b.n, "");
            }
            if (n instanceof Group g) {
                String text = alt(g.alt);
                groups.put(g.index, text);
                return text;
            }
            return "";
        }
    }

    /**
     * The literal text every match of this single-alternative pattern starts with (empty when none): for
     * a rule anchored after the syslog prefix, usually the program name.
     */
    public String leadingLiteral() {
        StringBuilder lead = new StringBuilder();
        if (root.branches.size() == 1) {
            for (Piece piece : root.branches.get(0).pieces) {
                if (!(piece.atom instanceof Lit l) || !piece.reps.isEmpty()) {
                    break;
                }
                lead.appendCodePoint(l.c);
            }
        }
        return lead.toString();
    }

    // ---- syntax tree -------------------------------------------------------------------------------

    private record Alt(List<Seq> branches) {}

    private record Seq(List<Piece> pieces, int start, int end) {}

    private record Rep(int min, int max) {
        static final int INF = -1;
    }

    private static final class Piece {
        final Node atom;
        final List<Rep> reps = new ArrayList<>();

        Piece(Node atom) {
            this.atom = atom;
        }

        int minRepeat() {
            int min = 1;
            for (Rep r : reps) {
                min *= r.min;
            }
            return min;
        }
    }

    private sealed interface Node permits Lit, Any, Cls, Group, Anchor, Backref {}

    private record Lit(int c) implements Node {}

    private record Any(String java) implements Node {}

    private record Cls(String java) implements Node {}

    private record Group(Alt alt, int index) implements Node {}

    /** A zero-width assertion; Java cannot repeat some of them directly, so they are wrapped when repeated. */
    private record Anchor(String java) implements Node {}

    private record Backref(int n) implements Node {}

    // ---- parser ------------------------------------------------------------------------------------

    /** Reads the pattern by code point: {@code s} holds them, and every position is an index into it. */
    private static final class Parser {
        final int[] s;
        final GrepLocale locale;
        int pos;
        int groups;
        int completed;
        boolean backrefs;

        Parser(String text, GrepLocale locale) {
            this.s = text.codePoints().toArray();
            this.locale = locale;
        }

        Alt parseAlt(int depth) {
            int initial = completed;
            List<Seq> branches = new ArrayList<>();
            branches.add(parseSeq(depth));
            while (pos < s.length && s[pos] == '|') {
                pos++;
                int accumulated = completed;
                completed = initial;
                branches.add(parseSeq(depth));
                completed |= accumulated;
            }
            return new Alt(branches);
        }

        Seq parseSeq(int depth) {
            int start = pos;
            List<Piece> pieces = new ArrayList<>();
            while (pos < s.length) {
                int c = s[pos];
                if (c == '|' || (c == ')' && depth > 0)) {
                    break;
                }
                Rep rep = repetition();
                if (rep != null) {
                    if (pieces.isEmpty()) {
                        // GNU ignores a repetition with nothing before it; what follows is then read as an
                        // expression even if it is ')' (glibc), which makes "(*)" an unmatched parenthesis.
                        if (pos < s.length && s[pos] == ')') {
                            pos++;
                            pieces.add(new Piece(new Lit(')')));
                        }
                        continue;
                    }
                    pieces.get(pieces.size() - 1).reps.add(rep);
                    continue;
                }
                pieces.add(new Piece(atom(depth)));
            }
            return new Seq(pieces, start, pos);
        }

        /** Consumes and returns a repetition operator at {@code pos}, or null (a '{' not opening one is literal). */
        Rep repetition() {
            int c = s[pos];
            switch (c) {
                case '*':
                    pos++;
                    return new Rep(0, Rep.INF);
                case '+':
                    pos++;
                    return new Rep(1, Rep.INF);
                case '?':
                    pos++;
                    return new Rep(0, 1);
                case '{':
                    return interval();
                default:
                    return null;
            }
        }

        /** glibc's parse_dup_op with RE_INVALID_INTERVAL_ORD: malformed means literal, some shapes are errors. */
        Rep interval() {
            int i = pos + 1;
            int[] num = new int[1];
            int t = number(i, num);
            if (t < 0) {
                return null;
            }
            int min = num[0];
            int max;
            if (s[t] == ',') {
                if (min == -1) {
                    min = 0;
                }
                int t2 = number(t + 1, num);
                if (t2 < 0) {
                    return null;
                }
                max = num[0] == -1 ? Rep.INF : num[0];
                t = t2;
                if (s[t] != '}') {
                    throw new InvalidPatternException("Invalid content of \\{\\}");
                }
            } else {
                if (min == -1) {
                    throw new InvalidPatternException("Invalid content of \\{\\}");
                }
                max = min;
            }
            if (max != Rep.INF && min > max) {
                throw new InvalidPatternException("Invalid content of \\{\\}");
            }
            if ((max == Rep.INF ? min : max) > DUP_MAX) {
                throw new InvalidPatternException("Regular expression too big");
            }
            pos = t + 1;
            return new Rep(min, max);
        }

        /**
         * Reads digits from {@code i} up to ',' or '}'; stores the number (-1 if none) and returns the index of
         * the terminator, or -1 when the text is not an interval (end of pattern or another character).
         */
        int number(int i, int[] out) {
            int n = -1;
            boolean bad = false;
            while (i < s.length) {
                int c = s[i];
                if (c == '}' || c == ',') {
                    out[0] = n;
                    return bad ? -1 : i;
                }
                if (c >= '0' && c <= '9') {
                    n = Math.min(DUP_MAX + 1, (n < 0 ? 0 : n * 10) + (c - '0'));
                } else {
                    bad = true;
                }
                i++;
            }
            return -1;
        }

        Node atom(int depth) {
            int c = s[pos++];
            switch (c) {
                case '(':
                    return group(depth);
                case ')':
                    return new Lit(')');
                case '.':
                    return new Any(locale.any());
                case '^':
                    return new Anchor("^");
                case '$':
                    return new Anchor("$");
                case '[':
                    return bracket();
                case '\\':
                    return escape();
                default:
                    return new Lit(c);
            }
        }

        Node group(int depth) {
            int index = ++groups;
            Alt alt;
            if (pos < s.length && s[pos] == ')') {
                alt = new Alt(List.of(new Seq(List.of(), pos, pos)));
            } else {
                alt = parseAlt(depth + 1);
            }
            if (pos >= s.length || s[pos] != ')') {
                throw new InvalidPatternException("Unmatched ( or \\(");
            }
            pos++;
            if (index < 32) {
                completed |= 1 << index;
            }
            return new Group(alt, index);
        }

        Node escape() {
            if (pos >= s.length) {
                throw new InvalidPatternException("Trailing backslash");
            }
            int c = s[pos++];
            String word = locale.wordContext();
            switch (c) {
                case 'w':
                    return new Cls("[" + locale.wordItems() + "]");
                case 'W':
                    return new Cls(locale.negated(locale.wordItems()));
                case 's':
                    return new Cls("[" + locale.posixClass("space") + "]");
                case 'S':
                    return new Cls(locale.negated(locale.posixClass("space")));
                case '<':
                    return new Anchor("(?<!" + word + ")(?=" + word + ")");
                case '>':
                    return new Anchor("(?<=" + word + ")(?!" + word + ")");
                case 'b':
                    return new Anchor("(?:(?<=" + word + ")(?!" + word + ")|(?<!" + word + ")(?=" + word + "))");
                case 'B':
                    return new Anchor("(?:(?<=" + word + ")(?=" + word + ")|(?<!" + word + ")(?!" + word + "))");
                case '`':
                    return new Anchor("^");
                case '\'':
                    return new Anchor("$");
                default:
                    if (c >= '1' && c <= '9') {
                        int n = c - '0';
                        if ((completed & (1 << n)) == 0) {
                            throw new InvalidPatternException("Invalid back reference");
                        }
                        backrefs = true;
                        return new Backref(n);
                    }
                    return new Lit(c);
            }
        }

        /**
         * glibc's parse_bracket_exp: no escapes inside, ']' first is literal, ranges in byte order (C) or code
         * point order (UTF-8). In UTF-8 an invalid byte as a member matches nothing (glibc keeps only the ASCII
         * single-byte members), as a range end it is the Latin-1 character of its value, and a character beyond
         * ASCII can neither end a range nor be a collating element (C.UTF-8 has no collation table).
         */
        Node bracket() {
            boolean negated = pos < s.length && s[pos] == '^';
            if (negated) {
                pos++;
            }
            StringBuilder items = new StringBuilder();
            int contentStart = pos;
            boolean first = true;
            boolean plain = true;
            while (true) {
                if (pos >= s.length) {
                    throw unmatchedBracket();
                }
                int c = s[pos];
                if (c == ']' && !first) {
                    pos++;
                    break;
                }
                Element start = element(first);
                first = false;
                if (start.kind == Element.CLASS || start.kind == Element.EQUIV) {
                    plain = false;
                    items.append(item(start));
                    continue;
                }
                if (pos >= s.length) {
                    throw unmatchedBracket();
                }
                if (s[pos] == '-' && pos + 1 < s.length && s[pos + 1] != ']') {
                    pos++;
                    plain = false;
                    Element end = element(true);
                    if (end.kind != Element.CHAR) {
                        throw new InvalidPatternException("Invalid range end");
                    }
                    int from = rangeEnd(start);
                    int to = rangeEnd(end);
                    if (from > to) {
                        throw new InvalidPatternException("Invalid range end");
                    }
                    items.append(hex(from)).append('-').append(hex(to));
                } else {
                    if (s[pos] == '-' && pos + 1 >= s.length) {
                        throw unmatchedBracket();
                    }
                    items.append(item(start));
                }
            }
            String content = new String(s, contentStart, pos - 1 - contentStart);
            if (plain && content.length() >= 2 && content.startsWith(":") && content.endsWith(":")
                    && !content.chars().allMatch(ch -> ch == ':')) {
                throw new InvalidPatternException("character class syntax is [[:space:]], not [:space:]");
            }
            if (negated) {
                return new Cls(locale.negated(items.toString()));
            }
            return new Cls(items.length() == 0 ? NOTHING : "[" + items + "]");
        }

        private boolean utf8InvalidByte(int c) {
            return locale == GrepLocale.UTF_8 && GrepLocale.isInvalidByte(c);
        }

        /** A member of a bracket as Java class syntax, empty for one that matches nothing. */
        private String item(Element e) {
            if (e.kind == Element.CLASS) {
                return locale.posixClass(e.name);
            }
            return utf8InvalidByte(e.c) ? "" : hex(e.c);
        }

        private int rangeEnd(Element e) {
            if (utf8InvalidByte(e.c)) {
                return e.c & 0xff;
            }
            if (locale == GrepLocale.UTF_8 && e.c >= 0x80) {
                throw new InvalidPatternException("Invalid collation character");
            }
            return e.c;
        }

        private record Element(int kind, int c, String name) {
            static final int CHAR = 0;
            static final int CLASS = 1;
            static final int EQUIV = 2;
        }

        Element element(boolean acceptHyphen) {
            int c = s[pos];
            if (c == '[' && pos + 1 < s.length) {
                int d = s[pos + 1];
                if (d == ':' || d == '.' || d == '=') {
                    pos += 2;
                    int close = pos;
                    while (close + 1 < s.length && !(s[close] == d && s[close + 1] == ']')) {
                        close++;
                    }
                    if (close + 1 >= s.length) {
                        throw unmatchedBracket();
                    }
                    String name = new String(s, pos, close - pos);
                    pos = close + 2;
                    if (d == ':') {
                        if (locale.posixClass(name) == null) {
                            throw new InvalidPatternException("Invalid character class name");
                        }
                        return new Element(Element.CLASS, 0, name);
                    }
                    int only = name.isEmpty() ? -1 : name.codePointAt(0);
                    if (name.codePointCount(0, name.length()) != 1
                            || (locale == GrepLocale.UTF_8 && only >= 0x80 && !GrepLocale.isInvalidByte(only))) {
                        throw new InvalidPatternException("Invalid collation character");
                    }
                    return new Element(d == '=' ? Element.EQUIV : Element.CHAR, only, null);
                }
            }
            pos++;
            if (c == '-' && !acceptHyphen && pos < s.length && s[pos] != ']') {
                throw new InvalidPatternException("Invalid range end");
            }
            return new Element(Element.CHAR, c, null);
        }

        InvalidPatternException unmatchedBracket() {
            return new InvalidPatternException("Unmatched [, [^, [:, [., or [=");
        }
    }

    /** A class that matches nothing: a UTF-8 bracket whose only members are invalid bytes. */
    private static final String NOTHING = "[\\x{0}&&[^\\x{0}]]";

    static String hex(int c) {
        return "\\x{" + Integer.toHexString(c) + "}";
    }

    // ---- renderer ----------------------------------------------------------------------------------

    private static final class Renderer {
        final StringBuilder out;
        final boolean capture;

        Renderer(StringBuilder out, boolean capture) {
            this.out = out;
            this.capture = capture;
        }

        void alt(Alt alt) {
            for (int i = 0; i < alt.branches.size(); i++) {
                if (i > 0) {
                    out.append('|');
                }
                for (Piece p : alt.branches.get(i).pieces) {
                    piece(p);
                }
            }
        }

        void piece(Piece p) {
            if (p.reps.isEmpty()) {
                atom(p.atom);
                return;
            }
            boolean directlyRepeatable = p.atom instanceof Lit || p.atom instanceof Any || p.atom instanceof Cls
                    || p.atom instanceof Group;
            // Java reads "a*+" as possessive and "a*?" as lazy, so each further repetition wraps the last.
            StringBuilder sub = new StringBuilder();
            new Renderer(sub, capture).atom(p.atom);
            String unit = sub.toString();
            for (int i = 0; i < p.reps.size(); i++) {
                if (i > 0 || !directlyRepeatable) {
                    unit = "(?:" + unit + ")";
                }
                unit = unit + quantifier(p.reps.get(i));
            }
            out.append(unit);
        }

        static String quantifier(Rep r) {
            if (r.min == 0 && r.max == Rep.INF) {
                return "*";
            }
            if (r.min == 1 && r.max == Rep.INF) {
                return "+";
            }
            if (r.min == 0 && r.max == 1) {
                return "?";
            }
            if (r.max == Rep.INF) {
                return "{" + r.min + ",}";
            }
            return r.min == r.max ? "{" + r.min + "}" : "{" + r.min + "," + r.max + "}";
        }

        void atom(Node n) {
            if (n instanceof Lit l) {
                out.append(literal(l.c));
            } else if (n instanceof Any a) {
                out.append(a.java);
            } else if (n instanceof Cls c) {
                out.append(c.java);
            } else if (n instanceof Anchor a) {
                out.append(a.java);
            } else if (n instanceof Backref b) {
                out.append("(?:\\").append(b.n).append(')');
            } else if (n instanceof Group g) {
                out.append(capture ? "(" : "(?:");
                alt(g.alt);
                out.append(')');
            }
        }
    }

    /** A character as a Java regex literal, readable where that is safe. */
    static String literal(int c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || " _-/:;,=@%'\"<>!~`#&".indexOf(c) >= 0) {
            return Character.toString(c);
        }
        if (c > ' ' && c < 0x7f) {
            return "\\" + (char) c;
        }
        return hex(c);
    }
}

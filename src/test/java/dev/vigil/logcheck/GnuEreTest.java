package dev.vigil.logcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GnuEreTest {

    /** Pattern, line, whether GNU grep -E (C locale) finds the pattern in the line. */
    static Stream<Arguments> cases() {
        return Stream.of(
                // POSIX classes inside brackets, which Java would read as plain character sets
                Arguments.of("^[[:alnum:]]+$", "abc123", true),
                Arguments.of("^[[:alnum:]]+$", "a:l", false),
                Arguments.of("[[:space:]]x", "\tx", true),
                Arguments.of("[^[:space:]]+$", "a b", true),
                Arguments.of("^[[:digit:]]+$", "12a", false),
                Arguments.of("[[:upper:][:digit:]]", "Q", true),
                Arguments.of("[[:punct:]]", "a;b", true),
                Arguments.of("[[:xdigit:]]{4}", "beef", true),
                Arguments.of("[._[:alnum:]-]+ x", "my-host.lan x", true),
                // a backslash or '[' inside a bracket is an ordinary character
                Arguments.of("[\\]]", "\\]", true),
                Arguments.of("[\\]]", "]", false),
                Arguments.of("[a\\]", "\\", true),
                Arguments.of("[[]", "[", true),
                Arguments.of("[[a]", "a", true),
                Arguments.of("[\\n]", "n", true),
                // ']' first is literal, '-' first or last is literal
                Arguments.of("[]a]", "]", true),
                Arguments.of("[^]a]", "]", false),
                Arguments.of("[^]a]", "b", true),
                Arguments.of("[a-]", "-", true),
                Arguments.of("[--/]", ".", true),
                Arguments.of("[%--]", ",", true),
                Arguments.of("[[.-.]]", "-", true),
                Arguments.of("[[=a=]]", "a", true),
                Arguments.of("[[.a.]-c]", "b", true),
                // a brace that does not open a valid interval is literal
                Arguments.of("a{", "a{", true),
                Arguments.of("a{1", "a{1", true),
                Arguments.of("a{1", "a", false),
                Arguments.of("a{x}", "a{x}", true),
                Arguments.of("a{1a}", "a{1a}", true),
                Arguments.of("ab{1,2", "ab", false),
                Arguments.of("\\{", "{", true),
                Arguments.of("x{1}", "x{1}", true),
                // intervals, including the GNU {,n} and {,}
                Arguments.of("^a{,2}b$", "aab", true),
                Arguments.of("^a{,2}b$", "aaab", false),
                Arguments.of("^x{,}$", "xxxx", true),
                Arguments.of("^a{2,}$", "a", false),
                Arguments.of("^a{0}b", "b", true),
                Arguments.of("^x{1,2}{3}$", "xxxxxx", true),
                // repetition with nothing before it is ignored
                Arguments.of("*a", "a", true),
                Arguments.of("*a", "b", false),
                Arguments.of("+a", "a", true),
                Arguments.of("?a", "a", true),
                Arguments.of("{1}a", "a", true),
                Arguments.of("x|*b", "b", true),
                Arguments.of("(*a)", "a", true),
                Arguments.of("a(+b)", "a+b", false),
                // a repetition after ^ repeats the anchor, which may then match nothing
                Arguments.of("^*a", "ba", true),
                // stacked repetitions repeat the repetition; Java would read a*+ as possessive
                Arguments.of("^(a*+)b$", "aab", true),
                Arguments.of("^a+*$", "aaa", true),
                Arguments.of("^a**$", "", true),
                Arguments.of("^a?*b", "aab", true),
                // GNU word and buffer operators
                Arguments.of("\\<b", "a b", true),
                Arguments.of("a\\<b", "ab", false),
                Arguments.of("a\\>", "a", true),
                Arguments.of("\\>a", "a", false),
                Arguments.of("\\bfoo\\b", "x foo.", true),
                Arguments.of("\\bfoo\\b", "xfoo", false),
                Arguments.of("\\Bfoo", "xfoo", true),
                Arguments.of("\\Bfoo", "x foo", false),
                Arguments.of("\\`a", "a", true),
                Arguments.of("\\`a", "ba", false),
                Arguments.of("a\\'", "ba", true),
                Arguments.of("a\\'", "ab", false),
                Arguments.of("\\w+", "_", true),
                Arguments.of("\\W", "_", false),
                Arguments.of("\\s", "a b", true),
                Arguments.of("\\S", " ", false),
                Arguments.of("\\w", "\u00e9", false),
                Arguments.of("\\bx", "\u00e9x", true),
                // back-references, single digit only
                Arguments.of("(a)\\1", "aa", true),
                Arguments.of("^(a|b)\\1$", "ab", false),
                Arguments.of("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10", "abcdefghija0", true),
                // other escapes quote the character
                Arguments.of("a\\.b", "axb", false),
                Arguments.of("\\d", "d", true),
                Arguments.of("\\d", "1", false),
                Arguments.of("\\n", "n", true),
                Arguments.of("\\(a\\)", "(a)", true),
                Arguments.of("a\\|b", "a|b", true),
                // anchors are anchors anywhere; an unmatched ')' is literal
                Arguments.of("a^", "a^", false),
                Arguments.of("$a", "$a", false),
                Arguments.of("x(^a)", "xa", false),
                Arguments.of("(^a|b)c", "bc", true),
                Arguments.of("a)", "a)", true),
                Arguments.of(")", ")", true),
                // empty alternatives and groups match the empty string
                Arguments.of("a|", "x", true),
                Arguments.of("(|a)", "x", true),
                Arguments.of("()", "x", true),
                Arguments.of("()*", "x", true),
                // the C locale: a byte is a character, and '.' does not stop at \u0085 or \r
                Arguments.of("^.{3}$", "\u00c3\u00a9x", true),
                Arguments.of("a.b$", "a\u0085b", true),
                Arguments.of("a$", "a\r", false),
                Arguments.of("^[^a]b", "\u00e9b", true),
                // real Debian shapes
                Arguments.of("^(\\w{3} [ :0-9]{11}|[0-9T:.+-]{32}) [._[:alnum:]-]+ sshd\\[[0-9]+\\]: Accepted",
                        "Nov 22 01:00:01 host1 sshd[42]: Accepted publickey", true),
                Arguments.of("^(\\w{3} [ :0-9]{11}|[0-9T:.+-]{32}) [._[:alnum:]-]+ sshd\\[[0-9]+\\]: Accepted",
                        "2026-11-22T01:00:01.123456+00:00 host1 sshd[42]: Accepted publickey", true),
                Arguments.of("status=0x[[:xdigit:]]+ { DriveReady SeekComplete Error }$",
                        "status=0x51 { DriveReady SeekComplete Error }", true));
    }

    static Stream<String> invalid() {
        return Stream.of("(", "(*)", "a(*)", "x{}", "a{1,2,3}", "x{2,1}", "a{65536}", "[[:foo:]]", "[:alpha:]",
                "[[:alpha:]-z]", "[a-[:alpha:]]", "[z-a]", "[a-z-9]", "[[.space.]]", "x\\1", "(a)|\\1", "a\\",
                "[]", "[^]", "[a-z", "[[:alpha:]");
    }

    /** Text as the UTF-8 bytes a log or rule file holds, one char per byte (how they are read). */
    static String u(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /**
     * Pattern, line (both bytes, one char each: {@code u("é")} is valid UTF-8, {@code "\u00ff"} the byte 0xff),
     * whether GNU grep -E finds the pattern in the line in the C.UTF-8 locale.
     */
    static Stream<Arguments> utf8Cases() {
        return Stream.of(
                // letters of every script are letters, digits and word characters
                Arguments.of("^user [[:alpha:]]+$", u("user Jos\u00e9"), true),
                Arguments.of("^[[:alpha:]]+$", u("\u00c4rger"), true),
                Arguments.of("^[[:alnum:]]{2}$", u("\u65e5\u672c"), true),
                Arguments.of("^[[:upper:]][[:lower:]]+$", u("\u00c4rger"), true),
                Arguments.of("^[[:lower:]]", u("\u00c4rger"), false),
                Arguments.of("^[[:punct:]]$", u("\u20ac"), true),
                Arguments.of("^[[:punct:]]$", u("\u00e9"), false),
                Arguments.of("^\\w+ \\w+$", u("user Jos\u00e9"), true),
                Arguments.of("^user \\W", u("user Jos\u00e9"), false),
                Arguments.of("Jos\\b", u("Jos\u00e9"), false),
                Arguments.of("Jos\\B", u("Jos\u00e9"), true),
                Arguments.of("\\<end", u("\u3000end"), true),
                Arguments.of("\\bend", u("\u00e9end"), false),
                Arguments.of("[[:alpha:]]\\>", u("\ud835\udc00 "), true),
                Arguments.of("[[:alpha:]]\\<", u("\ud835\udc00 "), false),
                Arguments.of("[^[:alpha:]]y", u("\ud835\udc00y"), false),
                Arguments.of("^[^[:alpha:]]y", u("\ud83d\ude00y"), true),
                Arguments.of("^[[:digit:]]", u("\u0663"), false),
                Arguments.of("^[[:alpha:]]", u("\u0663"), true),
                // white space is Unicode's, but for the no-break spaces
                Arguments.of("^[[:space:]]end", u("\u2003end"), true),
                Arguments.of("^\\s", u("\u00a0x"), false),
                Arguments.of("^[[:blank:]]", u("\u3000x"), true),
                // '.' is one character of any length, a range is in code point order
                Arguments.of("^Jos.$", u("Jos\u00e9"), true),
                Arguments.of("^Jos..$", u("Jos\u00e9"), false),
                Arguments.of("^.{2}$", u("\u65e5\u672c"), true),
                Arguments.of("^.x$", u("\ud83d\ude00x"), true),
                Arguments.of("^[a-z]+$", u("Jos\u00e9"), false),
                Arguments.of("^[^a-z]$", u("\u00e9"), true),
                Arguments.of(u("^[\u00e9\u65e5]+$"), u("\u65e5\u00e9"), true),
                Arguments.of(u("^Jos\u00e9$"), u("Jos\u00e9"), true),
                // a byte that is not valid UTF-8 is matched by the same byte only
                Arguments.of("^x.y$", "x\u00ffy", false),
                Arguments.of("^x[^a]y$", "x\u00ffy", false),
                Arguments.of("^x\\Wy$", "x\u00ffy", false),
                Arguments.of("^x\\wy$", "x\u00ffy", false),
                Arguments.of("^x[[:print:]]y$", "x\u00ffy", false),
                Arguments.of("^x\u00ffy$", "x\u00ffy", true),
                Arguments.of("^x\u00ff+y$", "x\u00ff\u00ffy", true),
                Arguments.of("^x(\u00ff|a)y$", "x\u00ffy", true),
                Arguments.of("x[\u00ff]y", "x\u00ffy", false),
                Arguments.of("^[a\u00ff]$", "a", true),
                Arguments.of("^[^\u00ff]$", "\u00ff", false),
                Arguments.of("^[^\u00ff]$", u("\u00e9"), true),
                Arguments.of("^caf.$", "caf\u00c3", false),
                Arguments.of("^caf\u00c3$", "caf\u00c3", true),
                Arguments.of("^.+$", "\u00ed\u00b2\u0080", false),
                Arguments.of("^.+$", "\u00f4\u0090\u0080\u0080", false),
                Arguments.of("^x\u00e6\u0097", "x\u00e6\u0097A", true),
                Arguments.of("^x..A", "x\u00e6\u0097A", false),
                // as a range end such a byte is the Latin-1 character of its value
                Arguments.of("^[\u00c3-\u00ff]$", u("\u00e9"), true),
                Arguments.of("^[\u00c3-\u00ff]$", "\u00ff", false),
                // and at a word boundary too: 0xff is a letter (y with diaeresis), 0x80 a control
                Arguments.of("\\<y", "x\u00ffy", false),
                Arguments.of("\\<y", "x\u0080y", true),
                Arguments.of("x\\>", "x\u00ffy", false),
                Arguments.of("x\\b", "x\u0080", true));
    }

    /**
     * Patterns GNU grep refuses in C.UTF-8 (the ranges it accepts in C, as byte ranges): a character beyond
     * ASCII ends no range and is no collating element.
     */
    static Stream<String> utf8Invalid() {
        return Stream.of(u("[a-\u00e9]"), u("[\u00e0-\u00ff]"), u("[[=\u00e9=]]"), u("[[.\u00e9.]]"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void translationMatchesLikeGnuGrep(String ere, String line, boolean expected) {
        Pattern p = GnuEre.compile(ere, GrepLocale.C);
        assertEquals(expected, p.matcher(line).find(), () -> ere + " -> " + p.pattern());
    }

    @ParameterizedTest
    @MethodSource("utf8Cases")
    void inAUtf8LocaleTranslationMatchesLikeGnuGrep(String ere, String line, boolean expected) {
        Pattern p = GnuEre.compile(ere, GrepLocale.UTF_8);
        assertEquals(expected, p.matcher(GrepLocale.UTF_8.text(line)).find(), () -> ere + " -> " + p.pattern());
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void patternsGrepRefusesAreRefused(String ere) {
        assertThrows(GnuEre.InvalidPatternException.class, () -> GnuEre.compile(ere, GrepLocale.C));
        assertThrows(GnuEre.InvalidPatternException.class, () -> GnuEre.compile(ere, GrepLocale.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("utf8Invalid")
    void inAUtf8LocaleRangesAndCollatingElementsBeyondAsciiAreRefused(String ere) {
        assertThrows(GnuEre.InvalidPatternException.class, () -> GnuEre.compile(ere, GrepLocale.UTF_8));
    }

    @Test
    void expectedResultsAreWhatGnuGrepSays(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(GnuGrep.available(), "GNU grep is the reference and is not installed");
        List<String> wrong = new ArrayList<>();
        wrong.addAll(disagreements(dir, "C", cases(), invalid()));
        wrong.addAll(disagreements(dir, "C.UTF-8", utf8Cases(), utf8Invalid()));
        assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
    }

    private static List<String> disagreements(Path dir, String locale, Stream<Arguments> cases,
                                              Stream<String> invalid) throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Arguments a : cases.toList()) {
            String ere = (String) a.get()[0];
            String line = (String) a.get()[1];
            boolean expected = (Boolean) a.get()[2];
            Path corpus = GnuGrep.writeLines(dir.resolve("line.txt"), List.of(line));
            GnuGrep.Result r = GnuGrep.matchingLines(dir, ere, corpus, locale);
            if (r.error() || r.lines().contains(0) != expected) {
                wrong.add(locale + ": " + ere + " on '" + line + "': grep exit " + r.exit() + " " + r.stderr());
            }
        }
        for (String ere : invalid.toList()) {
            GnuGrep.Result r = GnuGrep.matchingLines(dir, ere, GnuGrep.writeLines(dir.resolve("l.txt"), List.of("x")),
                    locale);
            if (!r.error()) {
                wrong.add(locale + ": " + ere + ": grep accepted it");
            }
        }
        return wrong;
    }

    /**
     * Every class, its negation, {@code \w}, {@code \W}, {@code \s}, {@code \S} and {@code .} hold in C.UTF-8
     * the characters grep's do: each character of the JDK's Unicode version (grep's glibc may know newer
     * ones) and each byte that is not valid UTF-8, one per line.
     */
    @Test
    void inAUtf8LocaleEveryClassHoldsWhatGrepsHolds(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(GnuGrep.available(), "GNU grep is the reference and is not installed");
        List<String> lines = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            int type = Character.getType(cp);
            if (cp != '\n' && type != Character.UNASSIGNED && type != Character.SURROGATE) {
                lines.add(u(Character.toString(cp)));
            }
        }
        for (int b = 0x80; b <= 0xff; b++) {
            lines.add(String.valueOf((char) b));
        }
        Path corpus = GnuGrep.writeLines(dir.resolve("all.txt"), lines);
        List<String> texts = lines.stream().map(GrepLocale.UTF_8::text).toList();
        List<String> patterns = new ArrayList<>(List.of("^\\w$", "^\\W$", "^\\s$", "^\\S$", "^.$"));
        for (String c : List.of("alpha", "alnum", "upper", "lower", "digit", "xdigit", "space", "blank", "punct",
                "print", "graph", "cntrl")) {
            patterns.add("^[[:" + c + ":]]$");
            patterns.add("^[^[:" + c + ":]]$");
        }
        List<String> wrong = new ArrayList<>();
        for (String ere : patterns) {
            GnuGrep.Result grep = GnuGrep.matchingLines(dir, ere, corpus, "C.UTF-8");
            Pattern ours = GnuEre.compile(ere, GrepLocale.UTF_8);
            List<String> differ = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                if (ours.matcher(texts.get(i)).find() != grep.lines().contains(i)) {
                    differ.add(HexFormat.of().formatHex(lines.get(i).getBytes(StandardCharsets.ISO_8859_1)));
                }
            }
            if (!differ.isEmpty()) {
                wrong.add(ere + ": " + differ.size() + " differ, such as " + differ.subList(0, Math.min(10, differ.size())));
            }
        }
        assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
    }

    @Test
    void topLevelAlternativesSplitOutsideGroupsAndBrackets() {
        assertEquals(List.of("^a(b|c)", "[|]x", "\\|y"), GnuEre.parse("^a(b|c)|[|]x|\\|y", GrepLocale.C).alternatives());
        assertEquals(List.of("(a)\\1|b"), GnuEre.parse("(a)\\1|b", GrepLocale.C).alternatives());
    }

    @Test
    void requiredLiteralIsTheLongestMandatoryRun() {
        assertEquals("]: Accepted publickey for ",
                GnuEre.parse("sshd\\[[0-9]+\\]: Accepted publickey for [a-z]+", GrepLocale.C).requiredLiteral());
        assertEquals("ab", GnuEre.parse("ab+c?d*", GrepLocale.C).requiredLiteral());
        assertEquals("", GnuEre.parse("[a-z]+", GrepLocale.C).requiredLiteral());
        assertEquals("", GnuEre.parse("ab|cd", GrepLocale.C).requiredLiteral());
    }
}

package dev.vigil.logcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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

    @ParameterizedTest
    @MethodSource("cases")
    void translationMatchesLikeGnuGrep(String ere, String line, boolean expected) {
        Pattern p = Pattern.compile(GnuEre.toJava(ere), GnuEre.FLAGS);
        assertEquals(expected, p.matcher(line).find(), () -> ere + " -> " + GnuEre.toJava(ere));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void patternsGrepRefusesAreRefused(String ere) {
        assertThrows(GnuEre.InvalidPatternException.class, () -> GnuEre.toJava(ere));
    }

    @Test
    void expectedResultsAreWhatGnuGrepSays(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(GnuGrep.available(), "GNU grep is the reference and is not installed");
        List<String> wrong = new ArrayList<>();
        for (Arguments a : cases().toList()) {
            String ere = (String) a.get()[0];
            String line = (String) a.get()[1];
            boolean expected = (Boolean) a.get()[2];
            Path corpus = GnuGrep.writeLines(dir.resolve("line.txt"), List.of(line));
            GnuGrep.Result r = GnuGrep.matchingLines(dir, ere, corpus);
            if (r.error() || r.lines().contains(0) != expected) {
                wrong.add(ere + " on '" + line + "': grep exit " + r.exit() + " " + r.stderr());
            }
        }
        for (String ere : invalid().toList()) {
            GnuGrep.Result r = GnuGrep.matchingLines(dir, ere, GnuGrep.writeLines(dir.resolve("l.txt"), List.of("x")));
            if (!r.error()) {
                wrong.add(ere + ": grep accepted it");
            }
        }
        assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
    }

    @Test
    void topLevelAlternativesSplitOutsideGroupsAndBrackets() {
        assertEquals(List.of("^a(b|c)", "[|]x", "\\|y"), GnuEre.parse("^a(b|c)|[|]x|\\|y").alternatives());
        assertEquals(List.of("(a)\\1|b"), GnuEre.parse("(a)\\1|b").alternatives());
    }

    @Test
    void requiredLiteralIsTheLongestMandatoryRun() {
        assertEquals("]: Accepted publickey for ",
                GnuEre.parse("sshd\\[[0-9]+\\]: Accepted publickey for [a-z]+").requiredLiteral());
        assertEquals("ab", GnuEre.parse("ab+c?d*").requiredLiteral());
        assertEquals("", GnuEre.parse("[a-z]+").requiredLiteral());
        assertEquals("", GnuEre.parse("ab|cd").requiredLiteral());
    }
}

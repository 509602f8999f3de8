package dev.vigil.logcheck;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The locale GNU grep matches logcheck's rules in, as far as it changes what matches. logcheck runs
 * {@code grep -E} in its caller's locale (from cron, the system's), and so matches differently in the C locale,
 * where a byte is a character and the POSIX classes are ASCII, and in a UTF-8 one, where a character is a
 * UTF-8 sequence and the classes are glibc's Unicode ones: {@code [[:alpha:]]} and {@code \w} take in
 * {@code é} and {@code 日}, and {@code .} one whole character.
 *
 * <p>Lines and rules are held as bytes, one char each ({@link LogLines}); {@link #text} makes of them what a
 * translated rule ({@link GnuEre}) is matched against. In UTF-8 a byte that is not part of a valid sequence
 * stays a char of its own, {@code U+DC00} plus the byte (a lone surrogate, which no decoded text contains):
 * as in grep, the same byte in a rule matches it, while {@code .}, classes and brackets never do, and at a
 * word boundary it counts as the Latin-1 character of its value (glibc's regex reads an invalid byte so).
 */
public enum GrepLocale {
    /** The C or POSIX locale, or any locale whose codeset is not UTF-8: bytes, ASCII classes. */
    C,
    /** A locale whose codeset is UTF-8, such as {@code C.UTF-8} or {@code en_US.UTF-8}. */
    UTF_8;

    private static final GrepLocale CURRENT = of(System.getenv());

    /** The first char of the escapes that stand for invalid bytes: {@code ESCAPE | byte}. */
    static final char ESCAPE = 0xDC00;

    /** The locale of this process's environment, decided once at start. */
    public static GrepLocale current() {
        return CURRENT;
    }

    /**
     * The locale grep runs in with this environment: named by the first non-empty of {@code LC_ALL},
     * {@code LC_CTYPE} and {@code LANG}, UTF-8 when the name's codeset ({@code language_TERRITORY.codeset@modifier})
     * is {@code UTF-8} or {@code utf8}.
     */
    public static GrepLocale of(Map<String, String> environment) {
        for (String variable : List.of("LC_ALL", "LC_CTYPE", "LANG")) {
            String name = environment.get(variable);
            if (name != null && !name.isEmpty()) {
                int dot = name.indexOf('.');
                int at = name.indexOf('@', Math.max(dot, 0));
                String codeset = dot < 0 ? "" : name.substring(dot + 1, at < 0 ? name.length() : at);
                return codeset.replace("-", "").equalsIgnoreCase("utf8") ? UTF_8 : C;
            }
        }
        return C;
    }

    /**
     * A line or pattern given as bytes (one char each) as this locale reads it: unchanged in C; in UTF-8
     * decoded, each invalid byte kept as {@code ESCAPE | byte}. An ASCII line comes back as it is.
     */
    public String text(String bytes) {
        if (this == C || isAscii(bytes)) {
            return bytes;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.wrap(bytes.getBytes(StandardCharsets.ISO_8859_1));
        CharBuffer out = CharBuffer.allocate(in.remaining());
        // an invalid byte is a character of its own; decoding goes on at the next byte, as in glibc
        while (decoder.decode(in, out, true).isError()) {
            out.put((char) (ESCAPE | (in.get() & 0xff)));
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static boolean isAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code c} (a char of {@link #text}) stands for a byte that is not valid UTF-8. */
    static boolean isInvalidByte(int c) {
        return c >= (ESCAPE | 0x80) && c <= (ESCAPE | 0xff);
    }

    /** glibc's {@code alnum} (letters and digits of every script in UTF-8), on a code point of {@link #text}. */
    boolean isAlnum(int c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }
        return this == UTF_8 && (Character.isAlphabetic(c) || Character.isDigit(c));
    }

    /** glibc's {@code alpha}: in UTF-8 also the digits of other scripts than ASCII's. */
    boolean isAlpha(int c) {
        return isAlnum(c) && (c < '0' || c > '9');
    }

    /** A character of {@code \w}. */
    boolean isWord(int c) {
        return c == '_' || isAlnum(c);
    }

    /**
     * The Java class (to use inside brackets) of a POSIX class in this locale, or null for a name grep
     * does not know. The UTF-8 ones are glibc's definitions in Unicode properties; the tests check them
     * against grep for every character of the JDK's Unicode version.
     */
    String posixClass(String name) {
        return (this == C ? ASCII_CLASSES : UNICODE_CLASSES).get(name);
    }

    /** {@code [^items]}: in UTF-8 never an invalid byte, nor half a surrogate pair (a match may start there). */
    String negated(String items) {
        return "[^" + items + (this == UTF_8 ? "\\x{D800}-\\x{DFFF}" : "") + "]";
    }

    /** {@code .}: any character. */
    String any() {
        return this == C ? "." : negated("");
    }

    /** The members of {@code \w}, to use inside brackets. */
    String wordItems() {
        return this == C ? "A-Za-z0-9_" : "\\p{IsAlphabetic}\\p{Nd}_";
    }

    /**
     * The class of characters that are word characters either side of {@code \\b}, {@code \\<} and the like.
     */
    String wordContext() {
        return this == C ? "[A-Za-z0-9_]" : UTF8_WORD_CONTEXT;
    }

    private static final String UTF8_WORD_CONTEXT = utf8WordContext();

    /**
     * In UTF-8 also the invalid bytes whose Latin-1 character is a letter. The class holds a literal
     * supplementary character (U+10000, a letter already) because only then does Java's lookbehind step back
     * over a whole surrogate pair rather than half of one.
     */
    private static String utf8WordContext() {
        StringBuilder cls = new StringBuilder("[").append(UTF_8.wordItems()).appendCodePoint(0x10000);
        for (int b = 0x80; b <= 0xff; b++) {
            if (UTF_8.isAlnum(b)) {
                cls.append(GnuEre.hex(ESCAPE | b));
            }
        }
        return cls.append(']').toString();
    }

    private static final Map<String, String> ASCII_CLASSES = Map.ofEntries(
            Map.entry("alpha", "\\p{Alpha}"), Map.entry("upper", "\\p{Upper}"),
            Map.entry("lower", "\\p{Lower}"), Map.entry("digit", "\\p{Digit}"),
            Map.entry("xdigit", "\\p{XDigit}"), Map.entry("space", "\\p{Space}"),
            Map.entry("print", "\\p{Print}"), Map.entry("punct", "\\p{Punct}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("cntrl", "\\p{Cntrl}"),
            Map.entry("blank", "\\p{Blank}"), Map.entry("alnum", "\\p{Alnum}"));

    /**
     * glibc's UTF-8 classes: digits other than ASCII's are letters; spaces are Unicode's white space but the
     * no-break ones and U+0085, which are punctuation and a control; U+2028 and U+2029 are controls; the
     * titlecase letters are upper, four of them lower too; punctuation is every visible non-alphanumeric.
     */
    private static final Map<String, String> UNICODE_CLASSES = Map.ofEntries(
            Map.entry("alpha", "[\\p{IsAlphabetic}\\p{Nd}&&[^0-9]]"),
            Map.entry("alnum", "\\p{IsAlphabetic}\\p{Nd}"),
            Map.entry("upper", "\\p{IsUppercase}\\p{Lt}"),
            Map.entry("lower", "\\p{IsLowercase}\\x{1C5}\\x{1C8}\\x{1CB}\\x{1F2}"),
            Map.entry("digit", "0-9"),
            Map.entry("xdigit", "0-9A-Fa-f"),
            Map.entry("space", "[\\p{IsWhite_Space}&&[^\\x{85}\\x{A0}\\x{2007}\\x{202F}]]"),
            Map.entry("blank", "[\\t\\p{Zs}&&[^\\x{A0}\\x{2007}\\x{202F}]]"),
            Map.entry("cntrl", "\\p{Cc}\\x{2028}\\x{2029}"),
            Map.entry("print", "[^\\p{Cc}\\p{Cn}\\p{Cs}\\x{2028}\\x{2029}]"),
            Map.entry("graph", "[^\\p{Cc}\\p{Cn}\\p{Cs}\\p{IsWhite_Space}]\\x{A0}\\x{2007}\\x{202F}"),
            Map.entry("punct", "[^\\p{Cc}\\p{Cn}\\p{Cs}\\p{IsWhite_Space}\\p{IsAlphabetic}\\p{Nd}]"
                    + "\\x{A0}\\x{2007}\\x{202F}"));
}

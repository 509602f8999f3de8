package dev.vigil.text;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Raw bytes (a file name, a log line) as text that shows every byte: valid UTF-8 passes through except that
 * {@code %}, control characters (newline, tab, ...) and DEL are written as {@code %XX}, and each byte of an
 * invalid UTF-8 sequence is written as {@code %XX}. {@link #bytes} reverses it exactly, so every output format
 * round-trips every name. Shared by file paths ({@code os.PathBytes}) and log lines ({@code logcheck}).
 */
public final class EscapedUtf8 {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private EscapedUtf8() {
    }

    /** The escaped text of {@code bytes}. */
    public static String of(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            int len = sequenceLength(b);
            if (len == 1) {
                if (b < 0x20 || b == 0x7f || b == '%') {
                    appendHex(out, b);
                } else {
                    out.append((char) b);
                }
                i++;
                continue;
            }
            if (len > 1 && i + len <= bytes.length) {
                try {
                    String s = decoder.decode(ByteBuffer.wrap(bytes, i, len)).toString();
                    out.append(s);
                    i += len;
                    continue;
                } catch (CharacterCodingException notUtf8) {
                    // fall through: escape this byte alone and resynchronise on the next one
                }
            }
            appendHex(out, b);
            i++;
        }
        return out.toString();
    }

    /**
     * The raw bytes of an {@linkplain #of escaped} text (also of a URI's percent-encoded raw path). A {@code %} not
     * followed by two hexadecimal digits, which {@link #of} never writes, is taken as itself: a text from elsewhere (a
     * subject kept by an older version) must not fail whoever reads it.
     */
    public static byte[] bytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            int high = i + 2 < utf8.length ? Character.digit(utf8[i + 1], 16) : -1;
            int low = high >= 0 ? Character.digit(utf8[i + 2], 16) : -1;
            if (utf8[i] == '%' && low >= 0) {
                out.write(high << 4 | low);
                i += 2;
            } else {
                out.write(utf8[i]);
            }
        }
        return out.toByteArray();
    }

    /**
     * How many of the first {@code length} bytes to keep when cutting there, so that the cut does not fall
     * inside a UTF-8 sequence (which would show its first bytes as {@code %XX}).
     */
    public static int wholeSequences(byte[] bytes, int length) {
        int i = length;
        int continuation = 0;
        while (i > 0 && continuation < 3 && (bytes[i - 1] & 0xC0) == 0x80) {
            i--;
            continuation++;
        }
        if (i == 0) {
            return length;
        }
        int need = sequenceLength(bytes[i - 1] & 0xff);
        return need > 1 && continuation + 1 < need ? i - 1 : length;
    }

    /** The length of the UTF-8 sequence a byte starts: 1 for ASCII, 2..4 for a lead byte, 0 for any other. */
    private static int sequenceLength(int b) {
        return b < 0x80 ? 1 : b >= 0xF8 ? 0 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
    }

    private static void appendHex(StringBuilder out, int b) {
        out.append('%').append((char) HEX[b >> 4]).append((char) HEX[b & 15]);
    }
}

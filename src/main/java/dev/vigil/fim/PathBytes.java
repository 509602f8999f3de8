package dev.vigil.fim;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * File names as the kernel has them: raw bytes, which need not be valid UTF-8.
 *
 * <p>The JDK keeps a Unix path's raw bytes internally but only exposes them through {@link Path#toUri()}
 * (which percent-encodes them) and takes them back through {@link Path#of(URI)}; that pair is how a name
 * that is not valid UTF-8 survives into the database and back to the file system, whatever the locale.
 *
 * <p>For text output (NDJSON, reports, the terminal) a path is {@linkplain #escape escaped}: valid UTF-8
 * passes through except that {@code %}, control characters (newline, tab, ...) and DEL are written as
 * {@code %XX}, and each byte of an invalid UTF-8 sequence is written as {@code %XX}. {@link #unescape}
 * reverses it exactly, so every output format round-trips every name.
 */
public final class PathBytes {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private PathBytes() {
    }

    /** The raw bytes of an absolute path (costs a stat: use {@link #name} in hot loops). */
    public static byte[] of(Path path) {
        String raw = path.toAbsolutePath().toUri().getRawPath();
        byte[] bytes = percentDecode(raw);
        // toUri() appends '/' to a path that is a directory at the time of the call.
        if (bytes.length > 1 && bytes[bytes.length - 1] == '/') {
            return Arrays.copyOf(bytes, bytes.length - 1);
        }
        return bytes;
    }

    /** The raw bytes of a path's last element; cheap for ASCII names, which are nearly all. */
    public static byte[] name(Path path) {
        String name = path.getFileName().toString();
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                byte[] full = of(path);
                int slash = full.length - 1;
                while (slash >= 0 && full[slash] != '/') {
                    slash--;
                }
                return Arrays.copyOfRange(full, slash + 1, full.length);
            }
        }
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    /** The path with these raw bytes, which must be absolute. */
    public static Path toPath(byte[] bytes) {
        StringBuilder uri = new StringBuilder("file://");
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '/' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.') {
                uri.append((char) c);
            } else {
                uri.append('%').append((char) HEX[c >> 4]).append((char) HEX[c & 15]);
            }
        }
        return Path.of(URI.create(uri.toString()));
    }

    /** The raw bytes of {@code parent/name}. */
    public static byte[] child(byte[] parent, byte[] name) {
        boolean root = parent.length == 1 && parent[0] == '/';
        byte[] out = Arrays.copyOf(parent, parent.length + (root ? 0 : 1) + name.length);
        if (!root) {
            out[parent.length] = '/';
        }
        System.arraycopy(name, 0, out, out.length - name.length, name.length);
        return out;
    }

    /** The index of the last '/' in {@code path}, or -1 if it has none. */
    public static int lastSlash(byte[] path) {
        for (int i = path.length - 1; i >= 0; i--) {
            if (path[i] == '/') {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code path} is {@code root} or lies below it. */
    public static boolean isUnder(byte[] path, byte[] root) {
        if (root.length == 1 && root[0] == '/') {
            return path.length > 0 && path[0] == '/';
        }
        if (path.length < root.length || !Arrays.equals(path, 0, root.length, root, 0, root.length)) {
            return false;
        }
        return path.length == root.length || path[root.length] == '/';
    }

    /** The escaped text form described in the class comment. */
    public static String escape(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            int len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
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

    /** The raw bytes of an {@linkplain #escape escaped} path. */
    public static byte[] unescape(String text) {
        return percentDecode(text);
    }

    private static void appendHex(StringBuilder out, int b) {
        out.append('%').append((char) HEX[b >> 4]).append((char) HEX[b & 15]);
    }

    private static byte[] percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '%' && i + 2 < utf8.length) {
                out.write(Integer.parseInt(new String(utf8, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else {
                out.write(utf8[i]);
            }
        }
        return out.toByteArray();
    }
}

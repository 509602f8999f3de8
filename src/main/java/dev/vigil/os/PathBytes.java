package dev.vigil.os;

import dev.vigil.text.EscapedUtf8;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * File names as the kernel has them: raw bytes, which need not be valid UTF-8. The one raw-path form of
 * Vigil: the file checks, the watch and the store hold a path as its bytes, and convert here.
 *
 * <p>The JDK keeps a Unix path's raw bytes internally but only exposes them through {@link Path#toUri()}
 * (which percent-encodes them) and takes them back through {@link Path#of(URI)}; that pair is how a name
 * that is not valid UTF-8 survives into the database and back to the file system, whatever the locale. A
 * {@code String} round trip would mangle it, and the JDK has no public "path from bytes" call.
 *
 * <p>For text output (NDJSON, reports, the terminal) a path is {@linkplain #escape escaped} as
 * {@link EscapedUtf8} shows any bytes; {@link #unescape} reverses it exactly, so every output format
 * round-trips every name. Where a path is a map key, it is a {@link ByteKey}.
 */
public final class PathBytes {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private PathBytes() {
    }

    /**
     * The raw bytes of an absolute path. A path whose text is all ASCII is those bytes (a name that is not UTF-8 is
     * decoded with U+FFFD, never ASCII); any other costs a stat, by {@code toUri}.
     */
    public static byte[] of(Path path) {
        Path absolute = path.toAbsolutePath();
        String text = absolute.toString();
        if (ascii(text)) {
            return text.getBytes(StandardCharsets.US_ASCII);
        }
        String raw = absolute.toUri().getRawPath();
        byte[] bytes = EscapedUtf8.bytes(raw);
        // toUri() appends '/' to a path that is a directory at the time of the call.
        if (bytes.length > 1 && bytes[bytes.length - 1] == '/') {
            return Arrays.copyOf(bytes, bytes.length - 1);
        }
        return bytes;
    }

    /** The raw bytes of a path's last element; cheap for ASCII names, which are nearly all. */
    public static byte[] name(Path path) {
        String name = path.getFileName().toString();
        if (ascii(name)) {
            return name.getBytes(StandardCharsets.US_ASCII);
        }
        byte[] full = of(path);
        int slash = full.length - 1;
        while (slash >= 0 && full[slash] != '/') {
            slash--;
        }
        return Arrays.copyOfRange(full, slash + 1, full.length);
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The path with these raw bytes, which must be absolute. */
    public static Path toPath(byte[] bytes) {
        StringBuilder uri = new StringBuilder(bytes.length + 16).append("file://");
        for (byte b : bytes) {
            if (b == '/') {
                uri.append('/');
            } else {
                appendUriByte(uri, b);
            }
        }
        return Path.of(URI.create(uri.toString()));
    }

    /**
     * The path {@code dir/name}, where name is {@code length} raw bytes of {@code bytes} from {@code offset} (a
     * name in a kernel event); plain ASCII, nearly every name, is resolved as text without a URI.
     */
    public static Path child(Path dir, byte[] bytes, int offset, int length) {
        boolean ascii = true;
        for (int i = offset; i < offset + length && ascii; i++) {
            ascii = bytes[i] > 0 && bytes[i] != '%';
        }
        if (ascii) {
            return dir.resolve(new String(bytes, offset, length, StandardCharsets.US_ASCII));
        }
        StringBuilder uri = new StringBuilder("file:///x/");
        for (int i = offset; i < offset + length; i++) {
            appendUriByte(uri, bytes[i]);
        }
        return dir.resolve(Path.of(URI.create(uri.toString())).getFileName());
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

    /** A path as C wants it: the raw bytes and a NUL. */
    public static byte[] cString(byte[] path) {
        return Arrays.copyOf(path, path.length + 1);
    }

    /** The raw bytes of an absolute path and a NUL, ready for a libc call. */
    public static byte[] cString(Path path) {
        return cString(of(path));
    }

    /** The escaped text form described in the class comment ({@link EscapedUtf8}, shared with log lines). */
    public static String escape(byte[] bytes) {
        return EscapedUtf8.of(bytes);
    }

    /** The raw bytes of an {@linkplain #escape escaped} path. */
    public static byte[] unescape(String text) {
        return EscapedUtf8.bytes(text);
    }

    private static void appendUriByte(StringBuilder uri, byte b) {
        int c = b & 0xff;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.') {
            uri.append((char) c);
        } else {
            uri.append('%').append((char) HEX[c >> 4]).append((char) HEX[c & 15]);
        }
    }
}

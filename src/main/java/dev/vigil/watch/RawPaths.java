package dev.vigil.watch;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Path;

/**
 * Converts between {@link Path} and the raw bytes the kernel speaks. A Linux file name is any byte string;
 * a {@code String} round trip would mangle names that are not valid UTF-8, while the JDK's Unix path keeps
 * raw bytes and {@code Path.of(URI)} builds one from percent-escaped bytes. The JDK offers no public
 * "path from bytes" call, hence this class.
 */
final class RawPaths {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private RawPaths() {
    }

    /** The path {@code dir/name}, where name is one raw file name; plain ASCII takes the cheap road. */
    static Path child(Path dir, byte[] name, int offset, int length) {
        boolean ascii = true;
        for (int i = offset; i < offset + length && ascii; i++) {
            ascii = name[i] > 0 && name[i] != '%';
        }
        if (ascii) {
            return dir.resolve(new String(name, offset, length, java.nio.charset.StandardCharsets.US_ASCII));
        }
        StringBuilder uri = new StringBuilder("file:///x/");
        for (int i = offset; i < offset + length; i++) {
            appendEscaped(uri, name[i]);
        }
        return dir.resolve(Path.of(URI.create(uri.toString())).getFileName());
    }

    /** A path from its full raw bytes (absolute). */
    static Path of(byte[] bytes) {
        StringBuilder uri = new StringBuilder("file://");
        for (byte b : bytes) {
            if (b == '/') {
                uri.append('/');
            } else {
                appendEscaped(uri, b);
            }
        }
        return Path.of(URI.create(uri.toString()));
    }

    /** The raw bytes of an absolute path, NUL-terminated, ready for a libc call. */
    static byte[] cString(Path path) {
        String raw = path.toAbsolutePath().toUri().getRawPath();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length() + 1);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        byte[] bytes = out.toByteArray();
        int length = bytes.length;
        // toUri() marks directories with a trailing slash; libc does not want it
        if (length > 1 && bytes[length - 1] == '/') {
            length--;
        }
        byte[] result = new byte[length + 1];
        System.arraycopy(bytes, 0, result, 0, length);
        return result;
    }

    private static void appendEscaped(StringBuilder uri, byte b) {
        int c = b & 0xff;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~') {
            uri.append((char) c);
        } else {
            uri.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
        }
    }
}

package dev.vigil.os;

import dev.vigil.text.EscapedUtf8;

import java.util.Arrays;

/**
 * Raw bytes as a map or set key, equal by content: a path's bytes ({@link PathBytes}) where the file checks
 * remember paths, a kernel file handle where the watch remembers directories. A byte array compares by identity
 * and a Latin-1 string of the bytes copies them and passes for text; this holds the array and its hash.
 */
public final class ByteKey {

    private final byte[] bytes;
    private final int hash;

    private ByteKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The key of {@code bytes}, which it holds: the owner must not change them afterwards. */
    public static ByteKey of(byte[] bytes) {
        return new ByteKey(bytes);
    }

    /** The key of a copy of {@code length} bytes of {@code source} from {@code offset} (a buffer reused later). */
    public static ByteKey copyOf(byte[] source, int offset, int length) {
        return new ByteKey(Arrays.copyOfRange(source, offset, offset + length));
    }

    /** The bytes this key holds (the same array, not a copy). */
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The bytes as {@link EscapedUtf8} text (a path as Vigil prints it). */
    @Override
    public String toString() {
        return EscapedUtf8.of(bytes);
    }
}

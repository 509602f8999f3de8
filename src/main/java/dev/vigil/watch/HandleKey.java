package dev.vigil.watch;

import java.util.Arrays;

/** A kernel file identity (filesystem id, handle type and handle bytes) usable as a map key. */
record HandleKey(byte[] bytes, int hash) {

    static HandleKey of(byte[] source, int offset, int length) {
        byte[] copy = Arrays.copyOfRange(source, offset, offset + length);
        return new HandleKey(copy, Arrays.hashCode(copy));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandleKey other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "HandleKey" + Arrays.toString(bytes);
    }
}

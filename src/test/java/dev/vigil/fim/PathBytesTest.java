package dev.vigil.fim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PathBytesTest {

    @Test
    void escapingRoundTripsEveryByte() {
        byte[] all = new byte[255];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (i + 1);
        }
        assertArrayEquals(all, PathBytes.unescape(PathBytes.escape(all)));
    }

    @Test
    void validUtf8StaysReadableAndSpecialBytesArePercentEncoded() {
        byte[] name = "/tmp/caf\u00e9 100%\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("/tmp/caf\u00e9 100%25%0A", PathBytes.escape(name));
        byte[] invalid = {'/', 'a', (byte) 0xC3, 'b', (byte) 0xFF};
        assertEquals("/a%C3b%FF", PathBytes.escape(invalid));
    }

    @Test
    void rawBytesSurviveAPathObject() {
        byte[] raw = {'/', 't', 'm', 'p', '/', (byte) 0xFF, '\n', 'x'};
        assertArrayEquals(raw, PathBytes.of(PathBytes.toPath(raw)));
    }

    @Test
    void isUnderComparesWholeSegments() {
        byte[] etc = "/etc".getBytes();
        assertEquals(true, PathBytes.isUnder("/etc/passwd".getBytes(), etc));
        assertEquals(true, PathBytes.isUnder(etc, etc));
        assertEquals(false, PathBytes.isUnder("/etcetera".getBytes(), etc));
        assertEquals(true, PathBytes.isUnder("/x".getBytes(), PathBytes.of(Path.of("/"))));
    }
}

package dev.vigil.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PathBytesTest {

    @TempDir
    Path dir;

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
    void aPathIsItsBytesWhateverIsAtItAndWhereverItIsNamedFrom() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub 100%"));
        Path utf8 = Files.writeString(dir.resolve("caf\u00e9"), "x");
        byte[] base = dir.toString().getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(concat(base, "/sub 100%"), PathBytes.of(sub), "a directory, no slash after it");
        assertArrayEquals(concat(base, "/gone"), PathBytes.of(dir.resolve("gone")), "nothing there");
        assertArrayEquals(concat(base, "/caf\u00e9"), PathBytes.of(utf8), "a UTF-8 name");
        assertArrayEquals(concat(Path.of("").toAbsolutePath().toString().getBytes(StandardCharsets.US_ASCII), "/rel"),
                PathBytes.of(Path.of("rel")), "relative: from the working directory");
        assertArrayEquals("/".getBytes(StandardCharsets.US_ASCII), PathBytes.of(Path.of("/")));
    }

    private static byte[] concat(byte[] start, String rest) {
        byte[] tail = rest.getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(start, start.length + tail.length);
        System.arraycopy(tail, 0, all, start.length, tail.length);
        return all;
    }

    @Test
    void isUnderComparesWholeSegments() {
        byte[] etc = "/etc".getBytes();
        assertEquals(true, PathBytes.isUnder("/etc/passwd".getBytes(), etc));
        assertEquals(true, PathBytes.isUnder(etc, etc));
        assertEquals(false, PathBytes.isUnder("/etcetera".getBytes(), etc));
        assertEquals(true, PathBytes.isUnder("/x".getBytes(), PathBytes.of(Path.of("/"))));
    }

    @Test
    void aNonUtf8NameFromAKernelEventNamesTheFileOnDisk() throws Exception {
        byte[] event = {0, 0, 'b', 'a', 'd', (byte) 0xFF, (byte) 0xFE, '%', '.', 't', 'x', 't', 0};
        Path file = PathBytes.child(dir, event, 2, event.length - 3);
        Files.writeString(file, "x");

        Path listed;
        try (Stream<Path> entries = Files.list(dir)) {
            listed = entries.findFirst().orElseThrow();
        }
        byte[] expected = PathBytes.child(PathBytes.of(dir), Arrays.copyOfRange(event, 2, event.length - 1));
        assertArrayEquals(expected, PathBytes.of(listed));
        assertArrayEquals(expected, PathBytes.of(PathBytes.toPath(expected)));
        assertEquals("bad%FF%FE%25.txt", PathBytes.escape(PathBytes.name(listed)));
    }

    @Test
    void aCStringIsTheRawBytesAndANul() {
        byte[] raw = {'/', 't', 'm', 'p', '/', (byte) 0xFF};
        byte[] c = PathBytes.cString(PathBytes.toPath(raw));
        assertEquals(raw.length + 1, c.length);
        assertArrayEquals(raw, Arrays.copyOf(c, raw.length));
        assertEquals(0, c[raw.length]);
    }
}

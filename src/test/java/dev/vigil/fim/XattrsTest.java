package dev.vigil.fim;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A file's extended attributes are its owner's to write: what is read of them is bounded, and a change past the bound
 * still shows. On tmpfs, which holds many user attributes (since Linux 6.6; ext4 holds one block's worth).
 */
class XattrsTest {

    private Path dir;

    @BeforeEach
    void tmpfs() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "needs /dev/shm (tmpfs) for many user attributes");
        dir = Files.createTempDirectory(shm, "xattrs");
    }

    @AfterEach
    void remove() throws IOException {
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A file with {@code count} user attributes of {@code size} bytes each, or the test skipped where they do not fit. */
    private UserDefinedFileAttributeView withAttributes(Path file, int count, int size) throws IOException {
        Files.createFile(file);
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        byte[] value = new byte[size];
        Arrays.fill(value, (byte) 'x');
        try {
            for (int i = 0; i < count; i++) {
                view.write(String.format("a%03d", i), ByteBuffer.wrap(value));
            }
        } catch (IOException e) {
            assumeTrue(false, "this file system holds no " + count + " user attributes of " + size + " bytes: " + e);
        }
        return view;
    }

    private static SortedMap<String, String> read(Path file) {
        return Xattrs.read(file.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isDigest(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.ISO_8859_1).startsWith(Xattrs.DIGEST);
    }

    @Test
    void valuesPastTheBudgetAreKeptAsTheirDigestAndAChangeToOneStillShows() throws IOException {
        Path file = dir.resolve("f");
        UserDefinedFileAttributeView view = withAttributes(file, 40, 4096);
        SortedMap<String, String> read = read(file);

        assertEquals(40, read.size());
        assertEquals(Xattrs.KEPT_BYTES / 4096, read.values().stream().filter(v -> !isDigest(v)).count(),
                "64 KiB of values kept as they are, the rest as their digest");
        String digested = read.entrySet().stream().filter(e -> isDigest(e.getValue())).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        view.write(digested.substring("user.".length()), ByteBuffer.wrap("changed".repeat(600).getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(read.get(digested), read(file).get(digested));
    }

    @Test
    void attributesPastTheBoundOfNamesAreOneEntryWhoseDigestShowsAChange() throws IOException {
        Path file = dir.resolve("f");
        UserDefinedFileAttributeView view = withAttributes(file, Xattrs.KEPT_NAMES + 44, 8);
        SortedMap<String, String> read = read(file);

        assertEquals(Xattrs.KEPT_NAMES + 1, read.size());
        String more = Xattrs.more(44);
        assertTrue(isDigest(read.get(more)), read.get(more));
        String unnamed = view.list().stream().filter(name -> !read.containsKey("user." + name)).findFirst().orElseThrow();
        view.write(unnamed, ByteBuffer.wrap("other".getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(read.get(more), read(file).get(more));
    }
}

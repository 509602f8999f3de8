package dev.vigil.fim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Listing digests: made from a stream in path order as from each directory's entries, and telling listings apart. */
class ListingDigestTest {

    private static FileRecord file(String path, long size) {
        return new FileRecord(path.getBytes(StandardCharsets.UTF_8), EntryType.FILE, size, 0100644, 0, 0, size, 1, 1,
                1000, 2000, null, "h" + size, null, null);
    }

    private static FileRecord dir(String path) {
        return new FileRecord(path.getBytes(StandardCharsets.UTF_8), EntryType.DIRECTORY, 0, 040755, 0, 0, 7, 1, 2,
                1000, 2000, null, null, null, null);
    }

    private static Map<String, byte[]> built(List<FileRecord> stream) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        ListingDigest.Builder builder = new ListingDigest.Builder((key, digest) ->
                out.put(new String(key, StandardCharsets.UTF_8), digest));
        stream.forEach(r -> builder.add(r, QuickKey.of(r)));
        builder.finish();
        return out;
    }

    private static byte[] of(String key, FileRecord... entries) {
        return ListingDigest.of(key.getBytes(StandardCharsets.UTF_8), List.of(entries), false);
    }

    @Test
    void aStreamInPathOrderGivesEachDirectoryTheDigestOfItsOwnEntries() {
        // path order: "a-b" and "a.c" sort between "a" and "a/", so a's entries come in two stretches
        FileRecord a = dir("/r/a");
        FileRecord ab = dir("/r/a-b");
        FileRecord abFile = file("/r/a-b/1", 1);
        FileRecord ac = file("/r/a.c", 2);
        FileRecord ax = dir("/r/a/x");
        FileRecord axFile = file("/r/a/x/2", 3);
        FileRecord ay = file("/r/a/y", 4);
        FileRecord b = file("/r/b", 5);
        List<FileRecord> stream = new ArrayList<>(List.of(dir("/r"), a, ab, abFile, ac, ax, axFile, ay, b));
        stream.sort((p, q) -> Arrays.compareUnsigned(p.path(), q.path()));

        Map<String, byte[]> built = built(stream);
        assertArrayEquals(of("/r/", a, ab, ac, b), built.get("/r/"));
        assertArrayEquals(of("/r/a/", ax, ay), built.get("/r/a/"));
        assertArrayEquals(of("/r/a-b/", abFile), built.get("/r/a-b/"));
        assertArrayEquals(of("/r/a/x/", axFile), built.get("/r/a/x/"));
        assertEquals(List.of("/r/a-b/", "/r/a/x/", "/r/a/", "/r/", "/"), List.copyOf(built.keySet()),
                "each handed out once its entries are past; the one above the stream's start holds only the start");
    }

    @Test
    void aDirectoryWithAnEntryWithoutAQuickKeyHasNoDigest() {
        FileRecord unhashed = new FileRecord("/r/f".getBytes(StandardCharsets.UTF_8), EntryType.FILE, 1, 0100644, 0, 0,
                1, 1, 1, 1, 1, null, null, null, null);
        assertNull(of("/r/", unhashed), "a file without its hash");
        assertNull(of("/r/", file("/r/g", 1).withHash("h", "cannot read")), "an entry with an error");
        assertEquals(32, ListingDigest.of("/r/".getBytes(StandardCharsets.UTF_8), List.of(unhashed), true).length,
                "a quick check's walk keys entries by their stat values");
    }

    @Test
    void listingsThatDifferInAnyEntryHaveDifferentDigests() {
        List<byte[]> digests = List.of(
                of("/r/", file("/r/ab", 1)),
                of("/r/", file("/r/ab", 2)),
                of("/r/", file("/r/a", 1), file("/r/b", 1)),
                of("/r/", file("/r/a", 1)),
                of("/r/"),
                of("/r/", dir("/r/ab")));
        for (int i = 0; i < digests.size(); i++) {
            for (int j = i + 1; j < digests.size(); j++) {
                assertFalse(Arrays.equals(digests.get(i), digests.get(j)),
                        HexFormat.of().formatHex(digests.get(i)) + " at " + i + " and " + j);
            }
        }
        assertArrayEquals(ListingDigest.key("/r".getBytes(StandardCharsets.UTF_8)), ListingDigest.parentKey("/r/ab".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals("/".getBytes(StandardCharsets.UTF_8), ListingDigest.key("/".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals("/".getBytes(StandardCharsets.UTF_8), ListingDigest.parentKey("/etc".getBytes(StandardCharsets.UTF_8)));
    }
}

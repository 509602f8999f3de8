package dev.vigil.fim;

import dev.vigil.os.PathBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ordered walk hands out exactly what the parallel scan finds, in raw-byte path order. */
class OrderedWalkTest {

    @TempDir
    Path dir;

    private final Map<String, String> problems = new ConcurrentHashMap<>();

    private final Scanner.Sink problemSink = new Scanner.Sink() {
        @Override
        public void entry(FileRecord record) {
        }

        @Override
        public void problem(byte[] path, String message) {
            problems.put(PathBytes.escape(path), message);
        }
    };

    private static List<String> paths(List<FileRecord> records) {
        return records.stream().map(FileRecord::displayPath).toList();
    }

    private List<FileRecord> walk(Path root, ScanOptions options) {
        List<FileRecord> out = new ArrayList<>();
        try (OrderedWalk walk = new OrderedWalk(new Scanner(options), root, problemSink, new ScanStats())) {
            while (walk.advance()) {
                out.add(walk.entry());
            }
        }
        return out;
    }

    private List<FileRecord> scanSorted(Path root, ScanOptions options) {
        List<FileRecord> out = java.util.Collections.synchronizedList(new ArrayList<>());
        new Scanner(options).scan(List.of(root), new Scanner.Sink() {
            @Override
            public void entry(FileRecord record) {
                out.add(record);
            }

            @Override
            public void problem(byte[] path, String message) {
            }
        }, new ScanStats());
        List<FileRecord> sorted = new ArrayList<>(out);
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.path(), b.path()));
        return sorted;
    }

    @Test
    void namesThatSortAroundTheSlashComeInPathOrder() throws Exception {
        // '-' and '.' sort before '/', '0' and 0xff after it: a depth-first walk would get these wrong.
        for (String d : List.of("a", "a-b", "a.c", "a0", "a/x", "a/x-y", "b")) {
            Files.createDirectories(dir.resolve(d));
        }
        for (String f : List.of("a/x/1", "a/x-y/2", "a-b/3", "a.c/4", "a0/5", "a/x/1-2", "ab", "b/6")) {
            Files.writeString(dir.resolve(f), f);
        }
        byte[] odd = PathBytes.child(PathBytes.of(dir.resolve("a")), new byte[]{(byte) 0xFF, 'z'});
        Files.createDirectory(PathBytes.toPath(odd));
        Files.writeString(PathBytes.toPath(PathBytes.child(odd, "7".getBytes())), "odd");

        List<FileRecord> walked = walk(dir, ScanOptions.defaults());
        assertEquals(paths(scanSorted(dir, ScanOptions.defaults())), paths(walked));
        assertEquals(PathBytes.escape(PathBytes.of(dir)), walked.get(0).displayPath(), "the root comes first");
        assertNotNull(walked.stream().filter(r -> r.displayPath().endsWith("/a/x/1")).findFirst().orElseThrow().hash(),
                "a hashing walk hashes");
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    void aWideAndDeepTreeWalkedOnSeveralThreadsKeepsItsOrder() throws Exception {
        for (int i = 0; i < 60; i++) {
            Path d = dir.resolve("d" + i + (i % 3 == 0 ? "-x" : ""));
            for (int depth = 0; depth < 4; depth++) {
                d = d.resolve(depth % 2 == 0 ? "s" : "s.t");
                Files.createDirectories(d);
                Files.writeString(d.resolve("f" + depth), "x");
                Files.writeString(d.resolve("s-" + depth), "y");
            }
        }
        ScanOptions options = ScanOptions.defaults().withThreads(4).withHashContent(false);
        List<FileRecord> walked = walk(dir, options);
        assertEquals(1 + 60 + 60 * 4 * 3, walked.size());
        assertEquals(paths(scanSorted(dir, options)), paths(walked));
    }

    @Test
    void whatTheReaderHasReadIsLetGoBeforeTheWalkEnds() throws Exception {
        for (String d : List.of("a", "b")) {
            Files.createDirectories(dir.resolve(d));
            for (int i = 0; i < 50; i++) {
                Files.writeString(dir.resolve(d + "/f" + i), "x");
            }
        }
        try (OrderedWalk walk = new OrderedWalk(new Scanner(ScanOptions.defaults()), dir, problemSink, new ScanStats())) {
            java.lang.ref.WeakReference<FileRecord> firstOfA = null;
            while (walk.advance()) {
                FileRecord r = walk.entry();
                if (firstOfA == null && r.displayPath().endsWith("/a/f0")) {
                    firstOfA = new java.lang.ref.WeakReference<>(r);
                }
                if (r.displayPath().endsWith("/b/f9")) {
                    break;
                }
            }
            for (int i = 0; i < 10 && firstOfA.get() != null; i++) {
                System.gc();
            }
            assertTrue(firstOfA.get() == null, "a record read long ago is still held by the walk");
        }
    }

    @Test
    void excludedEntriesAndIgnoreFilesAreLeftOutAsTheScanLeavesThemOut() throws Exception {
        Files.createDirectories(dir.resolve("keep/cache"));
        Files.createDirectories(dir.resolve("skip/deep"));
        Files.writeString(dir.resolve("keep/cache/c"), "c");
        Files.writeString(dir.resolve("keep/a.log"), "log");
        Files.writeString(dir.resolve("keep/a.txt"), "txt");
        Files.writeString(dir.resolve("skip/deep/x"), "x");
        Files.writeString(dir.resolve("keep/" + Excludes.IGNORE_FILE), "cache/\n");
        ScanOptions options = ScanOptions.defaults().withExcludes(new Excludes(List.of("**/*.log", dir + "/skip")));

        List<String> walked = paths(walk(dir, options));
        String root = PathBytes.escape(PathBytes.of(dir));
        assertEquals(List.of(root, root + "/keep", root + "/keep/" + Excludes.IGNORE_FILE, root + "/keep/a.txt"), walked);
    }

    @Test
    void aFileRootIsTheWholeWalkAndAMissingRootIsEmpty() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertEquals(List.of(PathBytes.escape(PathBytes.of(f))), paths(walk(f, ScanOptions.defaults())));
        assertEquals(List.of(), walk(dir.resolve("gone"), ScanOptions.defaults()));
        assertTrue(problems.containsKey(PathBytes.escape(PathBytes.of(dir.resolve("gone")))),
                "a missing root is said: " + problems);
    }
}

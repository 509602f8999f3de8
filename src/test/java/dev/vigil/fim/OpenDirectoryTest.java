package dev.vigil.fim;

import dev.vigil.os.PathBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A directory listed through its descriptor with getdents64 lists what the JDK lists, with each entry's type, and a
 * directory replaced after it was stat'ed is refused, never followed.
 */
class OpenDirectoryTest {

    @TempDir
    Path dir;

    private final Map<String, String> problems = new ConcurrentHashMap<>();

    private final Scanner.Sink sink = new Scanner.Sink() {
        @Override
        public void entry(FileRecord record) {
        }

        @Override
        public void problem(byte[] path, String message) {
            problems.put(PathBytes.escape(path), message);
        }
    };

    private static FileRecord stat(Path p) {
        return new Scanner(ScanOptions.defaults()).record(PathBytes.of(p), NoProblemsSink.INSTANCE, new ScanStats());
    }

    /** Escaped name to type, as the JDK sees the directory (never following a link). */
    private static Map<String, EntryType> jdkListing(Path d) throws Exception {
        Map<String, EntryType> out = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(d)) {
            for (Path p : entries) {
                EntryType type = Files.isSymbolicLink(p) ? EntryType.SYMLINK
                        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? EntryType.DIRECTORY
                        : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? EntryType.FILE : EntryType.FIFO;
                out.put(PathBytes.escape(PathBytes.name(p)), type);
            }
        }
        return out;
    }

    @Test
    void listingGivesTheJdksEntriesWithTheirTypesAndExactNames() throws Exception {
        byte[] odd = "bad\u00ff\nname\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        Files.writeString(PathBytes.toPath(PathBytes.child(PathBytes.of(dir), odd)), "x");
        Files.writeString(dir.resolve("caf\u00e9 \u2603"), "y");
        Files.writeString(dir.resolve(".hidden"), "z");
        Files.writeString(dir.resolve("..."), "dots");
        Files.createDirectory(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("sub"));
        Tools.sh("mkfifo", dir.resolve("fifo").toString());
        for (int i = 0; i < 2000; i++) { // more than one getdents64 buffer
            Files.writeString(dir.resolve("many-" + i), "");
        }
        Map<String, EntryType> listed = new TreeMap<>();
        try (OpenDirectory d = OpenDirectory.open(stat(dir))) {
            for (OpenDirectory.Entry e : d.list()) {
                EntryType type = switch (e.type()) {
                    case OpenDirectory.DT_REG -> EntryType.FILE;
                    case OpenDirectory.DT_DIR -> EntryType.DIRECTORY;
                    case 10 -> EntryType.SYMLINK;
                    case 1 -> EntryType.FIFO;
                    default -> throw new AssertionError("type " + e.type() + " of " + PathBytes.escape(e.rawName()));
                };
                assertEquals(type, EntryType.fromMode(d.stat(e, PathBytes.child(d.path(), e.rawName())).mode()),
                        "the listing's type is the entry's");
                listed.put(PathBytes.escape(e.rawName()), type);
            }
        }
        assertEquals(jdkListing(dir), listed);
        assertTrue(listed.containsKey(PathBytes.escape(odd)), listed.keySet().toString());
        assertEquals(2007, listed.size(), "no . or .., nothing twice");
    }

    @Test
    void withoutGetdentsTheJdkListsTheSameNamesAndEntriesAreLookedUpByPath() throws Exception {
        byte[] odd = "bad\u00ff\nname\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        Files.writeString(PathBytes.toPath(PathBytes.child(PathBytes.of(dir), odd)), "x");
        Files.createDirectory(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("sub"));
        Map<String, EntryType> listed = new TreeMap<>();
        try (OpenDirectory d = OpenDirectory.byPath(PathBytes.of(dir))) {
            for (OpenDirectory.Entry e : d.list()) {
                assertEquals(OpenDirectory.DT_UNKNOWN, e.type(), "the JDK gives no type");
                byte[] path = PathBytes.child(d.path(), e.rawName());
                EntryType type = EntryType.fromMode(d.stat(e, path).mode());
                if (type == EntryType.SYMLINK) {
                    assertEquals("sub", new String(d.readLink(e, path), StandardCharsets.UTF_8));
                }
                listed.put(PathBytes.escape(e.rawName()), type);
            }
        }
        assertEquals(jdkListing(dir), listed);
        assertTrue(listed.containsKey(PathBytes.escape(odd)), listed.keySet().toString());
    }

    @Test
    void walkRecordsTheSameEntriesAsStatingEachPath() throws Exception {
        Files.writeString(dir.resolve("file"), "content");
        Files.createDirectories(dir.resolve("sub/deeper"));
        Files.writeString(dir.resolve("sub/deeper/x"), "x");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("file"));
        Tools.sh("mkfifo", dir.resolve("fifo").toString());
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve("sock")));
            Scanner scanner = new Scanner(ScanOptions.defaults());
            List<FileRecord> walked = new ArrayList<>();
            for (Scanner.Listed l : scanner.children(stat(dir), 0, NoProblemsSink.INSTANCE, new ScanStats())) {
                walked.add(l.record());
            }
            assertEquals(5, walked.size(), "file, sub, link, fifo, sock");
            for (FileRecord w : walked) {
                FileRecord byPath = scanner.record(w.path(), NoProblemsSink.INSTANCE, new ScanStats());
                if (byPath.type().hasContent()) {
                    byPath = scanner.hash(byPath, NoProblemsSink.INSTANCE, new ScanStats());
                }
                assertEquals(RecordJson.entry(byPath).toString(), RecordJson.entry(w).toString());
            }
        }
    }

    @Test
    void directoryReplacedBySymlinkAfterItWasStatedIsNotFollowed() throws Exception {
        Path victim = Files.createDirectory(dir.resolve("victim"));
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("secret"), "s");
        FileRecord stated = stat(victim);
        Files.delete(victim);
        Files.createSymbolicLink(victim, elsewhere);
        List<Scanner.Listed> listed = new Scanner(ScanOptions.defaults()).children(stated, 0, sink, new ScanStats());
        assertEquals(List.of(), listed, "nothing reached through the link");
        assertEquals("cannot list directory: Not a directory", problems.get(PathBytes.escape(PathBytes.of(victim))));
    }

    @Test
    void directoryReachedThroughAParentReplacedBySymlinkIsRefused() throws Exception {
        Path parent = Files.createDirectories(dir.resolve("parent/child"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere/child"));
        Files.writeString(elsewhere.resolve("secret"), "s");
        FileRecord child = stat(parent);
        Tools.sh("rm", "-r", dir.resolve("parent").toString());
        Files.createSymbolicLink(dir.resolve("parent"), dir.resolve("elsewhere"));
        List<Scanner.Listed> listed = new Scanner(ScanOptions.defaults()).children(child, 0, sink, new ScanStats());
        assertEquals(List.of(), listed, "the other directory is not listed");
        assertEquals("cannot list directory: replaced before it could be listed", problems.get(PathBytes.escape(child.path())));
    }

    @Test
    void directoryThatVanishedIsReported() throws Exception {
        Path gone = Files.createDirectory(dir.resolve("gone"));
        FileRecord stated = stat(gone);
        Files.delete(gone);
        new Scanner(ScanOptions.defaults()).children(stated, 0, sink, new ScanStats());
        assertNotNull(problems.get(PathBytes.escape(stated.path())));
        assertEquals("vanished before it could be listed", problems.get(PathBytes.escape(stated.path())));
    }
}

package dev.vigil.fim;

import dev.vigil.os.PathBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A scan of a hostile tree finishes, records every entry as what it is, and says what it could not read. */
class HostileTreeTest {

    @TempDir
    Path dir;

    private final Map<String, FileRecord> entries = new ConcurrentHashMap<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    private final Scanner.Sink sink = new Scanner.Sink() {
        @Override
        public void entry(FileRecord record) {
            entries.put(record.displayPath(), record);
        }

        @Override
        public void problem(byte[] path, String message) {
            problems.put(PathBytes.escape(path), message);
        }
    };

    private void scan(Path root) {
        new Scanner(ScanOptions.defaults()).scan(List.of(root), sink, new ScanStats());
    }

    private FileRecord entry(Path p) {
        return entries.get(PathBytes.escape(PathBytes.of(p)));
    }

    @Test
    void fifoIsRecordedAndNeverOpened() throws Exception {
        Path fifo = dir.resolve("fifo");
        Tools.sh("mkfifo", fifo.toString());
        scan(dir);
        assertEquals(EntryType.FIFO, entry(fifo).type());
        assertNull(entry(fifo).hash(), "a FIFO has no content to hash");
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    void socketIsRecordedAsSocket() throws Exception {
        Path socket = dir.resolve("sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            scan(dir);
        }
        assertEquals(EntryType.SOCKET, entry(socket).type());
    }

    @Test
    void symlinkLoopsAreRecordedAsLinksAndNotFollowed() throws Exception {
        Files.createSymbolicLink(dir.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(dir.resolve("b"), Path.of("a"));
        Files.createDirectory(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("sub/up"), Path.of(".."));
        scan(dir);
        assertEquals(EntryType.SYMLINK, entry(dir.resolve("a")).type());
        assertArrayEquals("b".getBytes(), entry(dir.resolve("a")).target());
        assertEquals(EntryType.SYMLINK, entry(dir.resolve("sub/up")).type());
        assertEquals(5, entries.size(), "root, a, b, sub, sub/up and nothing reached through a link: " + entries.keySet());
    }

    @Test
    void vanishedEntryIsReportedAndSkipped() {
        Path gone = dir.resolve("gone");
        Scanner scanner = new Scanner(ScanOptions.defaults());
        assertNull(scanner.record(PathBytes.of(gone), sink, new ScanStats()));
        assertEquals("vanished before it could be read", problems.get(PathBytes.escape(PathBytes.of(gone))));
    }

    @Test
    void fileThatGrowsWhileHashedIsRecordedAsSuch() throws Exception {
        Path file = dir.resolve("growing.log");
        Files.writeString(file, "first line\n");
        Scanner scanner = new Scanner(ScanOptions.defaults().withHashContent(false));
        ScanStats stats = new ScanStats();
        FileRecord before = scanner.record(PathBytes.of(file), sink, stats);
        Files.writeString(file, "second line\n", StandardOpenOption.APPEND);
        FileRecord hashed = scanner.hash(before, sink, stats);
        assertEquals("grew while being hashed", hashed.error());
        assertNotNull(hashed.hash());
        assertEquals(1, stats.errors.sum());
    }

    @Test
    void namesThatAreNotUtf8OrHoldNewlinesKeepTheirExactBytes() throws Exception {
        byte[] name = "bad\u00ff\nname\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        byte[] path = PathBytes.child(PathBytes.of(dir), name);
        Files.writeString(PathBytes.toPath(path), "x");
        Path utf8 = dir.resolve("caf\u00e9 \u2603");
        Files.writeString(utf8, "y");
        scan(dir);
        FileRecord odd = entries.get(PathBytes.escape(path));
        assertNotNull(odd, "entry with a non-UTF-8 name was recorded: " + entries.keySet());
        assertArrayEquals(path, odd.path());
        assertTrue(odd.displayPath().endsWith("/bad%FF%0Aname%E9"), odd.displayPath());
        assertNotNull(odd.hash());
        assertTrue(entries.containsKey(dir + "/caf\u00e9 \u2603"), "valid UTF-8 stays readable: " + entries.keySet());
    }

    @Test
    void unreadableFileAndDirectoryAreReportedAndTheScanGoesOn() throws Exception {
        // Root reads everything, so the scan runs in a child JVM whose capabilities to bypass permissions are dropped.
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.writeString(tree.resolve("secret"), "s");
        Files.createDirectory(tree.resolve("closed"));
        Files.writeString(tree.resolve("closed/inside"), "i");
        Files.writeString(tree.resolve("open"), "o");
        Tools.sh("chmod", "000", tree.resolve("secret").toString(), tree.resolve("closed").toString());
        List<String> command = new java.util.ArrayList<>();
        if (Tools.root()) {
            command.addAll(List.of("setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.vigil.cli.VigilCommand", "scan", tree.toString()));
        Tools.Result r = Tools.run(dir, command);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains(tree.resolve("secret") + ": cannot read: permission denied"), r.err());
        assertTrue(r.err().contains(tree.resolve("closed") + ": cannot list directory: permission denied"), r.err());
        assertTrue(r.out().contains("\"path\":\"" + tree.resolve("secret") + "\"") && r.out().contains("\"error\":\"cannot read: permission denied\""), r.out());
        assertTrue(r.out().contains("\"path\":\"" + tree.resolve("open") + "\",\"checksum\""), "the scan went on: " + r.out());
    }

    @Test
    void oneFileSystemStopsAtAMountPoint() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Tools.root(), "mounting a tmpfs needs root (CI runs as root)");
        Path mount = Files.createDirectory(dir.resolve("mnt"));
        Tools.sh("mount", "-t", "tmpfs", "vigil-test", mount.toString());
        try {
            Files.writeString(mount.resolve("other-fs"), "z");
            new Scanner(ScanOptions.defaults().withOneFilesystem(true)).scan(List.of(dir), sink, new ScanStats());
            assertNotNull(entry(mount), "the mount point itself is recorded");
            assertNull(entry(mount.resolve("other-fs")), "nothing below it is");
        } finally {
            Tools.sh("umount", mount.toString());
        }
    }

}

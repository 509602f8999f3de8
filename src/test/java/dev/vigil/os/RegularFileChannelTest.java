package dev.vigil.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regular files opened by path without following a symlink or blocking on a FIFO: real files, a real FIFO. */
class RegularFileChannelTest {

    @TempDir
    Path dir;

    @Test
    void aRegularFileIsOpenedWithItsDeviceAndInode() throws Exception {
        Path log = Files.writeString(dir.resolve("syslog"), "line\n");

        RegularFileChannel.Opened opened = RegularFileChannel.open(log);
        try (var channel = opened.channel()) {
            ByteBuffer buf = ByteBuffer.allocate(16);
            channel.read(buf, 0);
            assertEquals("line\n", new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
        }
        assertEquals(((Number) Files.getAttribute(log, "unix:ino")).longValue(), opened.inode());
        assertEquals(((Number) Files.getAttribute(log, "unix:dev")).longValue(), opened.device());
    }

    /** A log replaced by a link to a secret (its directory writable by a service's account) is not read through it. */
    @Test
    void aSymlinkIsNotFollowed() throws Exception {
        Path secret = Files.writeString(dir.resolve("shadow"), "root:$6$hash:19000::::::\n");
        Path log = Files.createSymbolicLink(dir.resolve("app.log"), secret);

        FileSystemException refused = assertThrows(FileSystemException.class, () -> RegularFileChannel.open(log));
        assertTrue(String.valueOf(refused.getReason()).contains("symbolic links"), refused.toString());
    }

    /** A FIFO swapped in for a log is refused at once: opened for reading without a writer, it would block for good. */
    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("fifo.log");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());

        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                RegularFileChannel.open(fifo).channel().close();
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        Throwable refused = outcome.get(60, TimeUnit.SECONDS);
        assertTrue(refused instanceof FileSystemException && refused.getMessage().contains("not a regular file"),
                String.valueOf(refused));
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> RegularFileChannel.open(dir.resolve("gone")));
    }

    @Test
    void aDirectoryIsNotARegularFile() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertThrows(FileSystemException.class, () -> RegularFileChannel.open(sub));
    }
}

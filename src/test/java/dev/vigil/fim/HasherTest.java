package dev.vigil.fim;

import dev.vigil.os.Libc;
import dev.vigil.os.PathBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The hasher (libcrypto where present) agrees with coreutils and with the JDK's own digests. */
class HasherTest {

    @TempDir
    Path dir;

    private static final List<Integer> SIZES = List.of(0, 1, 4095, Hasher.BUFFER, Hasher.BUFFER + 1, 3 * Hasher.BUFFER + 17);

    private Path file(int size) throws IOException {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        return Files.write(dir.resolve("f" + size), content);
    }

    @Test
    void libcryptoIsUsedWhereInstalled() {
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
                || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/libcrypto.so.3")), "libcrypto.so.3 (libssl3) is not installed");
        assertTrue(OpenSsl.available(), "libcrypto is installed but could not be bound");
    }

    @Test
    void aStatedSizeThatNoLongerHoldsStillHashesTheWholeFile() throws Exception {
        for (int size : SIZES) {
            Path f = file(size);
            String whole = Tools.sh("sha256sum", f.toString()).split(" ")[0];
            for (long stated : List.of(0L, size / 2L, (long) size, size + 1L, size * 2L + 5)) {
                for (boolean openSsl : List.of(true, false)) {
                    assertEquals(whole, new Hasher(HashAlgorithm.SHA256, openSsl).hash(PathBytes.of(f), Hasher.BUFFER, stated, n -> { }),
                            size + " bytes stat'ed as " + stated + (openSsl ? "" : ", JDK only"));
                    assertEquals(whole, new Hasher(HashAlgorithm.SHA256, openSsl).hash(PathBytes.of(f), 4096, stated, n -> { }),
                            size + " bytes stat'ed as " + stated + " in reads of 4096" + (openSsl ? "" : ", JDK only"));
                }
            }
        }
    }

    @Test
    void everyAlgorithmAgreesWithCoreutilsAndTheJdkAtEverySize() throws Exception {
        for (int size : SIZES) {
            Path f = file(size);
            String sha256 = new Hasher(HashAlgorithm.SHA256).hash(PathBytes.of(f));
            assertEquals(Tools.sh("sha256sum", f.toString()).split(" ")[0], sha256, "sha256 of " + size + " bytes");
            assertEquals(Tools.sh("sha512sum", f.toString()).split(" ")[0], new Hasher(HashAlgorithm.SHA512).hash(PathBytes.of(f)),
                    "sha512 of " + size + " bytes");
            byte[] content = Files.readAllBytes(f);
            for (HashAlgorithm a : HashAlgorithm.values()) {
                String jdk = HexFormat.of().formatHex(MessageDigest.getInstance(a.newDigest().getAlgorithm()).digest(content));
                assertEquals(jdk, new Hasher(a).hash(PathBytes.of(f)), a + " of " + size + " bytes");
                assertEquals(jdk, new Hasher(a, false).hash(PathBytes.of(f)), a + " of " + size + " bytes, JDK only");
            }
        }
    }

    @Test
    void chunkedReadsGiveTheSameHashAndReportEveryByte() throws Exception {
        Path f = file(3 * Hasher.BUFFER + 17);
        for (boolean openSsl : new boolean[]{true, false}) {
            Hasher hasher = new Hasher(HashAlgorithm.SHA256, openSsl);
            AtomicLong read = new AtomicLong();
            assertEquals(hasher.hash(PathBytes.of(f)), hasher.hash(PathBytes.of(f), 65536, n -> {
                assertTrue(n <= 65536, "a read of " + n);
                read.addAndGet(n);
            }));
            assertEquals(Files.size(f), read.get());
        }
    }

    @Test
    void aFifoOrSymlinkInPlaceOfTheFileIsRefusedNotReadOrFollowed() throws Exception {
        Path fifo = dir.resolve("fifo");
        Tools.sh("mkfifo", fifo.toString());
        Hasher hasher = new Hasher(HashAlgorithm.SHA256);
        assumeTrue(Libc.KNOWN_FLAGS, "libc's open flags are not known on this architecture: the JDK opens, and may block");
        for (Hasher h : List.of(hasher, new Hasher(HashAlgorithm.SHA256, false))) {
            FileSystemException e = assertThrows(FileSystemException.class, () -> h.hash(PathBytes.of(fifo)));
            assertTrue(e.getMessage().contains("no longer a regular file"), e.getMessage());
        }
        Path link = Files.createSymbolicLink(dir.resolve("link"), file(10));
        for (Hasher h : List.of(hasher, new Hasher(HashAlgorithm.SHA256, false))) {
            assertThrows(IOException.class, () -> h.hash(PathBytes.of(link)), "a symlink is not followed");
            assertThrows(java.nio.file.NoSuchFileException.class, () -> h.hash(PathBytes.of(dir.resolve("gone"))));
        }
    }
}

package dev.vigil.fim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Hashes file content with one reused digest and one reused 1 MiB buffer; one instance per thread.
 * Large reads into a heap buffer keep the digest on the CPU's SHA instructions and out of the syscall path.
 */
public final class Hasher {

    private static final int BUFFER = 1 << 20;

    private final MessageDigest digest;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);

    public Hasher(HashAlgorithm algorithm) {
        this.digest = algorithm.newDigest();
    }

    /** Hex digest of the file's content; the file is opened without following a symlink. */
    public String hash(Path file) throws IOException {
        digest.reset();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (true) {
                buffer.clear();
                int n = ch.read(buffer);
                if (n < 0) {
                    break;
                }
                digest.update(buffer.array(), 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}

package dev.vigil.fim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.IntConsumer;

/**
 * Hashes file content with one reused digest and one reused 1 MiB buffer; one instance per thread.
 * Large reads into a heap buffer keep the digest on the CPU's SHA instructions and out of the syscall path.
 */
public final class Hasher {

    /** The largest read, in bytes. */
    public static final int BUFFER = 1 << 20;

    private final MessageDigest digest;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);

    public Hasher(HashAlgorithm algorithm) {
        this.digest = algorithm.newDigest();
    }

    /** Hex digest of the file's content; the file is opened without following a symlink. */
    public String hash(Path file) throws IOException {
        return hash(file, BUFFER, n -> { });
    }

    /**
     * As {@link #hash(Path)}, reading at most {@code chunk} bytes (and never more than 1 MiB) at a time and
     * calling {@code afterRead} with the length of each read, so a caller can pace the reading.
     */
    public String hash(Path file, int chunk, IntConsumer afterRead) throws IOException {
        digest.reset();
        int limit = Math.max(1, Math.min(chunk, BUFFER));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (true) {
                buffer.clear().limit(limit);
                int n = ch.read(buffer);
                if (n < 0) {
                    break;
                }
                digest.update(buffer.array(), 0, n);
                afterRead.accept(n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}

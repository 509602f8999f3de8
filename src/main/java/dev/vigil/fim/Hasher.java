package dev.vigil.fim;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.vigil.os.Libc;
import dev.vigil.os.PathBytes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.IntConsumer;

/**
 * Hashes file content with one reused digest and one reused 1 MiB buffer; one instance per thread.
 *
 * <p>Where OpenSSL's libcrypto is present (see {@link OpenSsl} for why), the file is opened and read through
 * libc into a native buffer that libcrypto digests in place. It is opened as an {@link OpenedFile} and must
 * still be a regular file once open: a FIFO or device swapped in after the scan stat'ed the entry is refused
 * rather than read forever. Elsewhere the JDK reads into a heap buffer and its
 * {@link MessageDigest} digests it.
 */
public final class Hasher {

    /** The largest read, in bytes. */
    public static final int BUFFER = 1 << 20;

    /** The size of a file not stat'ed: read until a read returns nothing. */
    private static final long UNKNOWN = -1;

    /** Frees the libcrypto contexts of hashers no longer used. */
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    private final OpenSslDigest nativeDigest;
    private final MessageDigest digest;
    private final ByteBuffer buffer;
    /** The JDK digest's read buffer outside the heap, where files are read through libc. */
    private final Memory jdkNativeBuffer;

    public Hasher(HashAlgorithm algorithm) {
        this(algorithm, OpenSsl.available());
    }

    /** With {@code openSsl} false, the JDK's digests whatever is installed (the tests compare both). */
    Hasher(HashAlgorithm algorithm, boolean openSsl) {
        this.nativeDigest = openSsl ? OpenSslDigest.of(algorithm) : null;
        this.digest = nativeDigest == null ? algorithm.newDigest() : null;
        this.buffer = nativeDigest == null ? ByteBuffer.allocate(BUFFER) : null;
        this.jdkNativeBuffer = nativeDigest == null && Libc.KNOWN_FLAGS ? new Memory(BUFFER) : null;
    }

    /** Hex digest of the content of the file at the absolute raw path {@code file}. */
    public String hash(byte[] file) throws IOException {
        return hash(file, BUFFER, n -> { });
    }

    /**
     * As {@link #hash(byte[])}, reading at most {@code chunk} bytes (and never more than 1 MiB) at a time and
     * calling {@code afterRead} with the length of each read, so a caller can pace the reading.
     */
    public String hash(byte[] file, int chunk, IntConsumer afterRead) throws IOException {
        return hash(file, chunk, Long.MAX_VALUE, UNKNOWN, afterRead);
    }

    /**
     * As {@link #hash(byte[], int, IntConsumer)}, for a file stat'ed at {@code size} bytes: a read that comes short
     * once that many are in is taken as the end, which saves the read that would only have found it (half the
     * system calls of hashing a small file). The caller stats the file again after the hash, so one that grew is
     * still told.
     */
    public String hash(byte[] file, int chunk, long size, IntConsumer afterRead) throws IOException {
        return hash(file, chunk, Long.MAX_VALUE, size, afterRead);
    }

    /**
     * Hex digest of the first {@code length} bytes of the file (all of it if shorter): what its digest was when it
     * was that long, if that part has not changed since (the growing policy's test of a log file).
     */
    public String hashPrefix(byte[] file, long length) throws IOException {
        return hash(file, BUFFER, length, UNKNOWN, n -> { });
    }

    private String hash(byte[] file, int chunk, long length, long size, IntConsumer afterRead) throws IOException {
        int limit = Math.max(1, Math.min(chunk, BUFFER));
        if (nativeDigest == null && !Libc.KNOWN_FLAGS) {
            return HexFormat.of().formatHex(jdkChannelHash(file, limit, length, afterRead));
        }
        try (OpenedFile f = OpenedFile.openRegular(file)) {
            return hash(f, limit, length, size, afterRead);
        }
    }

    /**
     * Hex digest of the content of {@code file}, a regular file its caller opened (and checked is one) and stat'ed
     * at {@code size} bytes, read whole.
     */
    String hash(OpenedFile file, long size) throws IOException {
        return hash(file, BUFFER, Long.MAX_VALUE, size, n -> { });
    }

    private String hash(OpenedFile f, int limit, long length, long size, IntConsumer afterRead) throws IOException {
        byte[] sum = nativeDigest != null ? nativeDigest.hash(f, limit, length, size, afterRead)
                : jdkHash(f, limit, length, size, afterRead);
        return HexFormat.of().formatHex(sum);
    }

    /**
     * Whether a read of {@code n} bytes of the {@code wanted} asked for, bringing the total to {@code done}, ended the
     * file: it came short with the file's stat'ed size in. (A read that returns nothing always ends it.)
     */
    private static boolean atEnd(long n, int wanted, long done, long size) {
        return n < wanted && done == size;
    }

    /** How much the next read may take: {@code limit}, or less near the end of the {@code length} wanted. */
    private static int nextRead(int limit, long length, long done) {
        return (int) Math.min(limit, length - done);
    }

    /** The JDK's digest over the same safe open as libcrypto's: read(2) into a native buffer, copied to the heap. */
    private byte[] jdkHash(OpenedFile f, int limit, long length, long size, IntConsumer afterRead) throws IOException {
        digest.reset();
        long done = 0;
        while (done < length) {
            int wanted = nextRead(limit, length, done);
            long n = f.read(jdkNativeBuffer, wanted);
            if (n <= 0) {
                break;
            }
            jdkNativeBuffer.read(0, buffer.array(), 0, (int) n);
            digest.update(buffer.array(), 0, (int) n);
            afterRead.accept((int) n);
            done += n;
            if (atEnd(n, wanted, done, size)) {
                break;
            }
        }
        return digest.digest();
    }

    /**
     * The JDK's digest read through the JDK, only where {@link Libc} does not know the open flags: it cannot open
     * without blocking (a FIFO swapped in there would hang this thread).
     */
    private byte[] jdkChannelHash(byte[] file, int limit, long length, IntConsumer afterRead) throws IOException {
        digest.reset();
        long done = 0;
        try (FileChannel ch = FileChannel.open(PathBytes.toPath(file), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (done < length) {
                buffer.clear().limit(nextRead(limit, length, done));
                int n = ch.read(buffer);
                if (n < 0) {
                    break;
                }
                digest.update(buffer.array(), 0, n);
                afterRead.accept(n);
                done += n;
            }
        }
        return digest.digest();
    }

    /**
     * A libcrypto digest context, a native read buffer and the digest's native output, all freed when the hasher is
     * collected. Native memory because JNA copies a Java array argument into native memory and back on every call.
     */
    private static final class OpenSslDigest {
        private final Pointer md;
        private final Pointer context;
        private final Memory buffer = new Memory(BUFFER);
        private final int digestLength;
        private final Memory out;

        private OpenSslDigest(Pointer md, int length) {
            this.md = md;
            this.context = OpenSsl.EVP_MD_CTX_new();
            this.digestLength = length;
            this.out = new Memory(length);
            if (context != null) {
                CLEANER.register(this, freeing(context));
            }
        }

        /** Null if libcrypto lacks the algorithm or cannot make a context: the JDK's digest is used then. */
        static OpenSslDigest of(HashAlgorithm algorithm) {
            Pointer md = OpenSsl.digest(algorithm.openSslName());
            if (md == null) {
                return null;
            }
            OpenSslDigest digest = new OpenSslDigest(md, algorithm.length());
            return digest.context == null ? null : digest;
        }

        private static Runnable freeing(Pointer context) {
            return () -> OpenSsl.EVP_MD_CTX_free(context);
        }

        /**
         * A content read whole by its first read (most files of a large tree are small) is digested by one call,
         * not three (init, update, final); a longer one is digested as it is read.
         */
        byte[] hash(OpenedFile f, int limit, long length, long size, IntConsumer afterRead) throws IOException {
            byte[] file = f.path();
            int wanted = nextRead(limit, length, 0);
            long n = length > 0 ? f.read(buffer, wanted) : 0;
            if (n > 0) {
                afterRead.accept((int) n);
            }
            if (n == 0 || n == length || atEnd(n, wanted, n, size)) {
                check(file, OpenSsl.EVP_Digest(buffer, n, out, null, md, null));
                return out.getByteArray(0, digestLength);
            }
            check(file, OpenSsl.EVP_DigestInit_ex(context, md, null));
            check(file, OpenSsl.EVP_DigestUpdate(context, buffer, n));
            long done = n;
            while (done < length) {
                wanted = nextRead(limit, length, done);
                n = f.read(buffer, wanted);
                if (n <= 0) {
                    break;
                }
                check(file, OpenSsl.EVP_DigestUpdate(context, buffer, n));
                afterRead.accept((int) n);
                done += n;
                if (atEnd(n, wanted, done, size)) {
                    break;
                }
            }
            check(file, OpenSsl.EVP_DigestFinal_ex(context, out, null));
            return out.getByteArray(0, digestLength);
        }

        private static void check(byte[] file, int ok) throws FileSystemException {
            if (ok != 1) {
                throw new FileSystemException(PathBytes.escape(file), null, "libcrypto failed to digest it");
            }
        }
    }
}

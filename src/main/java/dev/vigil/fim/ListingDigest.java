package dev.vigil.fim;

import com.sun.jna.Pointer;
import dev.vigil.os.PathBytes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The digest of a directory's listing: SHA-256 over the name and {@link QuickKey} of each of its entries, in path
 * order. The baseline keeps one for each directory whose entries all have a quick key, under the directory's
 * {@link #key}; a quick check computes the same from its walk, and where the two are equal every entry of the
 * directory is as in the baseline (none added, none gone, each with its row's quick key), so the check passes over
 * the directory's rows instead of reading them one by one: on a million small files, reading and merging the
 * baseline's rows was about a third of a quick check's CPU.
 *
 * <p>A digest, not the values: a quick key is exact, but the listing of a large directory is too long to keep.
 * SHA-256 is collision-resistant, so no listing an intruder can arrange (names, sizes, times they set) has the digest
 * of another; each entry's name and key are written with their lengths, so no two listings have the same bytes. The
 * digests are kept in the baseline's seal like its rows, so one changed behind Vigil's back is found by the full
 * check as a changed row is. Hand-written: it is a few lines over a digest, and the digest comes from libcrypto
 * where there is one (a quick check runs with the quick compiler only, where the JDK's SHA-256 is slow).
 */
public final class ListingDigest {

    /** Bytes of a directory's listing kept before they are digested: the names and keys of most directories. */
    private static final int START = 4096;

    private ListingDigest() {
    }

    /**
     * The key a directory's listing digest is kept under: the directory's path with a '/' after it ("/" for the root
     * directory), the common start of its entries' paths; in path order the keys of a walk's directories come in the
     * order a walk in path order reaches their entries.
     */
    public static byte[] key(byte[] directory) {
        if (directory.length == 1 && directory[0] == '/') {
            return directory;
        }
        byte[] key = Arrays.copyOf(directory, directory.length + 1);
        key[directory.length] = '/';
        return key;
    }

    /** The key of the listing {@code path} is an entry of: its path up to and including its last '/'. */
    public static byte[] parentKey(byte[] path) {
        return Arrays.copyOf(path, PathBytes.lastSlash(path) + 1);
    }

    /**
     * The digest of the listing of the directory kept under {@code key}, whose entries, in path order, are
     * {@code entries}; null if one has no quick key (an error, or a file without its hash in a baseline's walk).
     * A quick check's walk has no hashes: {@code withoutHashes} then keys each entry by its stat values alone.
     */
    public static byte[] of(byte[] key, List<FileRecord> entries, boolean withoutHashes) {
        Listing listing = new Listing(key);
        for (FileRecord r : entries) {
            listing.add(r, withoutHashes);
        }
        return listing.digest();
    }

    /**
     * The listing digests of a stream of records in path order (a baseline's walk, as it is staged), each handed to
     * {@code out} once the stream has passed its directory's last entry. A directory's entries are all in one stretch
     * of the stream (the paths below it), but other directories' come between them, so the listings being made are
     * kept as a stack, one for each directory the stream is below. A listing is of the entries the stream had: that
     * of a directory above where the stream began holds only part of its entries, and is its caller's to leave out.
     */
    public static final class Builder {

        /** Receives a directory's listing digest. */
        public interface Sink {
            void listing(byte[] key, byte[] digest);
        }

        private final Sink out;
        private final Deque<Listing> open = new ArrayDeque<>();

        public Builder(Sink out) {
            this.out = out;
        }

        /**
         * Takes in the next record of the stream, with its {@link QuickKey#of quick key} as it is stored with it (null
         * if it has none), made once for both.
         */
        public void add(FileRecord r, byte[] quickKey) {
            byte[] parent = parentKey(r.path());
            while (!open.isEmpty() && !startsWith(parent, open.peek().key)) {
                emit(open.pop());
            }
            if (open.isEmpty() || !Arrays.equals(open.peek().key, parent)) {
                open.push(new Listing(parent));
            }
            Listing listing = open.peek();
            if (quickKey == null) {
                listing.keyed = false;
            } else {
                listing.add(r.path(), quickKey, quickKey.length);
            }
        }

        /** Hands out the listings still open: the stream has ended. */
        public void finish() {
            while (!open.isEmpty()) {
                emit(open.pop());
            }
        }

        private void emit(Listing listing) {
            byte[] digest = listing.digest();
            if (digest != null) {
                out.listing(listing.key, digest);
            }
        }

        private static boolean startsWith(byte[] path, byte[] prefix) {
            return path.length >= prefix.length && Arrays.equals(path, 0, prefix.length, prefix, 0, prefix.length);
        }
    }

    /** One directory's listing as it is written: each entry's name and quick key, with their lengths. */
    private static final class Listing {
        private final byte[] key;
        private byte[] bytes = new byte[START];
        private int length;
        private boolean keyed = true;
        /**
         * Each walked entry's quick key is packed here first (not into an array of its own: one a file was garbage);
         * made on first use.
         */
        private byte[] quick;

        Listing(byte[] key) {
            this.key = key;
        }

        /** Adds the entry {@code r}, keyed as {@link #of} says. */
        void add(FileRecord r, boolean withoutHash) {
            if (!QuickKey.hasKey(r, !withoutHash)) {
                keyed = false;
                return;
            }
            if (quick == null || quick.length < QuickKey.most(r)) {
                quick = new byte[Math.max(128, QuickKey.most(r))];
            }
            add(r.path(), quick, QuickKey.pack(r, quick));
        }

        /** Adds the entry at {@code path} whose quick key is the first {@code keyLength} bytes of {@code quickKey}. */
        void add(byte[] path, byte[] quickKey, int keyLength) {
            int name = path.length - key.length;
            ensure(10 + name + keyLength);
            length = varint(bytes, length, name);
            System.arraycopy(path, key.length, bytes, length, name);
            length += name;
            length = varint(bytes, length, keyLength);
            System.arraycopy(quickKey, 0, bytes, length, keyLength);
            length += keyLength;
        }

        byte[] digest() {
            return keyed ? sha256(bytes, length) : null;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }

    private static int varint(byte[] out, int at, int value) {
        while ((value & ~0x7F) != 0) {
            out[at++] = (byte) (value | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    private static byte[] sha256(byte[] data, int length) {
        Pointer sha = OpenSsl.available() ? OpenSsl.digest("SHA256") : null;
        if (sha != null) {
            long[] words = new long[4];
            if (OpenSsl.EVP_Digest(data, length, words, null, sha, null) != 1) {
                throw new IllegalStateException("libcrypto failed to digest a listing");
            }
            ByteBuffer out = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
            out.asLongBuffer().put(words);
            return out.array();
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, 0, length);
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}

package dev.vigil.fim;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The seal of a set of baseline rows: a multiset hash, so equal sets of rows have equal seals whatever order
 * they were written or read in, and one row replaced is one subtraction and one addition (accepting a path
 * does not re-read the baseline). Its {@link #value()} is what a host reports: 64 hex digits.
 *
 * <p>The state is LtHash (Bellare–Micciancio's additive hash in the lattice form Facebook published for
 * database integrity): each row's canonical bytes ({@link #canonical}) are hashed with SHA-256, the digest is
 * expanded to 2048 bytes (AES-256 in counter mode, see {@link Expander}) and added into 1024 lanes of 16 bits, each
 * modulo 2^16; {@link #value()} is the SHA-256 of the lanes and the row count. A sum of 256-bit digests modulo
 * 2^256 would have been smaller, but Wagner's generalised birthday attack finds, in about 2^32 work, rows whose
 * digests add up to any chosen sum: an intruder could edit a row and add junk rows (under an excluded
 * directory, where no check complains) that bring the sum back. 1024 lanes of 16 bits keep that out of reach.
 * No library here implements a multiset hash, hence this class.
 *
 * <p>Not thread-safe: each user keeps its own.
 */
public final class Seal {

    private static final int LANES = 1024;
    /** The lanes are kept four to a long (lane 4i in the low 16 bits of word i), added four at a time. */
    private static final int WORDS = LANES / 4;
    /** The top bit of each 16-bit lane of a word: where a carry must not cross into the next lane. */
    private static final long HIGH = 0x8000_8000_8000_8000L;
    private static final byte[] TAG = "vigil-seal-1".getBytes(StandardCharsets.US_ASCII);
    /** The tag of a listing digest's canonical bytes, which no row's begin with. */
    private static final byte[] LISTING_TAG = "vigil-listing-1".getBytes(StandardCharsets.US_ASCII);
    /** The expansion's AES key: fixed and public, so the key schedule is made once, not once per row. */
    private static final byte[] KEY_BYTES = sha256().digest(TAG);
    private static final SecretKeySpec KEY = new SecretKeySpec(KEY_BYTES, "AES");

    private final long[] words;
    private long rows;
    /** Made on first use: reading a stored seal needs neither. */
    private Expander expander;

    private Seal(long[] words, long rows) {
        this.words = words;
        this.rows = rows;
    }

    /** The seal of no rows. */
    public static Seal empty() {
        return new Seal(new long[WORDS], 0);
    }

    /** A seal kept as {@link #lanes()} (2048 bytes) and a row count. */
    public static Seal of(byte[] stored, long rows) {
        if (stored.length != LANES * 2) {
            throw new IllegalArgumentException("a seal is " + LANES * 2 + " bytes, not " + stored.length);
        }
        long[] words = new long[WORDS];
        ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(words);
        return new Seal(words, rows);
    }

    /** The seal of exactly these rows. */
    public static Seal of(Iterable<FileRecord> rows) {
        Seal seal = empty();
        rows.forEach(seal::add);
        return seal;
    }

    /** Adds one row. */
    public Seal add(FileRecord row) {
        return addAll(List.of(row));
    }

    /** Adds these rows, as {@link #add(FileRecord)} each does, their expansion done for several rows at a time. */
    public Seal addAll(List<FileRecord> rows) {
        expander().addTo(words, rows);
        this.rows += rows.size();
        return this;
    }

    /** Takes one row out (it must have been added). */
    public Seal remove(FileRecord row) {
        subtract(words, expander().element(row));
        rows--;
        return this;
    }

    /**
     * Adds a directory's listing digest ({@link ListingDigest}) kept with the rows: an element of its own (its
     * canonical bytes begin with another tag than a row's), so a digest changed behind Vigil's back changes the seal
     * as a row does. It is not counted as a row.
     */
    public Seal addListing(byte[] key, byte[] digest) {
        add(words, expander().expand(listingDigest(key, digest)));
        return this;
    }

    /** Takes out a listing digest (it must have been added). */
    public Seal removeListing(byte[] key, byte[] digest) {
        subtract(words, expander().expand(listingDigest(key, digest)));
        return this;
    }

    /** SHA-256 of a listing digest's canonical bytes: its tag, its key with its length, the digest with its length. */
    private static byte[] listingDigest(byte[] key, byte[] digest) {
        ByteBuffer canonical = ByteBuffer.allocate(LISTING_TAG.length + 8 + key.length + digest.length);
        canonical.put(LISTING_TAG);
        bytes(canonical, key);
        bytes(canonical, digest);
        return sha256().digest(canonical.array());
    }

    /** Adds the rows another seal stands for. */
    public Seal add(Seal other) {
        add(words, other.words);
        rows += other.rows;
        return this;
    }

    /** Takes out the rows another seal stands for. */
    public Seal subtract(Seal other) {
        subtract(words, other.words);
        rows -= other.rows;
        return this;
    }

    /**
     * Adds {@code b} into {@code a} lane by lane, each modulo 2^16, four lanes a word: the low 15 bits of each lane
     * are added with the top bits masked off (so no carry leaves a lane), and the top bits are then put back by
     * exclusive or. A quarter of the loop of adding each lane alone, which a baseline of a million rows does a
     * million times (the launcher's quick compiler does not vectorise it).
     */
    private static void add(long[] a, long[] b) {
        for (int i = 0; i < WORDS; i++) {
            long x = a[i];
            long y = b[i];
            a[i] = ((x & ~HIGH) + (y & ~HIGH)) ^ ((x ^ y) & HIGH);
        }
    }

    /** Takes {@code b} out of {@code a} lane by lane, each modulo 2^16, as {@link #add(long[], long[])} adds. */
    private static void subtract(long[] a, long[] b) {
        for (int i = 0; i < WORDS; i++) {
            long x = a[i];
            long y = b[i];
            a[i] = ((x | HIGH) - (y & ~HIGH)) ^ ((x ^ ~y) & HIGH);
        }
    }

    public Seal copy() {
        return new Seal(words.clone(), rows);
    }

    public long rows() {
        return rows;
    }

    /** The state as stored: the lanes, little-endian. */
    public byte[] lanes() {
        ByteBuffer out = ByteBuffer.allocate(LANES * 2).order(ByteOrder.LITTLE_ENDIAN);
        out.asLongBuffer().put(words);
        return out.array();
    }

    /** What a host reports: SHA-256 over the lanes and the row count, in hex. */
    public String value() {
        MessageDigest sha = sha256();
        sha.update(lanes());
        sha.update(ByteBuffer.allocate(8).putLong(rows).array());
        return HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Seal s && s.rows == rows && Arrays.equals(s.words, words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words) * 31 + Long.hashCode(rows);
    }

    @Override
    public String toString() {
        return value() + " (" + rows + " rows)";
    }

    private Expander expander() {
        if (expander == null) {
            expander = new Expander(OpenSsl.available());
        }
        return expander;
    }

    /**
     * A row's canonical bytes, written into {@code buffer} from its start (a larger one is returned when it is too
     * small): every column of the baseline, each with its length, so no two different rows have the same bytes.
     */
    static ByteBuffer canonical(FileRecord r, ByteBuffer buffer) {
        byte[] hash = r.hash() == null ? null : r.hash().getBytes(StandardCharsets.UTF_8);
        byte[] error = r.error() == null ? null : r.error().getBytes(StandardCharsets.UTF_8);
        byte[] type = r.type().name().getBytes(StandardCharsets.US_ASCII);
        List<byte[]> xattrs = r.xattrs().isEmpty() ? List.of() : new ArrayList<>(r.xattrs().size() * 2);
        int xattrBytes = 0;
        for (Map.Entry<String, String> x : r.xattrs().entrySet()) {
            byte[] name = x.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = x.getValue().getBytes(StandardCharsets.UTF_8);
            xattrs.add(name);
            xattrs.add(value);
            xattrBytes += length(name) + length(value);
        }
        int size = TAG.length + 8 * 6 + 4 * 4 + length(r.path()) + length(type) + length(r.target())
                + length(hash) + length(error) + xattrBytes;
        ByteBuffer out = buffer.capacity() >= size ? buffer.clear() : ByteBuffer.allocate(Math.max(size, buffer.capacity() * 2));
        out.put(TAG);
        bytes(out, r.path());
        bytes(out, type);
        out.putLong(r.size()).putInt(r.mode()).putInt(r.uid()).putInt(r.gid()).putLong(r.inode()).putLong(r.device())
                .putLong(r.links()).putLong(r.mtimeNs()).putLong(r.ctimeNs());
        bytes(out, r.target());
        bytes(out, hash);
        out.putInt(r.xattrs().size());
        for (byte[] x : xattrs) {
            bytes(out, x);
        }
        bytes(out, error);
        return out.flip();
    }

    private static int length(byte[] b) {
        return 4 + (b == null ? 0 : b.length);
    }

    private static void bytes(ByteBuffer out, byte[] b) {
        if (b == null) {
            out.putInt(-1);
        } else {
            out.putInt(b.length).put(b);
        }
    }

    /** A SHA-256 digest; the JVM always has one. */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /**
     * Turns a row into its 1024 lanes (2048 bytes, little-endian), reusing its digest, cipher and buffers. A row's
     * element: its canonical bytes hashed with SHA-256, the first half of the digest the counter of AES-256-CTR under
     * the fixed {@link #KEY}, the second half repeated as the plaintext, so every bit of the digest shapes all 2048
     * bytes; two rows have the same element only if their digests are equal. A key made from each digest would do
     * the same at several times the cost (AES's key schedule per row).
     */
    private static final class Expander {
        /** Frees libcrypto's context when its expander is gone (a seal lives as long as one operation). */
        private static final Cleaner CONTEXTS = Cleaner.create();

        private final MessageDigest sha;
        /**
         * libcrypto's AES-256 context in ECB mode, keyed once; null where the JDK's AES and SHA-256 are used. The
         * counter mode is made here: the 128 counter blocks of each of up to {@link #BATCH} rows are written in Java
         * and encrypted in one call, then each keystream is added to its row's plaintext, so setting a new counter
         * for each row costs no call of its own.
         */
        private final Pointer openSsl;
        private final Pointer openSslSha;
        /**
         * libcrypto's side works on longs in the machine's order, little-endian as the lanes are kept (on a
         * big-endian machine the JDK's AES is used): the digest read as four words, the counter blocks written as
         * words and the keystreams read as words, with no byte buffer between (each access to one
         * cost a call chain under the quick compiler).
         */
        private final long[] digestWords = new long[4];
        private final long[] counters = new long[WORDS];
        /**
         * The counter blocks of up to {@link #BATCH} rows in native memory, encrypted there in place into their
         * keystreams by one libcrypto call, and the keystreams copied back into {@link #keystreams} by one: a Java
         * array passed to libcrypto was copied by JNA into memory allocated for the call and back after it, twice a
         * row; and the writer of a baseline adds its rows a batch at a time.
         */
        private static final int BATCH = 32;
        private final Memory blocks;
        private final long[] keystreams;
        /** The plaintext of each row of the batch: its digest's third and fourth words, repeated over the lanes. */
        private final long[] plaintexts = new long[BATCH * 2];
        private final byte[] digest = new byte[32];
        private final Cipher aes;
        private ByteBuffer buffer = ByteBuffer.allocate(512);
        private final byte[] plain = new byte[LANES * 2];
        private final byte[] stream = new byte[LANES * 2];
        private final int[] written = new int[1];
        private final long[] element = new long[WORDS];

        /** With {@code useOpenSsl} false, the JDK's AES whatever is installed (a test compares both). */
        Expander(boolean useOpenSsl) {
            if (useOpenSsl && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                openSsl = OpenSsl.EVP_CIPHER_CTX_new();
                if (openSsl == null || OpenSsl.EVP_EncryptInit_ex(openSsl, OpenSsl.EVP_aes_256_ecb(), null, KEY_BYTES, null) != 1
                        || OpenSsl.EVP_CIPHER_CTX_set_padding(openSsl, 0) != 1) {
                    throw new IllegalStateException("libcrypto cannot set up AES-256");
                }
                Pointer context = openSsl;
                CONTEXTS.register(this, () -> OpenSsl.EVP_CIPHER_CTX_free(context));
                openSslSha = OpenSsl.digest("SHA256");
                if (openSslSha == null) {
                    throw new IllegalStateException("libcrypto has no SHA-256");
                }
                blocks = new Memory(BATCH * LANES * 2L);
                keystreams = new long[BATCH * WORDS];
                sha = null;
                aes = null;
                return;
            }
            openSsl = null;
            openSslSha = null;
            blocks = null;
            keystreams = null;
            sha = sha256();
            try {
                aes = Cipher.getInstance("AES/CTR/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JVM has no AES/CTR", e);
            }
        }

        long[] element(FileRecord row) {
            if (openSsl != null) {
                digest(row);
                return counterMode();
            }
            buffer = canonical(row, buffer);
            sha.update(buffer);
            try {
                sha.digest(digest, 0, digest.length);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot digest a row with SHA-256", e);
            }
            return jdkCounterMode();
        }

        /** libcrypto's SHA-256 of the row's canonical bytes into {@link #digestWords}. */
        private void digest(FileRecord row) {
            buffer = canonical(row, buffer);
            if (OpenSsl.EVP_Digest(buffer.array(), buffer.limit(), digestWords, null, openSslSha, null) != 1) {
                throw new IllegalStateException("libcrypto failed to digest a row");
            }
        }

        /** The element of a row whose canonical bytes have this SHA-256 digest. */
        long[] expand(byte[] digest) {
            if (openSsl != null) {
                ByteBuffer.wrap(digest).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(digestWords);
                return counterMode();
            }
            System.arraycopy(digest, 0, this.digest, 0, this.digest.length);
            return jdkCounterMode();
        }

        private long[] jdkCounterMode() {
            for (int i = 0; i < plain.length; i += 16) {
                System.arraycopy(digest, 16, plain, i, 16);
            }
            try {
                aes.init(Cipher.ENCRYPT_MODE, KEY, new IvParameterSpec(digest, 0, 16));
                aes.update(plain, 0, plain.length, stream, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot expand a row's digest with AES/CTR", e);
            }
            ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(element);
            return element;
        }

        /**
         * AES-256-CTR of the digest's second half repeated: the keystream ({@link #counters}, {@link #encrypt}), each
         * word of it then added (exclusive or) to the plaintext's.
         */
        private long[] counterMode() {
            counters(0);
            encrypt(1);
            long even = plaintexts[0];
            long odd = plaintexts[1];
            for (int i = 0; i < WORDS; i += 2) {
                element[i] = keystreams[i] ^ even;
                element[i + 1] = keystreams[i + 1] ^ odd;
            }
            return element;
        }

        /**
         * Adds the elements of {@code rows} into {@code words}: on libcrypto's side the keystreams of {@link #BATCH}
         * rows at a time are made by one call, and each keystream's exclusive or with its plaintext is taken in the
         * loop that adds the lanes, one pass over the element instead of two.
         */
        void addTo(long[] words, List<FileRecord> rows) {
            if (openSsl == null) {
                rows.forEach(row -> add(words, element(row)));
                return;
            }
            for (int from = 0; from < rows.size(); from += BATCH) {
                int n = Math.min(BATCH, rows.size() - from);
                for (int k = 0; k < n; k++) {
                    digest(rows.get(from + k));
                    counters(k);
                }
                encrypt(n);
                for (int k = 0; k < n; k++) {
                    long even = plaintexts[2 * k];
                    long odd = plaintexts[2 * k + 1];
                    int at = k * WORDS;
                    for (int i = 0; i < WORDS; i += 2) {
                        long x = words[i];
                        long y = keystreams[at + i] ^ even;
                        words[i] = ((x & ~HIGH) + (y & ~HIGH)) ^ ((x ^ y) & HIGH);
                        x = words[i + 1];
                        y = keystreams[at + i + 1] ^ odd;
                        words[i + 1] = ((x & ~HIGH) + (y & ~HIGH)) ^ ((x ^ y) & HIGH);
                    }
                }
            }
        }

        /**
         * The counter blocks of AES-256-CTR from the digest's first half as the initial counter (a 128-bit big-endian
         * number, incremented by one for each block, as CTR mode does), written as the batch's row {@code k} into
         * {@link #blocks}, and the digest's second half kept as its plaintext. The words are little-endian, so the big-endian low half is kept byte-reversed: adding
         * {@code block} to the number adds {@code block << 56} to the reversed word while the number's low byte does
         * not wrap, which happens at most once in the 128 blocks (the quick compiler calls {@code reverseBytes}, a
         * call a block was a fifth of the seal's Java time).
         */
        private void counters(int k) {
            plaintexts[2 * k] = digestWords[2];
            plaintexts[2 * k + 1] = digestWords[3];
            long low = Long.reverseBytes(digestWords[1]);
            long high = digestWords[0];
            int perRow = WORDS / 2;
            int wrap = (int) Math.min(perRow, 256 - (low & 0xFF));
            long reversed = digestWords[1];
            for (int block = 0; block < wrap; block++) {
                counters[2 * block] = high;
                counters[2 * block + 1] = reversed + ((long) block << 56);
            }
            if (wrap < perRow) {
                long l = low + wrap;
                if (l == 0) {
                    high = Long.reverseBytes(Long.reverseBytes(high) + 1); // the low half wrapped: carry
                }
                reversed = Long.reverseBytes(l);
                for (int block = wrap; block < perRow; block++) {
                    counters[2 * block] = high;
                    counters[2 * block + 1] = reversed + ((long) (block - wrap) << 56);
                }
            }
            blocks.write((long) k * LANES * 2, counters, 0, WORDS);
        }

        /** The counter blocks of the batch's first {@code n} rows encrypted in one ECB call, into {@link #keystreams}. */
        private void encrypt(int n) {
            int length = n * LANES * 2;
            if (OpenSsl.EVP_EncryptUpdate(openSsl, blocks, written, blocks, length) != 1 || written[0] != length) {
                throw new IllegalStateException("libcrypto failed to expand a row's digest with AES-256");
            }
            blocks.read(0, keystreams, 0, n * WORDS);
        }
    }

    /** A row's element through libcrypto or through the JDK, for the test that they agree. */
    static long[] element(FileRecord row, boolean useOpenSsl) {
        return new Expander(useOpenSsl).element(row).clone();
    }

    /** The element of a SHA-256 digest through libcrypto or through the JDK, for the test that they agree. */
    static long[] expansion(byte[] digest, boolean useOpenSsl) {
        return new Expander(useOpenSsl).expand(digest).clone();
    }
}

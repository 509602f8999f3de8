package dev.vigil.fim;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.vigil.os.Libc;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Message digests from OpenSSL's libcrypto (JNA direct mapping), for {@link Hasher} and {@link Seal}'s digest of
 * each row, and AES-256-CTR, for the seal's expansion of that digest (the JDK's AES, like its SHA-256, reaches the
 * CPU's instructions only through the optimising compiler, which the launcher leaves off for short commands: the
 * JDK's SHA-256 of each row was most of the baseline writer's CPU on a million small files).
 *
 * <p>Bound by hand because no Java library wraps libcrypto's digests. They are worth it for two reasons: the
 * file's bytes go from {@code read(2)} into a native buffer and from there into the digest with no copy through
 * the Java heap, and the digest runs at full speed from the first byte, while the JDK's SHA-256 reaches the
 * CPU's SHA instructions only once the optimising JIT compiler has compiled it (which costs a short run over
 * a second of CPU, and never happens in a JVM limited to the quick compiler). Where libcrypto cannot be
 * loaded (or on an architecture whose {@code open} flags {@link Libc} does not know), {@link #available()} is
 * false and {@link Hasher} uses the JDK's digests.
 */
final class OpenSsl {

    private static final boolean AVAILABLE = register();

    private OpenSsl() {
    }

    /** OpenSSL 3's library (the launcher looks for the same name to decide on the JIT compilers). */
    private static boolean register() {
        if (!Libc.KNOWN_FLAGS) {
            return false;
        }
        try {
            Native.register(OpenSsl.class, NativeLibrary.getInstance("libcrypto.so.3"));
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** Whether libcrypto was found and bound. */
    static boolean available() {
        return AVAILABLE;
    }

    /**
     * The digest algorithm {@code name} (OpenSSL's name for it), fetched once for the life of the process; null if
     * libcrypto lacks it. An algorithm looked up by {@code EVP_get_digestbyname} is fetched again at the start of
     * every digest, which on a million small files was most of the time spent in libcrypto.
     */
    static Pointer digest(String name) {
        return DIGESTS.computeIfAbsent(name, n -> Optional.ofNullable(EVP_MD_fetch(null, n, null))).orElse(null);
    }

    private static final Map<String, Optional<Pointer>> DIGESTS = new ConcurrentHashMap<>();

    private static native Pointer EVP_MD_fetch(Pointer libraryContext, String algorithm, String properties);

    static native Pointer EVP_MD_CTX_new();

    static native void EVP_MD_CTX_free(Pointer ctx);

    static native int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

    static native int EVP_DigestUpdate(Pointer ctx, Pointer data, long count);

    static native int EVP_DigestFinal_ex(Pointer ctx, Pointer digest, Pointer length);

    /** One-shot digest of {@code count} bytes of {@code data} into {@code digest} (32 bytes for SHA-256). */
    static native int EVP_Digest(byte[] data, long count, long[] digest, Pointer length, Pointer type, Pointer engine);

    /** As the other {@code EVP_Digest}, from and into native memory, which JNA passes without a copy. */
    static native int EVP_Digest(Pointer data, long count, Pointer digest, Pointer length, Pointer type, Pointer engine);

    static native Pointer EVP_CIPHER_CTX_new();

    static native void EVP_CIPHER_CTX_free(Pointer ctx);

    static native Pointer EVP_aes_256_ecb();

    static native int EVP_CIPHER_CTX_set_padding(Pointer ctx, int padding);

    static native int EVP_EncryptInit_ex(Pointer ctx, Pointer cipher, Pointer engine, byte[] key, byte[] iv);

    /**
     * {@code inLength} bytes of {@code in} into {@code out}, as many bytes again for a block cipher without padding;
     * {@code out} may be {@code in} (encrypted in place).
     */
    static native int EVP_EncryptUpdate(Pointer ctx, Pointer out, int[] outLength, Pointer in, int inLength);
}

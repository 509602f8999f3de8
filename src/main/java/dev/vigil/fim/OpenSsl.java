package dev.vigil.fim;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Message digests from OpenSSL's libcrypto (JNA direct mapping), for {@link Hasher}.
 *
 * <p>Bound by hand because no Java library wraps libcrypto's digests. They are worth it for two reasons: the
 * file's bytes go from {@code read(2)} into a native buffer and from there into the digest with no copy through
 * the Java heap, and the digest runs at full speed from the first byte, while the JDK's SHA-256 reaches the
 * CPU's SHA instructions only once the optimising JIT compiler has compiled it (which costs a short run over
 * a second of CPU, and never happens in a JVM limited to the quick compiler). Where libcrypto cannot be
 * loaded, {@link #available()} is false and {@link Hasher} uses the JDK's digests.
 */
final class OpenSsl {

    private static final boolean AVAILABLE = register();

    private OpenSsl() {
    }

    private static boolean register() {
        for (String name : new String[]{"libcrypto.so.3", "crypto"}) {
            try {
                Native.register(OpenSsl.class, NativeLibrary.getInstance(name));
                return true;
            } catch (UnsatisfiedLinkError e) {
                // try the next name; without any, the JDK's digests are used
            }
        }
        return false;
    }

    /** Whether libcrypto was found and bound. */
    static boolean available() {
        return AVAILABLE;
    }

    static native Pointer EVP_get_digestbyname(String name);

    static native Pointer EVP_MD_CTX_new();

    static native void EVP_MD_CTX_free(Pointer ctx);

    static native int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

    static native int EVP_DigestUpdate(Pointer ctx, Pointer data, long count);

    static native int EVP_DigestFinal_ex(Pointer ctx, byte[] digest, Pointer length);
}

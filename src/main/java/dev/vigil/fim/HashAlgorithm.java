package dev.vigil.fim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Content hash algorithms. SHA-256 is the default: OpenSSL and the JVM run it on the CPU's SHA extensions,
 * several times faster than a pure-Java BLAKE3 (figures in bench/README.md, "Figures kept out of the code").
 */
public enum HashAlgorithm {
    SHA256("sha256", "SHA-256", "SHA256", 32),
    SHA512("sha512", "SHA-512", "SHA512", 64),
    SHA3_256("sha3-256", "SHA3-256", "SHA3-256", 32);

    private final String name;
    private final String jcaName;
    private final String openSslName;
    private final int length;

    HashAlgorithm(String name, String jcaName, String openSslName, int length) {
        this.name = name;
        this.jcaName = jcaName;
        this.openSslName = openSslName;
        this.length = length;
    }

    /** The name OpenSSL's {@code EVP_MD_fetch} knows it by. */
    String openSslName() {
        return openSslName;
    }

    /** The digest's length in bytes. */
    int length() {
        return length;
    }

    public static HashAlgorithm named(String name) {
        for (HashAlgorithm a : values()) {
            if (a.name.equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown hash algorithm '" + name + "'; known: "
                + Arrays.stream(values()).map(HashAlgorithm::toString).collect(Collectors.joining(", ")));
    }

    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JVM lacks " + jcaName, e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}

package dev.vigil.alert;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HTTP headers of a webhook delivery, and their check on the receiving side.
 *
 * <ul>
 *   <li>{@value #ID} and {@value #IDEMPOTENCY_KEY}: the report id, the same on every retry and after a
 *       restart, so a receiver de-duplicates on it.</li>
 *   <li>{@value #TIMESTAMP}: the time of this attempt in Unix seconds.</li>
 *   <li>{@value #SIGNATURE}: {@code sha256=<hex>}, HMAC-SHA256 with the shared secret over
 *       {@code timestamp + "." + body} (UTF-8), only when a secret is set. Signing the timestamp with the body
 *       lets a receiver refuse a captured request replayed later ({@link #verify} takes a tolerance).</li>
 * </ul>
 * The fleet's Kafka records are signed the same way ({@link #signature}, headers of {@link FleetRecord}), so
 * one verification serves both receivers. The JDK's {@link Mac} does the cryptography; this class only fixes
 * the format. The secret is never shown by {@link #toString()}.
 */
public final class WebhookSigner {

    public static final String ID = "X-Vigil-Id";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String TIMESTAMP = "X-Vigil-Timestamp";
    public static final String SIGNATURE = "X-Vigil-Signature";
    public static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = "sha256=";

    /**
     * The secret's MAC, initialised once and never used itself: each signature is made by a clone of it, which
     * copies its state (so threads may share this signer); {@link Mac#getInstance} and {@code init} per record were
     * a third of the collector's signature checks (bench/README.md, "Fleet"). Null without a secret.
     */
    private final Mac keyed;

    /** @param secret the shared secret; null or blank sends unsigned requests */
    public WebhookSigner(String secret) {
        this.keyed = secret == null || secret.isBlank() ? null : keyed(secret.getBytes(StandardCharsets.UTF_8));
    }

    public boolean signs() {
        return keyed != null;
    }

    /**
     * The headers for one attempt to deliver {@code body} (the report JSON, encoded in UTF-8: the bytes sent) at
     * {@code now}, in a fixed order.
     */
    public Map<String, String> headers(String reportId, byte[] body, Instant now) {
        String timestamp = Long.toString(now.getEpochSecond());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", CONTENT_TYPE);
        headers.put(ID, reportId);
        headers.put(IDEMPOTENCY_KEY, reportId);
        headers.put(TIMESTAMP, timestamp);
        if (keyed != null) {
            headers.put(SIGNATURE, signature(timestamp, body));
        }
        return headers;
    }

    /** {@code sha256=<hex>}: HMAC-SHA256 with the secret over {@code timestamp + "." + body}; needs a secret. */
    public String signature(String timestamp, String body) {
        return signature(timestamp, body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #signature(String, String)} of a body already encoded in UTF-8. */
    public String signature(String timestamp, byte[] body) {
        if (keyed == null) {
            throw new IllegalStateException("no secret to sign with");
        }
        return PREFIX + HexFormat.of().formatHex(mac(timestamp, body));
    }

    /**
     * Whether {@code signature} is the right one for {@code timestamp} and {@code body} under {@code secret},
     * and the timestamp is within {@code tolerance} of {@code now}. For receivers and tests.
     */
    public static boolean verify(String secret, String timestamp, String body, String signature, Instant now,
                                 Duration tolerance) {
        return secret != null && !secret.isBlank() && new WebhookSigner(secret).verify(timestamp, body, signature, now, tolerance);
    }

    /**
     * Whether {@code signature} is the right one for {@code timestamp} and {@code body} under this signer's secret,
     * and the timestamp is within {@code tolerance} of {@code now}; false without a secret. For a receiver that
     * checks many records of one sender (the collector keeps a signer per host).
     */
    public boolean verify(String timestamp, String body, String signature, Instant now, Duration tolerance) {
        if (keyed == null || timestamp == null || body == null || signature == null || !signature.startsWith(PREFIX)) {
            return false;
        }
        Instant signedAt;
        byte[] given;
        try {
            signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
            given = HexFormat.of().parseHex(signature.substring(PREFIX.length()));
        } catch (IllegalArgumentException | DateTimeException e) {
            // a number beyond the instants Java has (a forger's, before any MAC is checked) is a refusal, not a failure
            return false;
        }
        if (Duration.between(signedAt, now).abs().compareTo(tolerance) > 0) {
            return false;
        }
        return MessageDigest.isEqual(mac(timestamp, body.getBytes(StandardCharsets.UTF_8)), given);
    }

    @Override
    public String toString() {
        return "WebhookSigner[" + (keyed == null ? "unsigned" : "secret=****") + "]";
    }

    private static Mac keyed(byte[] secret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides " + ALGORITHM, e);
        }
    }

    /** The MAC of {@code timestamp + "." + body}, fed in parts: the body is not copied into one string with the rest. */
    private byte[] mac(String timestamp, byte[] body) {
        try {
            Mac mac = (Mac) keyed.clone();
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '.');
            return mac.doFinal(body);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's " + ALGORITHM + " is cloneable", e);
        }
    }
}

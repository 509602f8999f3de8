package dev.vigil.alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers of a record a host publishes to the fleet's Kafka topics (docs/ARCHITECTURE.md, "Fleet wire
 * format"): {@value #ID} (a report's id, the same on every retry; a heartbeat's {@code host:sentAt-millis}),
 * {@value #HOST}, {@value #TIMESTAMP} (Unix seconds of this attempt) and {@value #SIGNATURE}, signed as a webhook
 * is ({@link WebhookSigner#signature}) over the record's value.
 */
public final class FleetRecord {

    public static final String ID = "vigil-id";
    public static final String HOST = "vigil-host";
    public static final String TIMESTAMP = "vigil-timestamp";
    public static final String SIGNATURE = "vigil-signature";

    private FleetRecord() {
    }

    /** The headers of one attempt to publish {@code value} at {@code now}, in a fixed order. */
    public static Map<String, String> headers(WebhookSigner signer, String id, String host, String value, Instant now) {
        String timestamp = Long.toString(now.getEpochSecond());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID, id);
        headers.put(HOST, host);
        headers.put(TIMESTAMP, timestamp);
        headers.put(SIGNATURE, signer.signature(timestamp, value));
        return headers;
    }
}

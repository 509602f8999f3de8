package dev.vigil.alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers of a record a host publishes to the fleet's Kafka topics (docs/ARCHITECTURE.md, "Fleet wire
 * format"): {@value #ID} (a report's id, the same on every retry; a heartbeat's {@code host:sentAt-millis}),
 * {@value #HOST}, {@value #TIMESTAMP} (Unix seconds of this attempt) and {@value #SIGNATURE}, signed as a webhook
 * is ({@link WebhookSigner#signature}) over the record's value. A report whose JSON would pass
 * {@link #MAX_REPORT_BYTES} is published as parts of its findings ({@link ReportParts}).
 */
public final class FleetRecord {

    public static final String ID = "vigil-id";
    public static final String HOST = "vigil-host";
    public static final String TIMESTAMP = "vigil-timestamp";
    public static final String SIGNATURE = "vigil-signature";

    /**
     * The most bytes of report JSON in one record: under Kafka's default limits on a record (the producer's
     * {@code max.request.size} and the broker's {@code message.max.bytes}, 1 MiB), with room for the headers.
     */
    public static final int MAX_REPORT_BYTES = 768 * 1024;

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

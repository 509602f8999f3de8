package dev.vigil.alert;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The headers of a record a host publishes to the fleet's Kafka topics (docs/ARCHITECTURE.md, "Fleet wire
 * format"): {@value #ID} (a report's id, the same on every retry; a heartbeat's {@code host:sentAt-millis}),
 * {@value #HOST}, {@value #TIMESTAMP} (Unix seconds of this attempt) and {@value #SIGNATURE}, signed as a webhook
 * is ({@link WebhookSigner#signature}) over the record's value. A report whose JSON would pass
 * {@link #MAX_REPORT_BYTES} is published as {@link #parts} of its findings.
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

    /**
     * The report as records of at most {@code maxBytes} of JSON each: the report itself when it fits; else reports
     * of consecutive findings with the same source, host and time, the first with the report's id and each later
     * one with an id derived from it and the part's number, so a retry publishes the same ids and the collector's
     * de-duplication holds. A finding too large for a record of its own is {@link #fitted} to one.
     */
    public static List<Report> parts(Report report, int maxBytes) {
        if (utf8Length(report.toJson()) <= maxBytes) {
            return List.of(report);
        }
        Finding first = report.findings().get(0);
        int envelope = utf8Length(part(report, 0, List.of(first)).toJson()) - utf8Length(Json.write(first));
        List<Report> parts = new ArrayList<>();
        List<Finding> part = new ArrayList<>();
        int size = envelope;
        for (Finding whole : report.findings()) {
            Finding f = whole;
            int length = utf8Length(Json.write(f)) + 1;
            if (length - 1 + envelope > maxBytes) {
                f = fitted(whole, maxBytes - envelope);
                length = utf8Length(Json.write(f)) + 1;
            }
            if (!part.isEmpty() && size + length > maxBytes) {
                parts.add(part(report, parts.size(), part));
                part = new ArrayList<>();
                size = envelope;
            }
            part.add(f);
            size += length;
        }
        parts.add(part(report, parts.size(), part));
        return parts;
    }

    /**
     * {@code f} made to fit {@code maxBytes} of JSON: each text in its details (and in the maps among them) cut, all
     * to the same length, the longest that fits, with {@link Truncated}'s marker naming the whole length; as it is
     * when no cut of its details makes it fit. What fills a finding's details is not all the host's: a file's
     * extended attributes are its owner's to write, up to 64 KiB each and, on XFS, as many as he likes. A record over
     * Kafka's limit is refused and retried for as long as the channel retries, every later report waiting behind it
     * (a day by default: the collector would see the host's next ACCEPTED too late). The host keeps the finding
     * whole in its event history.
     */
    static Finding fitted(Finding f, int maxBytes) {
        Finding best = null;
        int low = 0;
        int high = longestText(f.details());
        while (low <= high) {
            int chars = (low + high) >>> 1;
            Finding cut = new Finding(f.source(), f.kind(), f.subject(), f.host(), f.time(), f.severity(),
                    cut(f.details(), chars));
            if (utf8Length(Json.write(cut)) <= maxBytes) {
                best = cut;
                low = chars + 1;
            } else {
                high = chars - 1;
            }
        }
        return best == null ? f : best;
    }

    private static Map<String, Object> cut(Map<?, ?> details, int chars) {
        Map<String, Object> cut = new LinkedHashMap<>();
        details.forEach((key, value) -> cut.put(String.valueOf(key), value instanceof String text ? Truncated.toChars(text, chars)
                : value instanceof Map<?, ?> inner ? cut(inner, chars) : value));
        return cut;
    }

    private static int longestText(Map<?, ?> details) {
        int longest = 0;
        for (Object value : details.values()) {
            if (value instanceof String text) {
                longest = Math.max(longest, text.length());
            } else if (value instanceof Map<?, ?> inner) {
                longest = Math.max(longest, longestText(inner));
            }
        }
        return longest;
    }

    private static Report part(Report report, int number, List<Finding> findings) {
        String id = number == 0 ? report.id()
                : UUID.nameUUIDFromBytes((report.id() + "/part/" + number).getBytes(StandardCharsets.UTF_8)).toString();
        return new Report(id, report.source(), report.host(), report.created(), List.copyOf(findings));
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
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

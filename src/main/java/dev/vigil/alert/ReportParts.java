package dev.vigil.alert;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A report as reports of at most so many bytes of JSON each, for a receiver that refuses a larger message: a Kafka
 * record (1 MiB by default), a webhook behind a proxy (nginx refuses a body over 1 MiB by default). A report's size is
 * not the host's to choose: a log line is anyone's to write, a file's extended attributes its owner's, and a receiver
 * that refused a report for its size would never get the finding that mattered in it.
 */
public final class ReportParts {

    private ReportParts() {
    }

    /**
     * The report as parts of at most {@code maxBytes} of JSON each: the report itself when it fits; else reports of
     * consecutive findings with the same source, host and time, each with an id derived from the report's and the
     * findings it holds (the first one's place and their count), so a retry sends the same ids and a receiver's
     * de-duplication holds, and a part cut otherwise (a webhook's maxBytes changed between two attempts) is not
     * taken for one delivered under the same id. A finding too large for a part of its own is {@link #fitted} to one.
     */
    public static List<Report> of(Report report, int maxBytes) {
        return of(report, report.toJson(), maxBytes);
    }

    /** {@link #of(Report, int)} of a report whose JSON is written already (the outbox's): one that fits is not written again. */
    public static List<Report> of(Report report, String json, int maxBytes) {
        if (utf8Length(json) <= maxBytes) {
            return List.of(report);
        }
        Finding any = report.findings().get(0);
        int envelope = utf8Length(part(report, 0, List.of(any)).toJson()) - utf8Length(Json.write(any));
        List<Report> parts = new ArrayList<>();
        List<Finding> part = new ArrayList<>();
        int first = 0;
        int size = envelope;
        for (int i = 0; i < report.findings().size(); i++) {
            Finding f = report.findings().get(i);
            int length = utf8Length(Json.write(f)) + 1;
            if (length - 1 + envelope > maxBytes) {
                f = fitted(f, maxBytes - envelope);
                length = utf8Length(Json.write(f)) + 1;
            }
            if (!part.isEmpty() && size + length > maxBytes) {
                parts.add(part(report, first, part));
                first = i;
                part = new ArrayList<>();
                size = envelope;
            }
            part.add(f);
            size += length;
        }
        parts.add(part(report, first, part));
        return parts;
    }

    /**
     * {@code f} made to fit {@code maxBytes} of JSON: each text in its details (and in the maps among them) cut, all
     * to the same length, the longest that fits, with {@link Truncated}'s marker naming the whole length; when no cut
     * of its details is enough (a log line longer than the part, {@code vigil.logs.maxLine} raised), its subject cut
     * with them; when even that is not (details of many short texts: a list of accepted paths), its details replaced
     * by one that says how large they were. What fills a finding is not all the host's: a file's extended attributes
     * are its owner's to write, up to 64 KiB each and, on XFS, as many as he likes. The host keeps the finding whole
     * in its event history.
     */
    static Finding fitted(Finding f, int maxBytes) {
        Finding detailsCut = longestFitting(f, maxBytes, false);
        if (detailsCut != null) {
            return detailsCut;
        }
        Finding allCut = longestFitting(f, maxBytes, true);
        if (allCut != null) {
            return allCut;
        }
        Finding withoutDetails = new Finding(f.source(), f.kind(), f.subject(), f.host(), f.time(), f.severity(),
                Map.of(LEFT_OUT, utf8Length(Json.write(f.details())) + " bytes of details, too large for the receiver"));
        Finding fits = longestFitting(withoutDetails, maxBytes, true);
        return fits == null ? withoutDetails : fits;
    }

    /** The one detail of a finding whose details no part could hold. */
    static final String LEFT_OUT = "detailsLeftOut";

    /** The finding with its details' texts (and its subject too) cut to the longest common length that fits; null if none does. */
    private static Finding longestFitting(Finding f, int maxBytes, boolean subjectToo) {
        Finding best = null;
        int low = 0;
        int high = Math.max(longestText(f.details()), subjectToo ? f.subject().length() : 0);
        while (low <= high) {
            int chars = (low + high) >>> 1;
            Finding cut = new Finding(f.source(), f.kind(), subjectToo ? Truncated.toChars(f.subject(), chars) : f.subject(),
                    f.host(), f.time(), f.severity(), cut(f.details(), chars));
            if (utf8Length(Json.write(cut)) <= maxBytes) {
                best = cut;
                low = chars + 1;
            } else {
                high = chars - 1;
            }
        }
        return best;
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

    private static Report part(Report report, int first, List<Finding> findings) {
        String id = UUID.nameUUIDFromBytes((report.id() + "/findings/" + first + "+" + findings.size())
                .getBytes(StandardCharsets.UTF_8)).toString();
        return new Report(id, report.source(), report.host(), report.created(), List.copyOf(findings));
    }

    /**
     * Bytes of {@code s} in UTF-8, counted without encoding it (a report's JSON may be megabytes); as a store's
     * OCTET_LENGTH counts text it keeps, but for a lone surrogate (3 here, 1 once a driver has made it a '?').
     */
    public static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}

package dev.vigil.alert;

import dev.vigil.config.SyslogCodes;
import dev.vigil.text.Printable;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Syslog messages, one per finding, in RFC 5424 (default) or RFC 3164. Hand-written rather than left to
 * camel-syslog because that data format writes {@code InetAddress.toString()} as the host name, has no
 * structured data of ours and no choice of severity mapping; the message layout is the whole of the job.
 *
 * <p>RFC 5424: {@code <PRI>1 TIMESTAMP HOST vigil - KIND [vigil@32473 report="…" source="…" kind="…"
 * subject="…" host="…" logfile="…" rulefile="…"] MSG}. Parameter values escape {@code " \ ]} as the RFC
 * requires. {@code 32473} is the private enterprise number IANA reserves for documentation (RFC 5612).
 * The MSG starts with a UTF-8 BOM only when it holds non-ASCII text: the RFC asks for the BOM on UTF-8,
 * but pure ASCII is valid as it is and stays free of the stray BOM bytes many log files then show.
 *
 * <p>RFC 3164: {@code <PRI>Mmm dd hh:mm:ss HOST vigil: SOURCE KIND MSG}, local time in the configured zone,
 * cut to the RFC's 1024 bytes.
 *
 * <p>A message longer than the receiver takes ({@link #withMaxBytes}) is cut with a visible marker
 * ({@link Truncated}); a receiver cannot take a longer one however often it is sent.
 *
 * <p>The host name is the finding's (Vigil's {@code vigil.host}), never looked up. Text is always UTF-8, and
 * control characters are shown as escapes so a file name or log line cannot split one message into two on
 * a line-based receiver. The message is for people; the exact values stay in Vigil's event history.
 */
public final class SyslogRenderer implements ReportRenderer<List<String>> {

    /** Which RFC to write. */
    public enum Format {
        RFC5424, RFC3164;

        /** {@code 5424} or {@code 3164}, as {@code vigil.syslog.format} gives it. */
        public static Format parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "5424", "rfc5424" -> RFC5424;
                case "3164", "rfc3164", "bsd" -> RFC3164;
                default -> throw new IllegalArgumentException("syslog format must be 5424 or 3164, not " + text);
            };
        }
    }

    public static final String SD_ID = "vigil@32473";
    public static final String APP_NAME = "vigil";

    private static final int RFC3164_MAX_BYTES = 1024;
    private static final int BOM_BYTES = 3;
    /**
     * The longest message sent in a UDP datagram: RFC 5426 has every receiver accept 2048 octets (and allows
     * more), and a datagram above the path's limit is refused with "Message too long" however often it is
     * retried.
     */
    public static final int DATAGRAM_MAX_BYTES = 2048;
    /** The longest message sent over TCP or TLS: RFC 5425 has receivers accept 8192 octets (rsyslog's default). */
    public static final int STREAM_MAX_BYTES = 8192;
    private static final DateTimeFormatter RFC5424_TIME = DateTimeFormatter.ISO_INSTANT;
    private static final DateTimeFormatter RFC3164_TIME =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

    private final Format format;
    private final int facility;
    private final Map<Severity, Integer> severities;
    private final ZoneId zone;
    private final int maxBytes;

    /**
     * @param facility   0..23, see {@link #facility(String)}
     * @param severities syslog severity (0..7) per Vigil severity; missing ones fall back to
     *                   {@link #defaultSeverities()}
     * @param zone       the time zone of RFC 3164 time stamps (RFC 5424 is always UTC)
     */
    public SyslogRenderer(Format format, int facility, Map<Severity, Integer> severities, ZoneId zone) {
        this.format = Objects.requireNonNull(format, "format");
        if (facility < 0 || facility >= SyslogCodes.FACILITIES.size()) {
            throw new IllegalArgumentException("syslog facility must be 0..23, not " + facility);
        }
        this.facility = facility;
        Map<Severity, Integer> merged = new EnumMap<>(defaultSeverities());
        severities.forEach((ours, theirs) -> {
            if (theirs < 0 || theirs >= SyslogCodes.SEVERITIES.size()) {
                throw new IllegalArgumentException("syslog severity must be 0..7, not " + theirs + " for " + ours);
            }
            merged.put(ours, theirs);
        });
        this.severities = Map.copyOf(merged);
        this.zone = Objects.requireNonNull(zone, "zone");
        this.maxBytes = STREAM_MAX_BYTES;
    }

    private SyslogRenderer(SyslogRenderer other, int maxBytes) {
        this.format = other.format;
        this.facility = other.facility;
        this.severities = other.severities;
        this.zone = other.zone;
        this.maxBytes = maxBytes;
    }

    /**
     * The same renderer with messages cut to {@code maxBytes} of UTF-8 ({@value #STREAM_MAX_BYTES} unless
     * told), the end of the message text giving way to a {@link Truncated} marker; RFC 3164 is cut to its
     * 1024 bytes anyway.
     */
    public SyslogRenderer withMaxBytes(int maxBytes) {
        if (maxBytes < RFC3164_MAX_BYTES) {
            throw new IllegalArgumentException("syslog messages must be allowed " + RFC3164_MAX_BYTES + " bytes");
        }
        return new SyslogRenderer(this, maxBytes);
    }

    /** The default severity mapping, RFC 3164 time stamps in the system's zone. */
    public SyslogRenderer(Format format, int facility) {
        this(format, facility, Map.of(), ZoneId.systemDefault());
    }

    /** INFO → info (6), NOTICE → notice (5), WARNING → warning (4), CRITICAL → crit (2). */
    public static Map<Severity, Integer> defaultSeverities() {
        return Map.of(Severity.INFO, 6, Severity.NOTICE, 5, Severity.WARNING, 4, Severity.CRITICAL, 2);
    }

    /** A facility by name ({@code daemon}, {@code auth}, {@code local0}, ...) or number. */
    public static int facility(String text) {
        return lookup(text.trim().toLowerCase(Locale.ROOT), SyslogCodes.FACILITIES, "facility");
    }

    /** A syslog severity by name ({@code crit}, {@code warning}, {@code info}, ...) or number. */
    public static int severity(String text) {
        String name = text.trim().toLowerCase(Locale.ROOT);
        return lookup(SyslogCodes.SEVERITY_ALIASES.getOrDefault(name, name), SyslogCodes.SEVERITIES, "severity");
    }

    @Override
    public List<String> format(Report report) {
        List<String> messages = new ArrayList<>(report.findings().size());
        for (Finding f : report.findings()) {
            messages.add(render(report, f));
        }
        return messages;
    }

    /** The message for one finding of the report. */
    public String render(Report report, Finding finding) {
        int pri = facility * 8 + severities.get(finding.severity());
        return format == Format.RFC5424 ? rfc5424(pri, report, finding) : rfc3164(pri, finding);
    }

    /**
     * The subject takes at most a quarter of the message in the structured data and every other value a
     * sixteenth, so the header and structured data always fit whole and only the message text is cut.
     */
    private String rfc5424(int pri, Report report, Finding f) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("report", report.id());
        params.put("source", f.source().text());
        params.put("kind", f.kind());
        params.put("subject", f.subject());
        params.put("host", f.host());
        Object logfile = f.details().get(Details.LOGFILE);
        if (logfile != null) {
            params.put(Details.LOGFILE, logfile.toString());
        }
        Object rulefile = f.details().get(Details.RULEFILE);
        if (rulefile != null) {
            params.put(Details.RULEFILE, rulefile.toString());
        }
        StringBuilder sd = new StringBuilder("[").append(SD_ID);
        params.forEach((name, value) -> sd.append(' ').append(name).append("=\"")
                .append(paramValue(value, name.equals("subject") ? maxBytes / 4 : maxBytes / 16)).append('"'));
        sd.append(']');

        String head = "<" + pri + ">1 " + RFC5424_TIME.format(f.time().truncatedTo(ChronoUnit.MICROS)) + ' '
                + headerField(f.host(), 255) + ' ' + APP_NAME + " - " + headerField(f.kind(), 32) + ' ' + sd + ' ';
        int room = maxBytes - head.getBytes(StandardCharsets.UTF_8).length - BOM_BYTES;
        String msg = Truncated.toBytes(Printable.of(f.kind()) + " " + Outline.message(f), room);
        boolean ascii = StandardCharsets.US_ASCII.newEncoder().canEncode(msg);
        return head + (ascii ? "" : "\uFEFF") + msg;
    }

    private String rfc3164(int pri, Finding f) {
        String line = "<" + pri + ">" + RFC3164_TIME.format(f.time().atZone(zone)) + ' ' + headerField(f.host(), 255)
                + ' ' + APP_NAME + ": " + f.source().text() + ' ' + Printable.of(f.kind()) + ' ' + Outline.message(f);
        return Truncated.toBytes(line, RFC3164_MAX_BYTES);
    }

    /**
     * RFC 5424 PARAM-VALUE in at most {@code maxBytes} bytes: the value made printable, cut ({@link Truncated}), and
     * {@code "}, {@code \} and {@code ]} escaped with a backslash. Cut before its escapes, a value of control
     * characters (four bytes each as {@code \x01}) grew to four times its share and crowded out the message.
     */
    private static String paramValue(String value, int maxBytes) {
        String printable = Printable.of(value);
        int limit = maxBytes;
        while (true) {
            String escaped = escaped(Truncated.toBytes(printable, limit));
            int over = escaped.getBytes(StandardCharsets.UTF_8).length - maxBytes;
            if (over <= 0) {
                return escaped;
            }
            if (limit == 0) {
                return "";
            }
            limit = Math.max(0, limit - over);
        }
    }

    private static String escaped(String printable) {
        StringBuilder out = new StringBuilder(printable.length() + 8);
        for (int i = 0; i < printable.length(); i++) {
            char c = printable.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A header field: printable US-ASCII without spaces, at most {@code max} long, "-" when empty. */
    private static String headerField(String value, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            out.append(c > 32 && c < 127 ? c : '_');
        }
        return out.length() == 0 ? "-" : out.toString();
    }

    private static int lookup(String text, List<String> names, String what) {
        int index = names.indexOf(text);
        if (index >= 0) {
            return index;
        }
        try {
            int number = Integer.parseInt(text);
            if (number >= 0 && number < names.size()) {
                return number;
            }
        } catch (NumberFormatException e) {
            // not a number either: fall through to the message naming the valid names
        }
        throw new IllegalArgumentException("unknown syslog " + what + " '" + text + "', use one of " + names
                + " or 0.." + (names.size() - 1));
    }
}

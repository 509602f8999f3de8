package dev.vigil.camel.channel;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mail's bodies made to fit the receiver's maxBytes ({@link MailDelivery#fitting}), as Jakarta Mail encodes
 * them. The mail channel through a real SMTP server is MailChannelTest's.
 */
class MailDeliveryTest {

    private static final Instant NOW = Instant.parse("2026-12-07T18:00:00Z");
    private static final long ONE_MB = 1 << 20;

    private static long size(MailDelivery.Bodies bodies) {
        return MailDelivery.encodedSize(bodies.text(), "text/plain") + MailDelivery.encodedSize(bodies.html(), "text/html");
    }

    /**
     * One finding whose details alone pass maxBytes once in HTML (an apostrophe is five characters there; a file's
     * extended attributes are its owner's to write), first of its report: listing fewer findings cannot make room, so
     * the bodies list none and count them all, and fit.
     */
    @Test
    void aFindingLargerThanTheRoomLeavesBodiesThatListNoneAndCountThem() {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < 64; i++) {
            details.put("user.x" + i, "'".repeat(4000));
        }
        Report report = Report.of(Source.FILES, List.of(
                new Finding(Source.FILES, "MODIFIED", "/home/eve/a", "web1", NOW, Severity.WARNING, details),
                new Finding(Source.FILES, "MODIFIED", "/home/eve/b", "web1", NOW, Severity.WARNING, Map.of())), NOW);
        assertTrue(size(new MailDelivery.Bodies(new dev.vigil.alert.TextRenderer().render(report),
                new dev.vigil.alert.HtmlRenderer().render(report))) > ONE_MB, "the whole mail would pass 1 MB");

        MailDelivery.Bodies bodies = MailDelivery.fitting(report, ONE_MB);

        assertTrue(size(bodies) <= ONE_MB - MailDelivery.HEADER_ROOM, size(bodies) + " bytes");
        for (String body : List.of(bodies.text(), bodies.html())) {
            assertTrue(body.contains("and 2 more findings not shown here"), body);
            assertTrue(body.contains(report.id()), "the report named, kept in Vigil");
        }
    }

    @Test
    void aReportThatFitsIsListedWhole() {
        Report report = Report.of(Source.FILES, List.of(
                new Finding(Source.FILES, "MODIFIED", "/etc/hosts", "web1", NOW, Severity.WARNING, Map.of())), NOW);

        MailDelivery.Bodies bodies = MailDelivery.fitting(report, ONE_MB);

        assertEquals(new dev.vigil.alert.TextRenderer().render(report), bodies.text());
        assertEquals(new dev.vigil.alert.HtmlRenderer().render(report), bodies.html());
    }

    /** A 7bit body's lines end in CR LF on the wire: counted, as the server counts them. */
    @Test
    void aSevenBitBodyIsMeasuredWithItsLineEndsAsSent() {
        assertEquals("a\r\nb\r\n".length(), MailDelivery.encodedSize("a\nb\n", "text/plain"));
    }
}

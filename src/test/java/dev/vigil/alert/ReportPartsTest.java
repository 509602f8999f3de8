package dev.vigil.alert;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportPartsTest {

    private static final Instant T = Instant.parse("2026-12-04T12:00:00Z");

    private static Report report(int findings, int subjectLength) {
        List<Finding> list = IntStream.range(0, findings).mapToObj(i -> new Finding(Source.FILES, "ADDED",
                "/srv/" + i + "/" + "x".repeat(subjectLength), "web1", T, Severity.WARNING, Map.of())).toList();
        return Report.of(Source.FILES, list, T);
    }

    @Test
    void aReportThatFitsIsOneRecordAsItIs() {
        Report small = report(3, 10);
        assertEquals(List.of(small), ReportParts.of(small, FleetRecord.MAX_REPORT_BYTES));
    }

    @Test
    void aLargeReportIsPartsUnderTheLimitHoldingEveryFindingInOrderWithStableIdsOfTheirFindings() {
        Report large = report(5000, 400);
        List<Report> parts = ReportParts.of(large, 256 * 1024);

        assertTrue(parts.size() >= 8, parts.size() + " parts");
        for (Report part : parts) {
            assertTrue(part.toJson().getBytes(StandardCharsets.UTF_8).length <= 256 * 1024);
            assertEquals(List.of(large.source(), large.host(), large.created()), List.of(part.source(), part.host(), part.created()));
        }
        assertEquals(large.findings(), parts.stream().flatMap(p -> p.findings().stream()).toList());
        assertEquals(parts.size(), parts.stream().map(Report::id).distinct().count());
        assertTrue(parts.stream().noneMatch(p -> p.id().equals(large.id())), "the report's id is the whole report's");
        assertEquals(parts.stream().map(Report::id).toList(),
                ReportParts.of(large, 256 * 1024).stream().map(Report::id).toList(), "the same ids on a retry");
        assertNotEquals(parts.get(1).id(), ReportParts.of(report(5000, 400), 256 * 1024).get(1).id(),
                "another report's parts have other ids");
        // A receiver that kept the first part of one cut must not take the first part of another cut for it.
        assertNotEquals(parts.get(0).id(), ReportParts.of(large, 512 * 1024).get(0).id());
    }

    /** Details of many short texts, which no cut of each text makes fit, are left out, saying how large they were. */
    @Test
    void aFindingWhoseDetailsNoCutMakesFitHasThemLeftOutSayingHowLarge() {
        List<String> paths = IntStream.range(0, 20_000).mapToObj(i -> "/etc/" + i).toList();
        Finding accepted = new Finding(Source.FILES, "ACCEPTED", "/etc", "web1", T, Severity.NOTICE, Map.of("paths", paths));
        Report report = Report.of(Source.FILES, List.of(accepted), T);

        List<Report> parts = ReportParts.of(report, 64 * 1024);

        assertEquals(1, parts.size());
        assertTrue(parts.get(0).toJson().getBytes(StandardCharsets.UTF_8).length <= 64 * 1024);
        Finding sent = parts.get(0).findings().get(0);
        assertEquals("/etc", sent.subject());
        assertEquals(List.of(ReportParts.LEFT_OUT), List.copyOf(sent.details().keySet()));
        assertEquals(Json.write(Map.of("paths", paths)).length() + " bytes of details, too large for the receiver",
                sent.details().get(ReportParts.LEFT_OUT));
    }

    /**
     * A finding whose details no record can hold (a file's owner gave it megabytes of extended attributes) has its
     * details' texts cut, the same length each, to fit one; the rest of the report goes as it is.
     */
    @Test
    void aFindingTooLargeForARecordHasItsDetailsTextsCutToFitOne() {
        String xattrs = "user.a=" + "v".repeat(2_000_000);
        Finding huge = new Finding(Source.FILES, "MODIFIED", "/srv/big", "web1", T, Severity.WARNING, Map.of(
                "before", Map.of("mode", "0644", "xattrs", "user.a=old"), "after", Map.of("mode", "0644", "xattrs", xattrs)));
        Report small = report(2, 10);
        Report report = Report.of(Source.FILES, List.of(small.findings().get(0), huge, small.findings().get(1)), T);

        List<Report> parts = ReportParts.of(report, FleetRecord.MAX_REPORT_BYTES);

        for (Report part : parts) {
            assertTrue(part.toJson().getBytes(StandardCharsets.UTF_8).length <= FleetRecord.MAX_REPORT_BYTES);
        }
        List<Finding> sent = parts.stream().flatMap(p -> p.findings().stream()).toList();
        assertEquals(List.of("/srv/0/xxxxxxxxxx", "/srv/big", "/srv/1/xxxxxxxxxx"), sent.stream().map(Finding::subject).toList());
        assertEquals(small.findings(), List.of(sent.get(0), sent.get(2)));
        Map<?, ?> after = (Map<?, ?>) sent.get(1).details().get("after");
        String cut = (String) after.get("xattrs");
        assertTrue(cut.startsWith("user.a=vvv") && cut.endsWith(Truncated.marker(xattrs.length())), cut.substring(cut.length() - 40));
        assertTrue(cut.length() > FleetRecord.MAX_REPORT_BYTES / 2, "cut no more than it must: " + cut.length());
        assertEquals("0644", after.get("mode"));
        assertEquals(huge.details().get("before"), sent.get(1).details().get("before"), "short texts stay whole");
    }

    /**
     * A log line longer than a part (a webhook's limit below {@code vigil.logs.maxLine}) has its subject cut, with the
     * marker, to fit: a part over the receiver's limit would be refused with the report's other findings.
     */
    @Test
    void aFindingWhoseSubjectAloneIsLargerThanTheLimitHasItsSubjectCutToFitAPartOfItsOwn() {
        Report report = report(3, 3000);
        List<Report> parts = ReportParts.of(report, 2000);
        assertEquals(List.of(1, 1, 1), parts.stream().map(p -> p.findings().size()).toList());
        for (Report part : parts) {
            assertTrue(part.toJson().getBytes(StandardCharsets.UTF_8).length <= 2000, part.toJson().length() + " chars");
            String subject = part.findings().get(0).subject();
            assertTrue(subject.startsWith("/srv/") && subject.endsWith(Truncated.marker(3000 + "/srv/0/".length())), subject);
        }
        assertEquals(List.of("/srv/0/", "/srv/1/", "/srv/2/"),
                parts.stream().map(p -> p.findings().get(0).subject().substring(0, 7)).toList());
    }

    /** A lone surrogate, which the encoder sends as one byte ('?'), is counted as three: never under the limit's real size. */
    @Test
    void utf8LengthCountsAsTheEncoderDoesAndNeverLess() {
        for (String s : List.of("", "ascii", "caf\u00e9", "\u20ac100", "\ud83d\ude00 grin")) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, ReportParts.utf8Length(s), s);
        }
        assertEquals(5 + 3, ReportParts.utf8Length("lone \ud83d"));
        assertEquals(3 + 3, ReportParts.utf8Length("\ude00low"));
    }
}

package dev.vigil.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReportJsonTest {

    @Test
    void reportRoundTripsThroughJsonWithEveryFindingEqual() {
        Finding nested = new Finding(Source.LOGS, "SECURITY_ALERT", "sshd[1]: Invalid user \"root\" \u00e9\n",
                Samples.HOST, Instant.parse("2026-11-22T01:02:03.123456789Z"), Severity.CRITICAL,
                Map.of("rulefile", "sshd", "count", 3L, "ratio", 0.5, "flag", true,
                        "lines", List.of("a", "b"), "nested", Map.of("k", List.of(1L, 2L))));
        Report report = Report.of(Source.LOGS, List.of(Samples.modified("/etc/passwd"), nested,
                Samples.died("/run/sshd.pid")), Samples.T0);

        Report back = Report.fromJson(report.toJson());

        assertEquals(report, back);
        assertEquals(report.findings(), back.findings());
    }

    @Test
    void timesAreRfc3339StringsInUtc() throws Exception {
        Report report = Samples.report(Samples.added("/usr/bin/new"));

        JsonNode json = Json.mapper().readTree(report.toJson());

        assertEquals("2026-11-22T01:00:15Z", json.get("created").asText());
        assertEquals("2026-11-22T01:00:00Z", json.get("findings").get(0).get("time").asText());
        assertEquals(report.id(), json.get("id").asText());
        assertEquals("WARNING", json.get("findings").get(0).get("severity").asText());
    }

    @Test
    void reportIsOneLineOfJsonWithDetailsInKeyOrder() {
        String json = Samples.report(Samples.modified("/etc/passwd")).toJson();

        assertTrue(!json.contains("\n"), json);
        assertTrue(json.indexOf("\"after\"") < json.indexOf("\"before\""), json);
    }

    @Test
    void unknownPropertiesFromANewerWriterAreIgnored() {
        String json = Samples.report(Samples.died("/run/a.pid")).toJson();
        String newer = json.replaceFirst("\\{", "{\"schema\":2,");

        assertEquals(Report.fromJson(json), Report.fromJson(newer));
    }

    @Test
    void idsOfReportsMadeInTurnSortInThatOrderAsTextAndDiffer() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(Samples.report(Samples.added("/usr/bin/new")).id());
            Thread.sleep(2);
        }
        Set<String> madeAtOnce = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            madeAtOnce.add(Samples.report(Samples.added("/usr/bin/new")).id());
        }

        assertEquals(ids.stream().sorted().toList(), ids);
        assertEquals(7, UUID.fromString(ids.get(0)).version());
        assertEquals(10_000, madeAtOnce.size());
    }

    @Test
    void reportWithoutFindingsOrWithABadIdIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new Report("not-a-uuid", Source.FILES, "h", Samples.T0, List.of(Samples.added("/x"))));
        assertThrows(IllegalArgumentException.class, () -> Report.of(Source.FILES, List.of(), Samples.T0));
        assertThrows(IllegalArgumentException.class, () -> Report.fromJson("{\"id\":"));
    }
}

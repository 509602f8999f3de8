package dev.vigil.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst of file findings (a tree unpacked, a cache rebuilt) reads as a summary: the one critical change in
 * full, the busiest directories with their counts by kind, the first few others, and how many were left out.
 */
class BurstReportTest {

    /** 8,000 files added and deleted under a cache, with one critical change hidden among them. */
    private static Report burst() {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            findings.add(Samples.file("ADDED", "/var/cache/app/" + (i % 4) + "/f" + i, Severity.WARNING));
            findings.add(Samples.file("DELETED", "/var/cache/app/" + (i % 4) + "/g" + i, Severity.WARNING));
        }
        findings.add(findings.size() / 2, new Finding(Source.FILES, "MODIFIED", "/etc/passwd", Samples.HOST,
                Samples.T0, Severity.CRITICAL, Map.of(Details.BEFORE, Map.of("size", 1024L),
                        Details.AFTER, Map.of("size", 1088L), "process", "vi (pid 77)")));
        return Samples.report(findings.toArray(Finding[]::new));
    }

    @Test
    void mailTextListsTheCriticalChangeFirstInFullThenCountsByDirectory() {
        String text = new TextRenderer().render(burst());

        assertTrue(text.startsWith("Vigil report from web1.example.org: 8001 file changes\n"), text);
        int critical = text.indexOf("Critical: Modified (1)");
        assertTrue(critical > 0, text);
        String afterCritical = text.substring(critical);
        assertTrue(afterCritical.contains("/etc/passwd  [CRITICAL]\n    size     1024 -> 1088\n    process  vi (pid 77)\n"),
                text);
        assertTrue(text.contains("Added (first 25 of 4000)"), text);
        assertTrue(text.contains("Deleted (first 25 of 4000)"), text);
        assertTrue(text.contains("8001 file changes in 5 directories; the busiest 5:"), text);
        assertTrue(text.contains("/var/cache/app/0  Added 1000, Deleted 1000\n"), text);
        assertTrue(text.contains("/etc" + " ".repeat(14) + "Modified 1\n"), text);
        assertTrue(text.contains("\u2026and 7950 more not listed here; the full report is kept in Vigil: report "),
                text);
        assertTrue(text.lines().count() < 120, "a burst reads as a page, not 8,000 lines: " + text.lines().count());
    }

    @Test
    void fewerFindingsThanABurstAreAllListed() {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < Outline.BURST - 1; i++) {
            findings.add(Samples.added("/srv/www/f" + i));
        }
        String text = new TextRenderer().render(Samples.report(findings.toArray(Finding[]::new)));

        assertTrue(text.contains("Added (199)"), text);
        assertTrue(text.contains("/srv/www/f198\n"), text);
        assertFalse(text.contains("busiest"), text);
    }

    @Test
    void mailHtmlCarriesTheSameSummary() {
        String html = new HtmlRenderer().render(burst());

        assertTrue(html.indexOf("Critical: Modified (1)") < html.indexOf("Added (first 25 of 4000)"), html);
        assertTrue(html.contains("8001 file changes in 5 directories; the busiest 5:"), html);
        assertTrue(html.contains("<td style=\"padding-right:1em\">/var/cache/app/3</td><td>Added 1000, Deleted 1000</td>"),
                html);
        assertTrue(html.contains("7950 more not listed here"), html);
    }

    @Test
    void slackShowsTheCriticalChangeAndTheBusiestDirectoriesWithinItsLimits() {
        JsonNode blocks = Json.read(new SlackRenderer().render(burst()), JsonNode.class).get("blocks");

        String files = blocks.get(1).at("/text/text").asText();
        assertTrue(files.contains("*Critical: Modified (1)*\n\u2022 `/etc/passwd`"), files);
        String directories = blocks.get(2).at("/text/text").asText();
        assertTrue(directories.startsWith("*8001 file changes in 5 directories; the busiest 5:*"), directories);
        assertTrue(directories.contains("\u2022 `/var/cache/app/1` Added 1000, Deleted 1000"), directories);
        for (JsonNode block : blocks) {
            assertTrue(block.at("/text/text").asText().length() <= SlackRenderer.MAX_TEXT);
        }
        assertEquals("context", blocks.get(blocks.size() - 1).get("type").asText());
    }

    /** 1,000 files added in one window by a gate that lists at most 300: the report's last finding counts 700. */
    private static Report fullPool() {
        MutableClock clock = new MutableClock(Samples.T0);
        ReportGate gate = new ReportGate(Source.FILES, 15, 300, clock).listingAtMost(300);
        for (int i = 0; i < 1000; i++) {
            gate.offer(new RecordedFinding(i, Samples.file("ADDED", "/var/cache/app/" + (i % 4) + "/f" + i, Severity.WARNING)));
        }
        clock.set(Samples.T0.plusSeconds(15));
        return gate.poll().orElseThrow().report();
    }

    @Test
    void aReportOfAFullPoolCountsWhatItDoesNotListAndSaysWhereItIs() {
        String text = new TextRenderer().render(fullPool());

        assertTrue(text.startsWith("Vigil report from web1.example.org: 1000 file changes\n"), text);
        assertTrue(text.contains("Added (first 50 of 300)"), text);
        assertTrue(text.contains("300 listed in 4 directories; the busiest 4:"), text);
        assertTrue(text.contains("/var/cache/app/0  Added 75\n"), text);
        assertTrue(text.contains("Not in this report\n------------------\n700 more findings not in this report; vigil events lists them\n"),
                text);
        assertTrue(text.contains("byKind  {ADDED=700}"), text);
        assertFalse(text.contains("Added 1\n"), "the counting finding is not a file in a directory: " + text);

        String slack = Json.read(new SlackRenderer().render(fullPool()), JsonNode.class).get("blocks").get(1).at("/text/text").asText();
        assertTrue(slack.startsWith("*Files (1000 file changes)*"), slack);
        assertTrue(slack.contains("*Not in this report*\n\u2022 `700 more findings not in this report; vigil events lists them`"), slack);
        assertTrue(slack.endsWith("_\u2026and 250 more_"), "the 250 the report lists beyond the first 50: " + slack);
    }
}

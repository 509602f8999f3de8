package dev.vigil.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SlackRendererTest {

    private static JsonNode render(Report report) throws Exception {
        return Json.mapper().readTree(new SlackRenderer().render(report));
    }

    private static List<JsonNode> sections(JsonNode message) {
        List<JsonNode> sections = new ArrayList<>();
        message.get("blocks").forEach(b -> {
            if (b.get("type").asText().equals("section")) {
                sections.add(b);
            }
        });
        return sections;
    }

    private static int bullets(String text) {
        return text.split("\n\u2022 ", -1).length - 1;
    }

    @Test
    void messageHasAHeaderASectionPerSourceAndAFooterNamingTheReport() throws Exception {
        Report report = Samples.report(Samples.modified("/etc/passwd"), Samples.added("/usr/bin/x"),
                Samples.log("SECURITY_ALERT", "sshd", "sshd[9]: Invalid user admin"));

        JsonNode message = render(report);
        JsonNode blocks = message.get("blocks");

        assertEquals(new SubjectLine().render(report), message.get("text").asText());
        assertEquals("header", blocks.get(0).get("type").asText());
        assertEquals("Vigil: web1.example.org: 2 file changes, 1 log event",
                blocks.get(0).get("text").get("text").asText());
        assertEquals(4, blocks.size());
        assertEquals("""
                *Files (2 file changes)*
                *Added (1)*
                \u2022 `/usr/bin/x`  mode 4755, uid 0
                *Modified (1)*
                \u2022 `/etc/passwd`  size 1024 \u2192 1088, sha256 aaaa \u2192 bbbb""",
                blocks.get(1).get("text").get("text").asText());
        assertEquals("mrkdwn", blocks.get(2).get("text").get("type").asText());
        assertEquals("*Logs (1 log event)*\n*Security Alerts for sshd*\n\u2022 `sshd[9]: Invalid user admin`",
                blocks.get(2).get("text").get("text").asText());
        String footer = blocks.get(3).get("elements").get(0).get("text").asText();
        assertTrue(footer.contains("full report is kept in Vigil") && footer.contains(report.id()), footer);
    }

    @Test
    void aHugeReportIsCutToSlacksLimitsWithACountOfWhatIsLeftOut() throws Exception {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            findings.add(Samples.modified("/var/lib/app/file-" + i));
        }

        JsonNode message = render(Report.of(Source.FILES, findings, Samples.T0));

        String text = sections(message).get(0).get("text").get("text").asText();
        assertTrue(text.length() <= SlackRenderer.MAX_TEXT, "section of " + text.length() + " characters");
        int shown = bullets(text);
        assertTrue(shown > 10, text);
        assertTrue(text.endsWith("\n_\u2026and " + (5000 - shown) + " more_"), text);
    }

    @Test
    void headerIsCutTo150CharactersAndOneHugeLineCannotCrowdOutTheRest() throws Exception {
        String host = "h".repeat(300) + ".example.org";
        Finding huge = new Finding(Source.LOGS, "SYSTEM_EVENT", "x".repeat(20_000), host, Samples.T0,
                Severity.INFO, Map.of());
        Finding small = new Finding(Source.LOGS, "SYSTEM_EVENT", "small line", host, Samples.T0, Severity.INFO, Map.of());

        JsonNode message = render(Report.of(Source.LOGS, List.of(huge, small), Samples.T0));

        String header = message.get("blocks").get(0).get("text").get("text").asText();
        assertEquals(SlackRenderer.MAX_HEADER, header.length());
        assertTrue(header.endsWith(" bytes]"), header);
        String text = sections(message).get(0).get("text").get("text").asText();
        assertTrue(text.contains("`small line`"), text);
        assertEquals(2, bullets(text));
    }

    @Test
    void fileNamesCannotPingTheChannelOrForgeLinks() throws Exception {
        Finding hostile = Samples.file("ADDED", "/tmp/<!channel> & <http://evil.example|click>`x`",
                Severity.CRITICAL);

        String text = sections(render(Samples.report(hostile))).get(0).get("text").get("text").asText();

        assertFalse(text.contains("<!channel>") || text.contains("<http"), text);
        assertTrue(text.contains("`/tmp/&lt;!channel&gt; &amp; &lt;http://evil.example|click&gt;'x'` *CRITICAL*"),
                text);
    }

    @Test
    void everySectionOfARealisticMixedReportRespectsTheTextLimit() throws Exception {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            findings.add(Samples.log(i % 3 == 0 ? "SECURITY_ALERT" : "SYSTEM_EVENT", "sshd",
                    "Nov 22 01:00:0" + (i % 10) + " web1 sshd[" + i + "]: Failed password for <invalid> user & more"));
            findings.add(Samples.added("/srv/www/upload-" + i + ".php"));
        }

        JsonNode message = render(Report.of(Source.LOGS, findings, Instant.parse("2026-11-22T02:00:00Z")));

        int shown = 0;
        for (JsonNode section : sections(message)) {
            String text = section.get("text").get("text").asText();
            assertTrue(text.length() <= SlackRenderer.MAX_TEXT, "section of " + text.length());
            if (text.startsWith("*800 file changes in 1 directory; the busiest 1:*")) {
                continue; // the burst's count by directory, not a list of findings
            }
            shown += bullets(text);
            Matcher more = Pattern.compile("\u2026and (\\d+) more_$").matcher(text);
            assertTrue(more.find(), text);
            shown += Integer.parseInt(more.group(1));
        }
        assertEquals(1600, shown, "shown plus left out is every finding");
    }
}

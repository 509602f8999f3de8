package dev.vigil.alert;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ECS events of the alert file, field by field, as Filebeat would read them: one JSON object a line. */
class EcsRendererTest {

    private static final String HASH = "5f2b51ca2fdc5baa31ec02e002f69aec";

    private final EcsRenderer ecs = new EcsRenderer("sha256");

    @Test
    void aFileFindingIsAFileChangeEventWithPathHashAndTheEntryAsItIsNow() {
        Map<String, Object> before = Map.of("hash", "aaaa", "size", "1024", "permissions", "0644", "uid", "0");
        Map<String, Object> after = Map.of("hash", HASH, "size", "1088", "permissions", "0644", "uid", "0", "gid", "0",
                "mtime", "2026-11-22T00:59:58.123456789Z");
        Finding f = new Finding(Source.FILES, "MODIFIED", "/etc/passwd", Samples.HOST, Samples.T0, Severity.CRITICAL,
                Map.of(Details.BEFORE, before, Details.AFTER, after));
        Report report = Samples.report(f);

        List<String> lines = ecs.render(report);

        assertEquals(1, lines.size());
        assertFalse(lines.get(0).contains("\n"), "one line");
        JsonNode e = Json.read(lines.get(0), JsonNode.class);
        assertEquals("2026-11-22T01:00:00Z", e.get("@timestamp").asText());
        assertEquals("8.11.0", e.at("/ecs/version").asText());
        assertEquals("alert", e.at("/event/kind").asText());
        assertEquals("[\"file\"]", e.at("/event/category").toString());
        assertEquals("[\"change\"]", e.at("/event/type").toString());
        assertEquals("modified", e.at("/event/action").asText());
        assertEquals(4, e.at("/event/severity").asInt());
        assertEquals(report.id() + "-1", e.at("/event/id").asText());
        assertEquals("2026-11-22T01:00:15Z", e.at("/event/created").asText());
        assertEquals(Samples.HOST, e.at("/host/name").asText());
        assertEquals("/etc/passwd", e.at("/file/path").asText());
        assertEquals(HASH, e.at("/file/hash/sha256").asText());
        assertEquals(1088, e.at("/file/size").asLong());
        assertTrue(e.at("/file/size").isNumber());
        assertEquals("0644", e.at("/file/mode").asText());
        assertEquals("2026-11-22T00:59:58.123456789Z", e.at("/file/mtime").asText());
        assertTrue(e.get("message").asText().startsWith("MODIFIED /etc/passwd: "), e.get("message").asText());
        assertEquals("[\"vigil\",\"files\"]", e.get("tags").toString());
        assertTrue(e.at("/process").isMissingNode(), "not attributed: no process");
        assertEquals("aaaa", e.at("/vigil/details/before/hash").asText(), "Vigil's own details kept");
    }

    @Test
    void anAttributedWatchFindingNamesTheProcessAndUser() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(Details.AFTER, Map.of("hash", HASH, "size", "12", "permissions", "0755"));
        details.put("events", "CLOSE_WRITE,CREATE");
        details.put("pid", 4242L);
        details.put("ppid", 1L);
        details.put("comm", "sh");
        details.put("exe", "/usr/bin/dash");
        details.put("uid", 1000L);
        details.put("user", "mallory");
        details.put("attributed", true);
        Finding f = new Finding(Source.FILES, "ADDED", "/usr/local/bin/evil", Samples.HOST, Samples.T0,
                Severity.WARNING, details);
        Report report = Samples.report(Samples.modified("/etc/hosts"), f);

        JsonNode e = Json.read(ecs.render(report).get(1), JsonNode.class);

        assertEquals(report.id() + "-2", e.at("/event/id").asText());
        assertEquals("[\"creation\"]", e.at("/event/type").toString());
        assertEquals("added", e.at("/event/action").asText());
        assertEquals(3, e.at("/event/severity").asInt());
        assertEquals("/usr/local/bin/evil", e.at("/file/path").asText());
        assertEquals(HASH, e.at("/file/hash/sha256").asText());
        assertEquals(4242, e.at("/process/pid").asLong());
        assertEquals(1, e.at("/process/parent/pid").asLong());
        assertEquals("sh", e.at("/process/name").asText());
        assertEquals("/usr/bin/dash", e.at("/process/executable").asText());
        assertEquals("mallory", e.at("/user/name").asText());
        assertEquals("1000", e.at("/user/id").asText());
    }

    @Test
    void aLogFindingCarriesTheLineItsLogFileAndTheRule() {
        String line = "Nov 22 01:00:00 web1 sshd[99]: Failed password for root from 203.0.113.9 port 22 ssh2";
        Finding f = new Finding(Source.LOGS, "SECURITY_ALERT", line, Samples.HOST, Samples.T0, Severity.CRITICAL,
                Map.of(Details.SECTION, Details.SECURITY_ALERTS, Details.RULEFILE, "sshd",
                        Details.LOGFILE, "/var/log/auth.log"));

        JsonNode e = Json.read(ecs.render(Samples.report(f)).get(0), JsonNode.class);

        assertEquals("[\"intrusion_detection\"]", e.at("/event/category").toString());
        assertEquals("[\"info\"]", e.at("/event/type").toString());
        assertEquals("security_alert", e.at("/event/action").asText());
        assertEquals(line, e.at("/event/original").asText());
        assertEquals("/var/log/auth.log", e.at("/log/file/path").asText());
        assertEquals("logcheck", e.at("/rule/ruleset").asText());
        assertEquals("Security Alerts", e.at("/rule/category").asText());
        assertEquals("sshd", e.at("/rule/name").asText());
        assertEquals("SECURITY_ALERT Security Alerts for sshd: " + line, e.get("message").asText());
        assertEquals("vigil.logs", e.at("/event/dataset").asText());
        assertTrue(e.at("/file").isMissingNode());
    }

    @Test
    void aPidFindingNamesThePidFileAndTheProcessAsItWas() {
        Finding f = new Finding(Source.PIDS, "DIED", "/run/sshd.pid", Samples.HOST, Samples.T0, Severity.WARNING,
                Map.of("before.pid", 812L, "before.command", "sshd", "before.exe", "/usr/sbin/sshd", "before.user", "root"));

        JsonNode e = Json.read(ecs.render(Samples.report(f)).get(0), JsonNode.class);

        assertEquals("[\"process\"]", e.at("/event/category").toString());
        assertEquals("[\"end\"]", e.at("/event/type").toString());
        assertEquals("/run/sshd.pid", e.at("/file/path").asText());
        assertEquals(812, e.at("/process/pid").asLong());
        assertEquals("sshd", e.at("/process/name").asText());
        assertEquals("/usr/sbin/sshd", e.at("/process/executable").asText());
        assertEquals("root", e.at("/user/name").asText());
    }
}

package dev.vigil.camel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Await;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Json;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped file channel with vigil.alerts.format=ecs and a small vigil.alerts.maxSize: what Filebeat would read. */
class EcsAlertFileTest {

    private static final int REPORTS = 8;

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    @Test
    void eachReportBecomesEcsEventsInARotatedFileWithNoneLost() throws Exception {
        Main main = daemon.start(Map.of("vigil.alerts.format", "ecs", "vigil.alerts.maxSize", "2KB",
                "vigil.alerts.keep", "20"));
        Path file = daemon.dir.resolve("alerts/alerts.ndjson");

        for (int n = 1; n <= REPORTS; n++) {
            main.getCamelContext().createProducerTemplate().sendBody("direct:report", new Finding(Source.FILES, "MODIFIED",
                    "/etc/file" + n, "test-host", daemon.now(), Severity.CRITICAL, Map.of()));
        }
        Await.until("every report in the alert file", () -> {
            try {
                return lines(file).size() == REPORTS;
            } catch (IOException renamedWhileRead) {
                return false;
            }
        });

        List<JsonNode> events = lines(file).stream().map(l -> Json.read(l, JsonNode.class)).toList();
        assertEquals(IntStream.rangeClosed(1, REPORTS).mapToObj(n -> "/etc/file" + n).toList(),
                events.stream().map(e -> e.at("/file/path").asText()).toList(), "in order, none lost or repeated");
        for (JsonNode e : events) {
            assertEquals("alert", e.at("/event/kind").asText());
            assertEquals("modified", e.at("/event/action").asText());
            assertEquals("test-host", e.at("/host/name").asText());
            assertTrue(e.at("/event/id").asText().endsWith("-1"), e.toString());
        }
        assertTrue(Files.exists(daemon.dir.resolve("alerts/alerts.ndjson.1")), "rotated past 2KB");
    }

    /** The lines of the alert file and its rotated files, oldest first. */
    private static List<String> lines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 20; i >= 1; i--) {
            Path rotated = file.resolveSibling(file.getFileName() + "." + i);
            if (Files.exists(rotated)) {
                out.addAll(Files.readAllLines(rotated));
            }
        }
        if (Files.exists(file)) {
            out.addAll(Files.readAllLines(file));
        }
        return out;
    }
}

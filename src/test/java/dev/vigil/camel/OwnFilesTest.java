package dev.vigil.camel;


import dev.vigil.alert.Source;
import dev.vigil.Await;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.store.EventLog;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vigil installed inside an area it checks (a clone under /root, which root's default areas include): its
 * database and alert file change all the time and are none of the checks' business. Were the alert file
 * checked, each report would change it and make the next one. The directory holding them is checked on all
 * but its times, which change whenever SQLite creates or removes its WAL there.
 */
class OwnFilesTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    @Test
    void theDatabaseAndAlertFileInsideACheckedAreaMakeNoFindings() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path motd = Files.writeString(watched.resolve("motd"), "hello\n");
        Path data = watched.resolve("vigil-install/data");
        Main main = daemon.start(Map.of("vigil.database", data.resolve("vigil.db").toString(),
                "vigil.alerts.file", data.resolve("alerts.ndjson").toString(),
                "vigil.files.scan.interval", "200ms", "vigil.report.files.reportTime", "0",
                "vigil.report.files.reportHoldoff", "0"));
        EventLog events = new EventLog(Beans.database(main.getCamelContext()));

        // reports written to the alert file inside the area, while the check runs every 200 ms
        var template = main.getCamelContext().createProducerTemplate();
        template.sendBody("direct:report", new Finding(Source.FILES, "MODIFIED", "/etc/elsewhere", "test-host", daemon.now(),
                Severity.CRITICAL, Map.of()));
        Await.until("the alert file written", () -> Files.exists(data.resolve("alerts.ndjson")));
        Files.writeString(motd, "changed\n");
        Await.until("the change found", () -> TestDaemon.subjects(events).contains(motd.toString()));
        TestDaemon.awaitPolls(main, "files-check", 5); // several more checks, each after reports and database writes

        List<String> seen = TestDaemon.subjects(events);
        assertEquals(List.of(motd.toString()), seen.stream().filter(s -> s.startsWith(watched + "/")).distinct().toList(),
                "nothing about Vigil's own files, nor the times of the directory they are created and removed in");
        assertTrue(Files.size(data.resolve("vigil.db")) > 0);
    }
}

package dev.vigil.camel;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.store.EventLog;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * routes/logs.yaml, pids.yaml and files.yaml as shipped: what a source finds reaches direct:report, and so the
 * event history. The log and PID sources are the real ones over real files; the file check's source is replaced
 * (routes/files.yaml has end-to-end tests of its own in DaemonRoutesTest).
 */
class SourceRoutesTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private static List<Finding> findings(Main main, Source source) {
        return new EventLog(Beans.database(main.getCamelContext()))
                .query(new EventLog.Query(null, null, source, null, null));
    }

    @Test
    void aLogLineTheRulesDoNotIgnoreReachesTheReportRouteAsOneFinding() throws Exception {
        Path log = Files.createDirectories(daemon.dir.resolve("logs")).resolve("syslog");
        Files.writeString(log, "");
        Main main = daemon.start(Map.of());
        TestDaemon.awaitFollowing(main, log);
        NotifyBuilder reported = new NotifyBuilder(main.getCamelContext()).fromRoute("logs-check").whenExactlyCompleted(1).create();

        String line = "Nov 22 01:00:00 web app[1]: the disk controller reset";
        Files.writeString(log, line + "\n", StandardOpenOption.APPEND);

        assertTrue(reported.matches(60, TimeUnit.SECONDS), "one exchange from the log route, through direct:report");
        List<Finding> found = findings(main, Source.LOGS);
        assertEquals(List.of(line), found.stream().map(Finding::subject).toList());
        assertEquals("SYSTEM_EVENT", found.get(0).kind());
    }

    @Test
    void aMissingPidFileReachesTheReportRouteAsAFinding() throws Exception {
        Path pidFile = daemon.dir.resolve("run/app.pid");
        Main main = daemon.start(Map.of("vigil.pids.files", pidFile.toString(), "vigil.pids.interval", "1s"));
        NotifyBuilder reported = new NotifyBuilder(main.getCamelContext()).fromRoute("pids-check").whenCompleted(1).create();

        assertTrue(reported.matches(60, TimeUnit.SECONDS), "a finding from the PID route, through direct:report");
        List<Finding> found = findings(main, Source.PIDS);
        assertEquals(List.of("MISSING"), found.stream().map(Finding::kind).toList());
        assertTrue(found.get(0).subject().contains(pidFile.toString()), found.get(0).subject());
    }

    @Test
    void whatTheFileCheckSendsReachesTheReportRoute() throws Exception {
        Main main = daemon.start(Map.of(), context ->
                AdviceWith.adviceWith(context, "files-check", a -> a.replaceFromWith("direct:files-source")));
        main.getCamelContext().createProducerTemplate().sendBody("direct:files-source",
                new Finding(Source.FILES, "MODIFIED", "/etc/hosts", "test-host", daemon.now(), Severity.WARNING, Map.of()));

        assertEquals(List.of("/etc/hosts"), findings(main, Source.FILES).stream().map(Finding::subject).toList());
    }
}

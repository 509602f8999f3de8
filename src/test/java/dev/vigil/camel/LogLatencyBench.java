package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.camel.daemon.DaemonConfiguration;

import dev.vigil.cli.RunCommand;
import dev.vigil.cli.VigilHome;
import dev.vigil.store.EventLog;
import dev.vigil.store.LogOffsetStore;
import org.apache.camel.main.Main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Measures how long a line appended to a followed log takes to reach {@code direct:report}, whose first step
 * writes it to the event history: the daemon as {@code vigil run} starts it, with the shipped config and routes
 * ({@code vigil.logs.interval=1s}) and a temporary database and log file. Run by {@code bench/logtail.sh}. Not
 * a test: speed is measured here, never asserted.
 *
 * <p>Arguments: lines to time (default 20). Each is appended at a random moment of the poll period, so the
 * figures cover the whole range from "just before a poll" to "just after one".
 */
public final class LogLatencyBench {

    private LogLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path dir = Files.createTempDirectory("vigil-logbench");
        Path log = dir.resolve("auth.log");
        Files.writeString(log, "");
        Path config = dir.resolve("vigil.properties");
        Files.writeString(config, Files.readString(Path.of("config/vigil.properties"))
                + "\nvigil.database=" + dir.resolve("vigil.db") + "\nvigil.alerts.file=" + dir.resolve("alerts.ndjson")
                + "\nvigil.files.areas=" + dir.resolve("none") + "\nvigil.files.scan.interval=1h"
                + "\nvigil.logs.files=" + log + "\n");
        Main main = RunCommand.daemon(VigilHome.load(config), Path.of("routes").toAbsolutePath(),
                new DaemonConfiguration());
        main.start();
        try {
            EventLog events = new EventLog(Beans.database(main.getCamelContext()));
            LogOffsetStore offsets = new LogOffsetStore(Beans.database(main.getCamelContext()), "logs", Clock.systemUTC());
            while (!offsets.load().containsKey(log)) {
                Thread.sleep(10);
            }
            EventLog.Query logs = new EventLog.Query(null, null, Source.LOGS, null, null);
            Random random = new Random(1);
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < rounds + 3; i++) {
                Thread.sleep(random.nextInt(1000));
                int before = events.query(logs).size();
                long t0 = System.nanoTime();
                Files.writeString(log, "Nov 22 01:00:02 web sshd[" + (1000 + i) + "]: Failed password for root from"
                        + " 203.0.113.5 port 40022 ssh2\n", StandardOpenOption.APPEND);
                while (events.query(logs).size() == before) {
                    Thread.sleep(2);
                }
                if (i >= 3) {
                    millis.add((System.nanoTime() - t0) / 1e6);
                }
            }
            Collections.sort(millis);
            System.out.println("| lines | interval | min ms | median ms | max ms |");
            System.out.println("|-------|----------|--------|-----------|--------|");
            System.out.printf("| %5d | 1s       | %6.0f | %9.0f | %6.0f |%n", millis.size(), millis.get(0),
                    millis.get(millis.size() / 2), millis.get(millis.size() - 1));
        } finally {
            main.stop();
        }
    }
}

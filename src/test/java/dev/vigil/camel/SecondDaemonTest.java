package dev.vigil.camel;

import dev.vigil.Await;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `vigil run` twice on one database: the second refuses, naming the first; a killed daemon leaves no lock. */
class SecondDaemonTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private final List<Process> daemons = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : daemons) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSecondDaemonOnTheSameDatabaseRefusesToStartNamingTheFirstsPidAndAKilledOneLeavesNoLock() throws Exception {
        Files.createDirectories(daemon.dir.resolve("watched"));
        Path config = daemon.config(Map.of("vigil.files.watch.enabled", "false",
                "vigil.files.scan.cron", "0 0 0 1 1 ? 2099"));
        Path lock = daemon.dir.resolve("vigil.db.lock");

        Process first = run(config, "first.log");
        Await.until("the first daemon's lock", () -> read(lock).equals(first.pid() + "\n"));

        Process second = run(config, "second.log");
        assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the second daemon ends at once");
        String said = read(daemon.dir.resolve("second.log"));
        assertEquals(2, second.exitValue(), said);
        assertTrue(said.contains("another vigil daemon (pid " + first.pid() + ") already runs on " + daemon.dir.resolve("vigil.db")), said);
        assertTrue(first.isAlive(), "the first daemon runs on");

        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Process third = run(config, "third.log");
        Await.until("the lock taken again after a SIGKILL", () -> read(lock).equals(third.pid() + "\n"));
        assertTrue(third.isAlive(), read(daemon.dir.resolve("third.log")));
    }

    private Process run(Path config, String output) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.vigil.cli.VigilCommand",
                "run", "--config", config.toString(), "--routes", Path.of("routes").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(daemon.dir.resolve(output).toFile()).start();
        daemons.add(p);
        return p;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.US_ASCII) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

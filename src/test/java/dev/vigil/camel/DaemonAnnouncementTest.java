package dev.vigil.camel;

import dev.vigil.Await;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `vigil run` says what it is doing: its first baseline, one line when it is ready, one when it has stopped; a stop
 * during the first baseline is not kept waiting for it.
 */
class DaemonAnnouncementTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private Process vigil;

    @AfterEach
    void kill() throws InterruptedException {
        if (vigil != null) {
            vigil.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDaemonSaysWhenItsFirstBaselineIsDoneThenOneReadyLineNamingWhatRunsAndOneStoppedLine() throws Exception {
        Path watched = Files.createDirectories(daemon.dir.resolve("watched"));
        Files.writeString(watched.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.writeString(Files.createDirectories(daemon.dir.resolve("logs")).resolve("syslog"), "");
        Path pid = Files.writeString(daemon.dir.resolve("sshd.pid"), ProcessHandle.current().pid() + "\n");
        Path config = daemon.config(Map.of("vigil.files.scan.cron", "0 0 0 1 1 ? 2099",
                "vigil.pids.files", pid.toString()));
        Path output = daemon.dir.resolve("daemon.log");
        vigil = start(config, output);

        Await.until("the ready line", () -> read(output).contains("ready: "));
        String said = read(output);
        assertTrue(said.contains("baseline done: 2 entries"), said);
        String ready = said.lines().filter(l -> l.contains("ready: ")).findFirst().orElseThrow();
        assertTrue(ready.contains("watching [" + watched + "] ("), ready);
        assertTrue(ready.contains("following 1 log"), ready);
        assertTrue(ready.contains("checking 1 PID file and 0 required commands"), ready);
        assertTrue(ready.matches(".*channels: (console, file|file, console)$"), ready);
        assertTrue(said.indexOf("baseline done") < said.indexOf("ready: "), said);

        vigil.destroy();
        assertTrue(vigil.waitFor(120, TimeUnit.SECONDS), "SIGTERM stops the daemon");
        said = read(output);
        assertTrue(said.lines().anyMatch(l -> l.endsWith(" stopped")), said);
    }

    @Test
    void aSigtermDuringTheFirstBaselineEndsItAtOnceAndTheNextStartTakesItWhole() throws Exception {
        Path watched = Files.createDirectories(daemon.dir.resolve("watched"));
        Files.writeString(watched.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        // A sparse terabyte: its hash would take many minutes, so the baseline is still reading it when the stop comes.
        Path disk = watched.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(1L << 40);
        }
        Files.writeString(Files.createDirectories(daemon.dir.resolve("logs")).resolve("syslog"), "");
        Path config = daemon.config(Map.of("vigil.files.scan.cron", "0 0 0 1 1 ? 2099"));
        Path output = daemon.dir.resolve("daemon.log");
        vigil = start(config, output);

        Await.until("the first baseline to begin", () -> read(output).contains("taking the first baseline"));
        vigil.destroy();
        assertTrue(vigil.waitFor(120, TimeUnit.SECONDS), "SIGTERM stops the daemon");
        String said = read(output);
        assertTrue(said.contains("is left unfinished, as the daemon stops"), said);
        assertFalse(said.contains("baseline done"), said);
        assertFalse(said.contains("ready: "), said);
        assertTrue(said.contains("told to stop while starting"), said);
        assertTrue(said.lines().anyMatch(l -> l.endsWith(" stopped")), said);

        Files.delete(disk);
        Path again = daemon.dir.resolve("again.log");
        vigil = start(config, again);
        Await.until("the ready line", () -> read(again).contains("ready: "));
        assertTrue(read(again).contains("baseline done: 2 entries"), read(again));
    }

    @Test
    void whatWillFailIsSaidAtStartBeforeTheReadyLineAndTheDaemonRunsOn() throws Exception {
        Files.createDirectories(daemon.dir.resolve("watched"));
        Files.createDirectories(daemon.dir.resolve("alerts/alerts.ndjson"));
        Path config = daemon.config(Map.of("vigil.files.scan.cron", "0 0 0 1 1 ? 2099",
                "vigil.email.to", "root@example.org", "vigil.email.smtp", "smtp://no-such-host.invalid:25",
                "vigil.email.username", "vigil", "vigil.syslog.central.format", "3164"));
        Path output = daemon.dir.resolve("daemon.log");
        vigil = start(config, output);

        Await.until("the ready line", () -> read(output).contains("ready: "));
        String said = read(output);
        int ready = said.indexOf("ready: ");
        int host = said.indexOf("unknown host no-such-host.invalid");
        int file = said.indexOf("cannot write the alert file " + daemon.dir.resolve("alerts/alerts.ndjson"));
        assertTrue(host >= 0 && host < ready, said);
        assertTrue(file >= 0 && file < ready, said);
        int login = said.indexOf("vigil.email.username is set but vigil.email.password is empty");
        assertTrue(login >= 0 && login < ready, said);
        int off = said.indexOf("keys vigil.syslog.central.* are set but vigil.syslog.central.target is not: that receiver is off");
        assertTrue(off >= 0 && off < ready, said);
        assertTrue(said.substring(ready).lines().findFirst().orElseThrow().contains("email"), said);
        assertTrue(vigil.isAlive(), said);
    }

    private static Process start(Path config, Path output) throws java.io.IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.vigil.cli.VigilCommand",
                "run", "--config", config.toString(), "--routes", Path.of("routes").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package dev.vigil.cli;

import dev.vigil.camel.daemon.DaemonConfiguration;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short config file in an install without config/vigil.properties, as a new user writes it: {@code vigil config}
 * and {@code vigil run} on it.
 */
class ConfigCommandTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;
    private String savedHome;
    private final Path routes = Path.of("routes").toAbsolutePath();
    private final Path rules = Path.of("logrules").toAbsolutePath();

    @BeforeEach
    void install() {
        savedOut = System.out;
        savedErr = System.err;
        savedHome = System.getProperty("vigil.home");
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setProperty("vigil.home", home.toString());
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
        if (savedHome == null) {
            System.clearProperty("vigil.home");
        } else {
            System.setProperty("vigil.home", savedHome);
        }
    }

    private Path config(String text) throws Exception {
        return Files.writeString(home.resolve("my.properties"), text);
    }

    /** The three keys a user names: what to check, which rules, which log. */
    private Path threeKeys() throws Exception {
        Files.createDirectories(home.resolve("watched"));
        return config("vigil.files.areas=" + home.resolve("watched") + "\nvigil.logs.rules=" + rules
                + "\nvigil.logs.files=" + home.resolve("syslog") + "\n");
    }

    private int vigil(String... args) {
        out.reset();
        err.reset();
        var cl = VigilCommand.commandLine(args);
        cl.setErr(new java.io.PrintWriter(System.err, true));
        return cl.execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aConfigWithThreeKeysStartsTheDaemon() throws Exception {
        Path config = threeKeys();
        Main main = RunCommand.daemon(VigilHome.load(config), routes, new DaemonConfiguration());
        try {
            main.start();
            assertTrue(main.getCamelContext().getRouteController().getRouteStatus("files-check").isStarted());
            assertTrue(main.getCamelContext().getRouteController().getRouteStatus("logs-check").isStarted());
            assertTrue(Files.exists(home.resolve("data/vigil.db")), "the default database, in the install directory");
        } finally {
            main.stop();
        }
    }

    @Test
    void configShowsWhereEachValueCameFromAndTheHostName() throws Exception {
        Path config = threeKeys();

        assertEquals(0, vigil("config", "--config", config.toString()), err());

        assertTrue(out().contains("# built-in default\n"), out());
        assertTrue(out().contains("vigil.history.keep=90d\n"), out());
        assertTrue(out().contains("# " + config + ":2\nvigil.logs.rules=" + rules + "\n"), out());
        assertTrue(out().contains("vigil.host=" + InetAddress.getLocalHost().getHostName() + "\n"), out());
        assertTrue(out().contains("# this machine's name (vigil.host is empty)\n"), out());
    }

    @Test
    void aSystemPropertyOverridesTheFile() throws Exception {
        Path config = config("vigil.logs.level=workstation\n");
        System.setProperty("vigil.logs.level", "paranoid");
        try {
            assertEquals(0, vigil("config", "--config", config.toString()), err());
        } finally {
            System.clearProperty("vigil.logs.level");
        }
        assertTrue(out().contains("# -Dvigil.logs.level\nvigil.logs.level=paranoid\n"), out());
    }

    @Test
    void aMisspeltKeyIsRefusedByConfigAndByRun() throws Exception {
        Path config = config("vigil.logs.levle=paranoid\n");
        String problem = config + ":1: unknown configuration key 'vigil.logs.levle'";

        assertEquals(1, vigil("config", "--config", config.toString()));
        assertTrue(err().contains(problem), err());

        assertEquals(2, vigil("run", "--config", config.toString(), "--routes", routes.toString()));
        assertTrue(err().contains(problem), err());
    }

    @Test
    void aBadValueIsRefusedByConfigAndByRunNamingKeyValueAndLine() throws Exception {
        Path config = config("# mine\nvigil.files.scan.interval=5 minutes\n");
        String problem = config + ":2: vigil.files.scan.interval=5 minutes is not a duration";

        assertEquals(1, vigil("config", "--config", config.toString()));
        assertTrue(err().contains(problem), err());

        assertEquals(2, vigil("run", "--config", config.toString(), "--routes", routes.toString()));
        assertTrue(err().contains(problem), err());
        assertEquals(1, err().lines().count(), err());
    }
}

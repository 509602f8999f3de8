package dev.vigil.camel;

import dev.vigil.Stderr;
import dev.vigil.alert.Source;
import dev.vigil.alert.Report;
import dev.vigil.cli.VigilCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vigil test-alert} and {@code vigil config} on a real config file, with real HTTP receivers. */
class ChannelCommandsTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private HttpReceiver slack;
    private HttpReceiver webhook;

    @BeforeEach
    void setUp() throws Exception {
        savedOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        slack = new HttpReceiver(0);
        webhook = new HttpReceiver(0);
    }

    @AfterEach
    void tearDown() {
        System.setOut(savedOut);
        slack.close();
        webhook.close();
    }

    private int vigil(Map<String, String> config, String... args) throws Exception {
        Path file = daemon.config(config);
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = file.toString();
        out.reset();
        return VigilCommand.commandLine().execute(all);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private Map<String, String> channels() {
        return Map.of("vigil.slack.webhook", slack.url("/services/T1/B1/TestAlertToken"),
                "vigil.webhook.url", webhook.url("/hook"));
    }

    @Test
    void testAlertSaysPerChannelWhetherTheReportWasAccepted() throws Exception {
        slack.answer(500, Map.of());
        assertEquals(1, vigil(channels(), "test-alert"), out());
        assertTrue(out().lines().anyMatch(l -> l.matches("webhook +accepted")), out());
        assertTrue(out().lines().anyMatch(l -> l.matches("file +accepted")), out());
        assertTrue(out().lines().anyMatch(l -> l.matches("slack +FAILED: the receiver answered HTTP 500.*")), out());
        assertFalse(out().contains("TestAlertToken"), out());
        assertEquals(1, webhook.requests().size());
        assertEquals(Source.TEST, Report.fromJson(webhook.requests().get(0).body()).source());
    }

    @Test
    void testAlertCanTryOneChannel() throws Exception {
        assertEquals(0, vigil(channels(), "test-alert", "--channel", "webhook"), out());
        assertEquals(1, webhook.requests().size());
        assertEquals(0, slack.requests().size());
        assertEquals(2, vigil(channels(), "test-alert", "--channel", "email"), "email has no vigil.email.to");
    }

    @Test
    void testAlertTakesTheDatabaseNamedByDbOverTheConfiguredOne() throws Exception {
        Path db = daemon.dir.resolve("elsewhere/other.db");
        assertEquals(0, vigil(channels(), "test-alert", "--channel", "webhook", "--db", db.toString()), out());
        assertTrue(Files.exists(db), "the daemon it starts opened the database --db names");
        assertFalse(Files.exists(daemon.dir.resolve("vigil.db")), "the configured database was not touched");
    }

    @Test
    void aStartUpErrorQuotingTheSlackUrlDoesNotShowItsSecretPath() throws Exception {
        String shown = Stderr.during(() -> assertEquals(2,
                vigil(Map.of("vigil.slack.webhook", "htps://hooks.slack.com/services/T1/B1/TypoToken"), "test-alert")));
        assertTrue(shown.contains("No endpoint could be found for: ****"), shown);
        assertFalse(shown.contains("TypoToken"), shown);
    }

    @Test
    void configShowsEffectiveValuesWithSecretsMasked() throws Exception {
        assertEquals(0, vigil(Map.of("vigil.email.password", "hunter2-secret",
                "vigil.slack.webhook", "https://hooks.slack.com/services/T1/B1/XyzSecretPath",
                "vigil.webhook.url", "https://siem.example.org/in?token=QueryToken",
                "vigil.webhook.secret", "{{env:VIGIL_TEST_SURELY_UNSET:from-env-default}}"), "config"));
        String shown = out();
        for (String secret : new String[] {"hunter2-secret", "XyzSecretPath", "QueryToken", "from-env-default"}) {
            assertFalse(shown.contains(secret), secret + " shown in:\n" + shown);
        }
        assertTrue(shown.contains("vigil.email.password=****\n"), shown);
        assertTrue(shown.contains("vigil.slack.webhook=https://hooks.slack.com/****\n"), shown);
        assertTrue(shown.contains("vigil.webhook.url=https://siem.example.org/in?****\n"), shown);
        assertTrue(shown.contains("vigil.webhook.secret=****\n"), shown);
        assertTrue(shown.contains("vigil.host=test-host\n"), shown);
        assertTrue(shown.contains("slack") && shown.contains("webhook"), shown);
    }
}

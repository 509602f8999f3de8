package dev.vigil.camel;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vigil.alert.Details;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.store.Outbox;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The email channel of routes/channels.yaml delivering to a real SMTP server (GreenMail, with a login). GreenMail
 * offers no STARTTLS, which shows the other half: with vigil.email.starttls=true nothing goes out in the clear.
 */
class MailChannelTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("vigil@example.org", "vigil", "s3cret-pass"));

    @TempDir
    Path dir;

    private TestDaemon daemon;

    @BeforeEach
    void daemon() {
        daemon = new TestDaemon(dir);
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    private Main start(String starttls) throws Exception {
        return daemon.start(Map.of("vigil.email.to", "ops@example.org", "vigil.email.from", "vigil@example.org",
                "vigil.email.smtp", "smtp://127.0.0.1:" + SMTP.getSmtp().getPort(),
                "vigil.email.username", "vigil", "vigil.email.password", "s3cret-pass", "vigil.email.starttls", starttls));
    }

    @Test
    void oneReportIsOneMailWithSubjectTextAndHtmlGroupedByKind() throws Exception {
        Main main = start("false");
        ProducerTemplate template = main.getCamelContext().createProducerTemplate();
        template.sendBody("direct:report", modified("/etc/hosts", 1024, 1088));
        template.sendBody("direct:report", new Finding("files", "ADDED", "/usr/bin/evil", "test-host", daemon.now(),
                Severity.WARNING, Map.of(Details.AFTER, Map.of("mode", "4755"))));
        template.sendBody("direct:report", modified("/etc/motd", 10, 20));
        daemon.advance(Duration.ofSeconds(15));

        assertTrue(SMTP.waitForIncomingEmail(20_000, 1), "a mail arrives");
        TestDaemon.await("the delivery marked", () -> TestDaemon.outbox(main).list(false, 10).stream()
                .anyMatch(d -> d.channel().equals("email") && d.status() == Outbox.Status.DELIVERED));
        MimeMessage[] mails = SMTP.getReceivedMessages();
        assertEquals(1, mails.length, "three findings, one report, one mail");
        MimeMessage mail = mails[0];
        assertEquals("[vigil] test-host: 3 file changes", mail.getSubject());
        assertEquals("ops@example.org", mail.getAllRecipients()[0].toString());
        assertTrue(mail.getContentType().startsWith("multipart/alternative"), mail.getContentType());

        Multipart parts = (Multipart) mail.getContent();
        assertEquals(2, parts.getCount());
        BodyPart text = parts.getBodyPart(0);
        BodyPart html = parts.getBodyPart(1);
        assertTrue(text.isMimeType("text/plain"), text.getContentType());
        assertTrue(html.isMimeType("text/html"), html.getContentType());

        String plain = (String) text.getContent();
        int modifiedAt = plain.indexOf("Modified (2)");
        int addedAt = plain.indexOf("Added (1)");
        assertTrue(modifiedAt >= 0 && addedAt >= 0, plain);
        assertTrue(plain.indexOf("/etc/hosts") > modifiedAt && plain.indexOf("/etc/motd") > modifiedAt, plain);
        assertTrue(plain.contains("1024 -> 1088"), "attributes before -> after:\n" + plain);
        String markup = (String) html.getContent();
        assertTrue(markup.contains("<code>/usr/bin/evil</code>"), markup);
        assertTrue(markup.contains("Modified (2)"), markup);
    }

    @Test
    void withStarttlsRequiredAServerThatDoesNotOfferItGetsNothingAndTheReportWaits() throws Exception {
        Main main = start("true"); // GreenMail's SMTP offers no STARTTLS
        main.getCamelContext().createProducerTemplate().sendBody("direct:report", new Finding("files", "MODIFIED",
                "/etc/shadow", "test-host", daemon.now(), Severity.CRITICAL, Map.of()));
        TestDaemon.await("the refused attempt", () -> TestDaemon.outbox(main).list(false, 10).stream()
                .anyMatch(d -> d.channel().equals("email") && d.attempts() > 0));
        Outbox.Delivery d = TestDaemon.outbox(main).list(false, 10).stream().filter(x -> x.channel().equals("email"))
                .findFirst().orElseThrow();
        assertEquals(Outbox.Status.PENDING, d.status());
        assertTrue(d.lastError().contains("STARTTLS"), d.lastError());
        assertFalse(d.lastError().contains("s3cret-pass"), d.lastError());
        assertEquals(0, SMTP.getReceivedMessages().length, "nothing sent in the clear");
    }

    private Finding modified(String path, long sizeBefore, long sizeAfter) {
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("size", sizeBefore);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("size", sizeAfter);
        return new Finding("files", "MODIFIED", path, "test-host", daemon.now(), Severity.WARNING,
                Map.of(Details.BEFORE, before, Details.AFTER, after));
    }
}

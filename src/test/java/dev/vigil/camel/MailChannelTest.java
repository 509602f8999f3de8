package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.Await;

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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The email channel of routes/channels.yaml delivering to real SMTP servers (GreenMail): with and without a
 * login, over SMTPS checked against a trust store, and through a copied route with keys of its own. GreenMail
 * offers no STARTTLS, which shows the other half: with vigil.email.starttls=true nothing goes out in the clear.
 */
class MailChannelTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("vigil@example.org", "vigil", "s3cret-pass"));

    /** The receiver of a copied email route, with a login of its own. */
    @RegisterExtension
    static final GreenMailExtension SECURITY_TEAM = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@example.org", "alerts", "other-pass"));

    /** TLS from the first byte, with the certificate {@link #certificates} makes. */
    @RegisterExtension
    static final GreenMailExtension SMTPS = new GreenMailExtension(ServerSetupTest.SMTPS.dynamicPort());

    private static final String STORE_PASSWORD = "changeit";

    @TempDir
    static Path keys;

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    /**
     * A server key whose certificate names 127.0.0.1 (GreenMail's own names no host, so a client that checks the
     * server's name, as ours does, refuses it), and a trust store holding just that certificate. GreenMail reads
     * its key store once per JVM, when its first TLS server starts, which is after this.
     */
    @BeforeAll
    static void certificates() throws Exception {
        Path server = keys.resolve("server.p12");
        TestCertificate.make("ip:127.0.0.1", server, STORE_PASSWORD, keys.resolve("trust.p12"), STORE_PASSWORD);
        System.setProperty("greenmail.tls.keystore.file", server.toString());
        System.setProperty("greenmail.tls.keystore.password", STORE_PASSWORD);
        System.setProperty("greenmail.tls.key.password", STORE_PASSWORD);
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
        template.sendBody("direct:report", new Finding(Source.FILES, "ADDED", "/usr/bin/evil", "test-host", daemon.now(),
                Severity.WARNING, Map.of(Details.AFTER, Map.of("mode", "4755"))));
        template.sendBody("direct:report", modified("/etc/motd", 10, 20));
        daemon.advance(Duration.ofSeconds(15));

        assertTrue(SMTP.waitForIncomingEmail(20_000, 1), "a mail arrives");
        Await.until("the delivery marked", () -> TestDaemon.outbox(main).list(false, 10).stream()
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
    void aTenMegabyteLogLineArrivesCutWithItsMarkerAndTheNextReportArrivesToo() throws Exception {
        Main main = start("false");
        daemon.longLogLine(main);
        assertTrue(SMTP.waitForIncomingEmail(60_000, 1), "the long line's mail");
        daemon.criticalFinding(main, "/etc/after-the-long-line");
        assertTrue(SMTP.waitForIncomingEmail(60_000, 2), "the mail behind it");

        MimeMessage[] mails = SMTP.getReceivedMessages();
        Multipart parts = (Multipart) mails[0].getContent();
        String plain = (String) parts.getBodyPart(0).getContent();
        String markup = (String) parts.getBodyPart(1).getContent();
        assertTrue(plain.contains("Nov 22 01:00:00 web app[1]: xxx"), plain.substring(0, 300));
        assertTrue(plain.contains("x" + TestDaemon.LONG_LINE_MARKER), "the line cut with its marker");
        assertTrue(markup.contains("x" + TestDaemon.LONG_LINE_MARKER), "the line cut with its marker");
        assertTrue(plain.length() < 8192 && markup.length() < 8192, plain.length() + " and " + markup.length() + " chars");
        assertTrue(((String) ((Multipart) mails[1].getContent()).getBodyPart(0).getContent())
                .contains("/etc/after-the-long-line"));
    }

    /**
     * A report whose mail would pass the receiver's maxBytes (its server's limit: a larger message is refused for
     * good) arrives within it, listing the findings it has room for and counting the rest. Names not in ASCII, which
     * the mail's encoding makes longest: as sent, the mail would be some 3 MB.
     */
    @Test
    void aReportTooLargeForTheReceiversMaxBytesArrivesWithinItCountingTheFindingsItDoesNotList() throws Exception {
        Main main = daemon.start(Map.of("vigil.email.to", "ops@example.org", "vigil.email.smtp",
                "smtp://127.0.0.1:" + SMTP.getSmtp().getPort(), "vigil.email.username", "vigil",
                "vigil.email.password", "s3cret-pass", "vigil.email.maxBytes", "1MB"));
        ProducerTemplate template = main.getCamelContext().createProducerTemplate();
        for (int i = 0; i < 150; i++) {
            template.sendBody("direct:report", new Finding(Source.FILES, "ADDED", "/srv/" + i + "/" + "\u00e9".repeat(4000),
                    "test-host", daemon.now(), Severity.WARNING, Map.of()));
        }
        daemon.advance(Duration.ofSeconds(15));

        assertTrue(SMTP.waitForIncomingEmail(60_000, 1), "a mail arrives");
        MimeMessage mail = SMTP.getReceivedMessages()[0];
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        mail.writeTo(sent);
        assertTrue(sent.size() <= 1 << 20, sent.size() + " bytes");
        Multipart parts = (Multipart) mail.getContent();
        for (int part = 0; part < 2; part++) {
            String body = (String) parts.getBodyPart(part).getContent();
            assertTrue(body.contains("/srv/0/\u00e9") && !body.contains("/srv/149/"), "the first findings listed");
            assertTrue(body.matches("(?s).*and \\d+ more findings not shown here.*"), "the others counted");
        }
    }

    @Test
    void withStarttlsRequiredAServerThatDoesNotOfferItGetsNothingAndTheReportWaits() throws Exception {
        Main main = start("true"); // GreenMail's SMTP offers no STARTTLS
        main.getCamelContext().createProducerTemplate().sendBody("direct:report", new Finding(Source.FILES, "MODIFIED",
                "/etc/shadow", "test-host", daemon.now(), Severity.CRITICAL, Map.of()));
        Await.until("the refused attempt", () -> TestDaemon.outbox(main).list(false, 10).stream()
                .anyMatch(d -> d.channel().equals("email") && d.attempts() > 0));
        Outbox.Delivery d = TestDaemon.outbox(main).list(false, 10).stream().filter(x -> x.channel().equals("email"))
                .findFirst().orElseThrow();
        assertEquals(Outbox.Status.PENDING, d.status());
        assertTrue(d.lastError().contains("STARTTLS"), d.lastError());
        assertFalse(d.lastError().contains("s3cret-pass"), d.lastError());
        assertEquals(0, SMTP.getReceivedMessages().length, "nothing sent in the clear");
    }

    @Test
    void overSmtpsTheServerCertifiedByTheTrustStoreGetsTheMailWithNoLogin() throws Exception {
        Main main = daemon.start(Map.of("vigil.email.to", "ops@example.org", "vigil.email.from", "vigil@example.org",
                "vigil.email.smtp", "smtps://127.0.0.1:" + SMTPS.getSmtps().getPort(),
                "vigil.email.truststore", keys.resolve("trust.p12").toString(),
                "vigil.email.truststore.password", STORE_PASSWORD));
        critical(main, "/etc/sudoers");

        assertTrue(SMTPS.waitForIncomingEmail(20_000, 1), "a mail arrives over TLS");
        assertEquals("[vigil] test-host: 1 file change", SMTPS.getReceivedMessages()[0].getSubject());
        Await.until("the delivery marked", () -> delivery(main, "email").status() == Outbox.Status.DELIVERED);
    }

    @Test
    void overSmtpsAServerTheTrustStoreDoesNotCertifyGetsNothingAndTheReportWaits() throws Exception {
        Main main = daemon.start(Map.of("vigil.email.to", "ops@example.org", "vigil.email.from", "vigil@example.org",
                "vigil.email.smtp", "smtps://127.0.0.1:" + SMTPS.getSmtps().getPort())); // the JVM's trust store
        critical(main, "/etc/sudoers");

        Await.until("the refused attempt", () -> delivery(main, "email").attempts() > 0);
        assertEquals(Outbox.Status.PENDING, delivery(main, "email").status());
        assertEquals(0, SMTPS.getReceivedMessages().length, "nothing sent to an unverified server");
    }

    @Test
    void overSmtpsACertificateThatDoesNotNameTheHostIsRefused() throws Exception {
        Assumptions.assumeTrue(InetAddress.getByName("localhost").getHostAddress().equals("127.0.0.1"),
                "localhost must reach GreenMail on 127.0.0.1 for the name check to be what refuses it");
        Main main = daemon.start(Map.of("vigil.email.to", "ops@example.org", "vigil.email.from", "vigil@example.org",
                "vigil.email.smtp", "smtps://localhost:" + SMTPS.getSmtps().getPort(), // the certificate names 127.0.0.1
                "vigil.email.truststore", keys.resolve("trust.p12").toString(),
                "vigil.email.truststore.password", STORE_PASSWORD));
        critical(main, "/etc/sudoers");

        Await.until("the refused attempt", () -> delivery(main, "email").attempts() > 0);
        assertEquals(Outbox.Status.PENDING, delivery(main, "email").status());
        assertTrue(delivery(main, "email").lastError().contains("localhost"), delivery(main, "email").lastError());
        assertEquals(0, SMTPS.getReceivedMessages().length, "nothing sent to a server that may be another");
    }

    @Test
    void withNoUserNameTheMailIsSentWithoutLoggingIn() throws Exception {
        Main main = daemon.start(Map.of("vigil.email.to", "ops@example.org", "vigil.email.from", "vigil@example.org",
                "vigil.email.smtp", "smtp://127.0.0.1:" + SMTP.getSmtp().getPort()));
        critical(main, "/etc/sudoers");

        assertTrue(SMTP.waitForIncomingEmail(20_000, 1), "a mail arrives");
        Await.until("the delivery marked", () -> delivery(main, "email").status() == Outbox.Status.DELIVERED);
    }

    @Test
    void aSecondMailReceiverFromTheTemplateWithItsOwnKeysGetsItsOwnMail() throws Exception {
        daemon.addChannels("""

                - templatedRoute:
                    routeTemplateRef: email
                    routeId: channel-email-security
                    parameters:
                      - name: keys
                        value: vigil.email.security
                """);
        Main main = daemon.start(Map.of("vigil.email.to", "ops@example.org", "vigil.email.from", "vigil@example.org",
                "vigil.email.smtp", "smtp://127.0.0.1:" + SMTP.getSmtp().getPort(),
                "vigil.email.security.to", "soc@example.org", "vigil.email.security.from", "alerts@example.org",
                "vigil.email.security.smtp", "smtp://127.0.0.1:" + SECURITY_TEAM.getSmtp().getPort(),
                "vigil.email.security.username", "alerts", "vigil.email.security.password", "other-pass",
                "vigil.email.security.starttls", "false"));
        critical(main, "/etc/shadow");

        assertTrue(SECURITY_TEAM.waitForIncomingEmail(20_000, 1), "the copy's receiver gets the mail");
        assertTrue(SMTP.waitForIncomingEmail(20_000, 1), "the first receiver gets it too");
        MimeMessage mail = SECURITY_TEAM.getReceivedMessages()[0];
        assertEquals("soc@example.org", mail.getAllRecipients()[0].toString());
        assertEquals("alerts@example.org", mail.getFrom()[0].toString());
        Await.until("both deliveries marked", () -> delivery(main, "email-security").status() == Outbox.Status.DELIVERED
                && delivery(main, "email").status() == Outbox.Status.DELIVERED);
        assertEquals("ops@example.org", SMTP.getReceivedMessages()[0].getAllRecipients()[0].toString());
    }

    private void critical(Main main, String path) {
        main.getCamelContext().createProducerTemplate().sendBody("direct:report",
                new Finding(Source.FILES, "MODIFIED", path, "test-host", daemon.now(), Severity.CRITICAL, Map.of()));
    }

    private static Outbox.Delivery delivery(Main main, String channel) {
        return TestDaemon.outbox(main).list(false, 10).stream().filter(d -> d.channel().equals(channel))
                .findFirst().orElseThrow();
    }

    private Finding modified(String path, long sizeBefore, long sizeAfter) {
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("size", sizeBefore);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("size", sizeAfter);
        return new Finding(Source.FILES, "MODIFIED", path, "test-host", daemon.now(), Severity.WARNING,
                Map.of(Details.BEFORE, before, Details.AFTER, after));
    }
}

package dev.vigil.camel.channel;

import dev.vigil.alert.HtmlRenderer;
import dev.vigil.alert.Report;
import dev.vigil.alert.SubjectLine;
import dev.vigil.alert.TextRenderer;
import dev.vigil.alert.WebhookSigner;
import dev.vigil.config.Sizes;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.mail.MailAuthenticator;
import org.apache.camel.component.mail.MailConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code mailDelivery} bean: the step before camel-mail in the email channel route: one mail per report, the subject from
 * {@link SubjectLine}, the HTML body with the plain text as its alternative (camel-mail then sends
 * {@code multipart/alternative}, text first), and an {@code X-Vigil-Id} header with the report id.
 *
 * <p>A mail server refuses a message above its size limit for good (Postfix: 10 MB by default, some relays 1 or
 * 2 MB), and a report's size is not the host's to choose: anyone can write log lines or file names enough to fill
 * one. So the bodies are made to fit the receiver's {@code maxBytes} as Jakarta Mail will encode them (quoted-printable
 * triples a byte that is not plain ASCII, base64 adds a third), listing fewer findings and counting the rest.
 */
public final class MailDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(MailDelivery.class);

    /** The exchange property holding the receiver's {@code maxBytes}, a size ({@link Sizes}). */
    public static final String MAX_BYTES = "vigilMailMaxBytes";
    /**
     * What the bodies leave of {@code maxBytes} for the rest of the mail: its headers (a subject of up to 4,096
     * characters, encoded; the recipients) and the MIME framing.
     */
    static final int HEADER_ROOM = 64 << 10;
    /** The fewest characters of findings a body lists: below, it lists none, only the headings and counts. */
    static final int FEWEST_CHARS = 4096;
    /** How many times the bodies are made again, each smaller, to fit; the last lists no finding. */
    private static final int FITTING_TRIES = 8;

    /** A mail's plain-text body and its HTML alternative. */
    record Bodies(String text, String html) {
    }

    public void prepare(Exchange exchange) {
        Report report = exchange.getMessage().getBody(Report.class);
        Bodies bodies = fitting(report, Sizes.bytes(exchange.getProperty(MAX_BYTES, String.class)));
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader("Subject", new SubjectLine().render(report));
        m.setHeader(WebhookSigner.ID, report.id());
        m.setHeader(MailConstants.MAIL_ALTERNATIVE_BODY, bodies.text());
        m.setBody(bodies.html());
    }

    /**
     * The report's bodies, together at most {@code maxBytes} less {@link #HEADER_ROOM} once encoded: made again, each
     * time listing fewer characters of findings, in proportion to how far they passed, until they fit; at last listing
     * none (each finding counted). Bodies that list none and still do not fit (a report of thousands of kinds, each a
     * heading) are sent as they are, with a warning: the server may refuse them.
     */
    static Bodies fitting(Report report, long maxBytes) {
        long room = maxBytes - HEADER_ROOM;
        Bodies bodies = new Bodies(new TextRenderer().render(report), new HtmlRenderer().render(report));
        int chars = Integer.MAX_VALUE;
        for (int tries = 1; ; tries++) {
            long size = encodedSize(bodies.text(), "text/plain") + encodedSize(bodies.html(), "text/html");
            if (size <= room) {
                return bodies;
            }
            if (chars == 0) {
                LOG.warn("report {}: its mail is {} bytes listing no finding, above maxBytes {}; sent as it is",
                        report.id(), size + HEADER_ROOM, maxBytes);
                return bodies;
            }
            int longest = Math.max(bodies.text().length(), bodies.html().length());
            // never more than the last try, which one finding larger than the rest together could otherwise make
            chars = (int) Math.min(chars - 1L, (long) (longest * 0.9 * room / size));
            if (chars < FEWEST_CHARS || tries == FITTING_TRIES - 1) {
                chars = 0;
            }
            bodies = new Bodies(new TextRenderer(chars).render(report), new HtmlRenderer(chars).render(report));
        }
    }

    /**
     * The bytes of {@code body} as Jakarta Mail sends it: UTF-8, in the transfer encoding it would choose (a line of
     * 7bit text ends in CR LF on the wire; the other encodings write their own).
     */
    static long encodedSize(String body, String type) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        CountedBytes counted = new CountedBytes();
        try {
            String encoding = MimeUtility.getEncoding(new ByteArrayDataSource(bytes, type + "; charset=UTF-8"));
            try (OutputStream encoder = MimeUtility.encode(counted, encoding)) {
                encoder.write(bytes);
            }
            if (encoding.equals("7bit")) {
                counted.count += body.chars().filter(c -> c == '\n').count();
            }
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("cannot measure a mail body: " + e.getMessage(), e);
        }
        return counted.count;
    }

    /** An output stream that only counts what is written to it. */
    private static final class CountedBytes extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /**
     * The {@code mailAuthenticator} bean: {@code vigil.email.username} and {@code .password}, or no login at all
     * when the user name is empty (camel-mail would otherwise try to log in with an empty name).
     */
    public static MailAuthenticator authenticator(String username, String password) {
        boolean login = username != null && !username.isBlank();
        return new MailAuthenticator() {
            @Override
            public PasswordAuthentication getPasswordAuthentication() {
                return login ? new PasswordAuthentication(username.strip(), password == null ? "" : password)
                        : new PasswordAuthentication(null, null);
            }

            @Override
            public String toString() {
                return login ? "MailAuthenticator[" + username.strip() + ", password=****]" : "MailAuthenticator[none]";
            }
        };
    }
}

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

    /** The exchange property holding the receiver's {@code maxBytes}, a size ({@link Sizes}). */
    public static final String MAX_BYTES = "vigilMailMaxBytes";
    /**
     * What the bodies leave of {@code maxBytes} for the rest of the mail: its headers (a subject of up to 4,096
     * characters, encoded; the recipients) and the MIME framing.
     */
    static final int HEADER_ROOM = 64 << 10;
    /** The fewest characters a body is cut to, however small {@code maxBytes}: its headings and counts go anyway. */
    static final int FEWEST_CHARS = 4096;
    /** How many times the bodies are made again, each smaller, to fit. */
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
     * time with fewer characters in proportion to how far they passed, until they fit (or are down to
     * {@link #FEWEST_CHARS}).
     */
    static Bodies fitting(Report report, long maxBytes) {
        long room = maxBytes - HEADER_ROOM;
        Bodies bodies = new Bodies(new TextRenderer().render(report), new HtmlRenderer().render(report));
        int chars = 0;
        for (int tries = 1; ; tries++) {
            long size = encodedSize(bodies.text(), "text/plain") + encodedSize(bodies.html(), "text/html");
            int longest = Math.max(bodies.text().length(), bodies.html().length());
            int fewer = (int) Math.max(FEWEST_CHARS, longest * 0.9 * room / size);
            if (size <= room || fewer == chars || tries == FITTING_TRIES) {
                return bodies;
            }
            chars = fewer;
            bodies = new Bodies(new TextRenderer(chars).render(report), new HtmlRenderer(chars).render(report));
        }
    }

    /** The bytes of {@code body} as Jakarta Mail sends it: UTF-8, in the transfer encoding it would choose. */
    static long encodedSize(String body, String type) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        CountedBytes counted = new CountedBytes();
        try (OutputStream encoder = MimeUtility.encode(counted, MimeUtility.getEncoding(
                new ByteArrayDataSource(bytes, type + "; charset=UTF-8")))) {
            encoder.write(bytes);
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

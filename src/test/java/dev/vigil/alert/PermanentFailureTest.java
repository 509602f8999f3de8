package dev.vigil.alert;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import org.apache.camel.RuntimeCamelException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which failures the outbox gives up at once: the exceptions are those Jakarta Mail, Netty and the HTTP check
 * raise, wrapped as Camel hands them over.
 */
class PermanentFailureTest {

    @Test
    void anSmtp5xxReplyIsPermanentAndA4xxIsNot() throws Exception {
        SMTPAddressFailedException unknownUser = new SMTPAddressFailedException(new InternetAddress("ops@example.org"),
                "RCPT TO:<ops@example.org>", 550, "550 5.1.1 no such user");
        SendFailedException sendFailed = new SendFailedException("Invalid Addresses", unknownUser);
        assertTrue(PermanentFailure.isPermanent(new RuntimeCamelException(sendFailed)));

        SMTPSendFailedException tooBig = new SMTPSendFailedException("DATA", 552, "552 5.3.4 message too big",
                null, null, null, null);
        assertTrue(PermanentFailure.isPermanent(new RuntimeCamelException(tooBig)));

        SMTPSendFailedException busy = new SMTPSendFailedException("DATA", 451, "451 4.3.0 try again later",
                null, null, null, null);
        assertFalse(PermanentFailure.isPermanent(new RuntimeCamelException(busy)));
        assertFalse(PermanentFailure.isPermanent(new MessagingException("Could not connect to SMTP host")));
    }

    @Test
    void aDatagramTooLongAndAnHttpRefusalArePermanentAReceiverDownIsNot() {
        assertTrue(PermanentFailure.isPermanent(new RuntimeCamelException(new IOException("Message too long"))));
        assertTrue(PermanentFailure.isPermanent(new PermanentFailure("the receiver answered HTTP 400")));
        assertFalse(PermanentFailure.isPermanent(new IllegalStateException("the receiver answered HTTP 503")));
        assertFalse(PermanentFailure.isPermanent(new RuntimeCamelException(new IOException("Connection refused"))));
    }

    /** Rendering depends on the report alone: a report its renderer fails on would fail again at every retry. */
    @Test
    void aReportThatCannotBeRenderedIsPermanent() {
        ReportRenderer<String> failing = report -> {
            throw new NumberFormatException("For input string: \"99999999999999999999\"");
        };
        PermanentFailure failure = assertThrows(PermanentFailure.class, () -> failing.render(Samples.report(Samples.modified("/etc/hosts"))));
        assertTrue(PermanentFailure.isPermanent(new RuntimeCamelException(failure)));
        assertTrue(failure.getMessage().contains("99999999999999999999"), failure.getMessage());
    }
}

package dev.vigil.camel.channel;

import dev.vigil.alert.HtmlRenderer;
import dev.vigil.alert.Report;
import dev.vigil.alert.SubjectLine;
import dev.vigil.alert.TextRenderer;
import dev.vigil.alert.WebhookSigner;
import jakarta.mail.PasswordAuthentication;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.mail.MailAuthenticator;
import org.apache.camel.component.mail.MailConstants;

/**
 * The {@code mailDelivery} bean: the step before camel-mail in the email channel route: one mail per report, the subject from
 * {@link SubjectLine}, the HTML body with the plain text as its alternative (camel-mail then sends
 * {@code multipart/alternative}, text first), and an {@code X-Vigil-Id} header with the report id.
 */
public final class MailDelivery {


    public void prepare(Exchange exchange) {
        Report report = exchange.getMessage().getBody(Report.class);
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader("Subject", new SubjectLine().render(report));
        m.setHeader(WebhookSigner.ID, report.id());
        m.setHeader(MailConstants.MAIL_ALTERNATIVE_BODY, new TextRenderer().render(report));
        m.setBody(new HtmlRenderer().render(report));
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

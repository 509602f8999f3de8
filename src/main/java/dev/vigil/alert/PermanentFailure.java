package dev.vigil.alert;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A delivery the receiver refused for good, or a report its channel cannot render ({@link ReportRenderer#render}):
 * sending the same report again can only fail again, so the outbox gives it up at once (listed by {@code vigil
 * outbox --failed}, re-queued by {@code vigil outbox retry}) instead of retrying it for {@code
 * vigil.alerts.retry.maxAge} while the channel's later reports wait behind it.
 */
public final class PermanentFailure extends RuntimeException {

    public PermanentFailure(String message) {
        super(message);
    }

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether {@code failure} (or a cause) is permanent: a {@link PermanentFailure} (an HTTP 4xx other than 408
     * and 429, a report that cannot be rendered), an SMTP 5xx reply, or a datagram too long for the socket
     * ({@code EMSGSIZE}).
     */
    public static boolean isPermanent(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof PermanentFailure) {
                return true;
            }
            int smtp = t instanceof SMTPSendFailedException e ? e.getReturnCode()
                    : t instanceof SMTPAddressFailedException e ? e.getReturnCode()
                    : t instanceof SMTPSenderFailedException e ? e.getReturnCode() : 0;
            if (smtp >= 500 && smtp < 600) {
                return true;
            }
            if ("Message too long".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }
}

package dev.vigil.alert;

/**
 * Turns a report into what one channel sends. Each format is its own small class (AIDE's
 * {@code report_*.c} shape): {@link SubjectLine}, {@link TextRenderer}, {@link HtmlRenderer},
 * {@link SlackRenderer}, {@link SyslogRenderer} and {@link EcsRenderer}. Renderers are stateless and
 * thread-safe; transport is the Camel route's business.
 *
 * @param <T> what the channel sends: a string, or one syslog message per finding
 */
public interface ReportRenderer<T> {

    /**
     * What the channel sends for {@code report} ({@link #format}). A failure here is permanent ({@link
     * PermanentFailure}): rendering depends on the report alone, so a report that fails once fails every time, and
     * retried it would hold up its channel lane's later reports for {@code vigil.alerts.retry.maxAge}; a finding's
     * text is hostile input (a log line anyone can write).
     */
    default T render(Report report) {
        try {
            return format(report);
        } catch (PermanentFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PermanentFailure("the report cannot be rendered: " + e, e);
        }
    }

    /** What the channel sends for {@code report}, as this renderer makes it. */
    T format(Report report);
}

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

    T render(Report report);
}

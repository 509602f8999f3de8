package dev.vigil.alert;

import dev.vigil.text.Printable;

/**
 * The mail subject (and Slack fallback text): {@code [vigil] HOST: 3 file changes, 1 log event}, counts per
 * source, zero counts left out, always one line.
 */
public final class SubjectLine implements ReportRenderer<String> {

    @Override
    public String format(Report report) {
        return "[vigil] " + Printable.of(report.host()) + ": " + Outline.summary(report);
    }
}

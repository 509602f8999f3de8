package dev.vigil.alert;

import dev.vigil.text.Printable;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The plain-text mail body, laid out for a terminal mail client: one part per source, findings grouped by
 * kind, file attributes as {@code before -> after}, and log lines under logcheck's own headings
 * ("Security Alerts for sshd" over an {@code =-=-} rule) so logcheck users find what they know.
 * Control characters in paths and log lines are shown as escapes, never sent to the terminal.
 * ASCII arrows keep the layout intact in terminals without a Unicode font. A long subject is cut with a marker,
 * and findings beyond the body's size bound are counted rather than listed (see {@link Outline#MAIL_BODY_CHARS}; a
 * mail receiver's {@code maxBytes} may ask for less).
 */
public final class TextRenderer implements ReportRenderer<String> {

    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final int bodyChars;

    /** A body of about {@link Outline#MAIL_BODY_CHARS} characters at most. */
    public TextRenderer() {
        this(Outline.MAIL_BODY_CHARS);
    }

    /** A body that lists findings while it holds at most {@code bodyChars} characters, and counts the rest. */
    public TextRenderer(int bodyChars) {
        this.bodyChars = bodyChars;
    }

    @Override
    public String format(Report report) {
        StringBuilder out = new StringBuilder();
        out.append("Vigil report from ").append(Printable.of(report.host())).append(": ")
                .append(Outline.summary(report)).append('\n');
        out.append("Closed ").append(TIME.format(report.created())).append(", report ").append(report.id())
                .append('\n');
        long omitted = 0;
        for (Outline.Part part : Outline.parts(report)) {
            out.append('\n');
            underline(out, part.title().toUpperCase(Locale.ROOT) + " (" + part.counted() + ")", "=");
            for (Outline.Group group : part.groups()) {
                out.append('\n');
                boolean logs = part.source() == Source.LOGS;
                underline(out, part.heading(group), logs ? "=-" : "-");
                for (Finding f : group.findings()) {
                    if (out.length() > bodyChars) {
                        omitted += f.standsFor();
                    } else if (logs) {
                        logLine(out, f);
                    } else {
                        finding(out, f);
                    }
                }
            }
            busiest(out, part, report);
        }
        if (omitted > 0) {
            out.append('\n').append(Outline.omitted(omitted, report)).append('\n');
        }
        return out.toString();
    }

    /** A burst's directories with their counts, then how many findings the part did not list. */
    private static void busiest(StringBuilder out, Outline.Part part, Report report) {
        if (part.busiest().isEmpty()) {
            return;
        }
        out.append('\n');
        underline(out, part.burstHeading(), "-");
        List<String> directories = part.busiest().stream()
                .map(d -> Printable.of(Truncated.toChars(d.directory(), Outline.MAIL_SUBJECT_CHARS))).toList();
        int width = 0;
        for (String directory : directories) {
            width = Math.max(width, Math.min(ALIGNED_NAME, directory.length()));
        }
        for (int i = 0; i < directories.size(); i++) {
            String directory = directories.get(i);
            out.append(directory).append(" ".repeat(Math.max(2, width - directory.length() + 2)))
                    .append(Printable.of(part.busiest().get(i).counts())).append('\n');
        }
        if (part.unlisted() > 0) {
            out.append('\n').append(part.unlistedLine(report)).append('\n');
        }
    }

    private static void logLine(StringBuilder out, Finding f) {
        out.append(subject(f)).append(marker(f)).append('\n');
        details(out, Outline.detailRows(f, "->"));
    }

    private static void finding(StringBuilder out, Finding f) {
        out.append(subject(f)).append(marker(f)).append('\n');
        details(out, Outline.detailRows(f, "->"));
    }

    /** The rows of a finding's details, their values aligned after names of up to {@value #ALIGNED_NAME} chars. */
    private static void details(StringBuilder out, Outline.DetailRows details) {
        int width = 0;
        for (Outline.DetailRow row : details.rows()) {
            width = Math.max(width, Math.min(ALIGNED_NAME, row.name().length()));
        }
        for (Outline.DetailRow row : details.rows()) {
            String name = Printable.of(row.name());
            out.append("    ").append(name).append(" ".repeat(Math.max(2, width - name.length() + 2)))
                    .append(Printable.of(row.value())).append('\n');
        }
        if (details.more() > 0) {
            out.append("    ").append(details.moreLine()).append('\n');
        }
    }

    /**
     * The longest detail name the values are aligned after: a longer one is followed by two spaces, so a name of any
     * length costs its own length, not that times every row.
     */
    private static final int ALIGNED_NAME = 32;

    private static String subject(Finding f) {
        return Printable.of(Truncated.toChars(f.subject(), Outline.MAIL_SUBJECT_CHARS));
    }

    private static String marker(Finding f) {
        return f.critical() ? "  [CRITICAL]" : "";
    }

    /** The heading and a rule as long as it, repeating {@code pattern} as logcheck's {@code printheader} does. */
    private static void underline(StringBuilder out, String heading, String pattern) {
        out.append(heading).append('\n');
        StringBuilder rule = new StringBuilder();
        while (rule.length() < heading.length()) {
            rule.append(pattern.charAt(rule.length() % pattern.length()));
        }
        out.append(rule).append('\n');
    }
}

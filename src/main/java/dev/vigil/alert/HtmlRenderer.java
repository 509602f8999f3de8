package dev.vigil.alert;

import dev.vigil.text.Printable;


/**
 * The HTML alternative of the mail body: the same outline as {@link TextRenderer}, with headings, tables for
 * attribute changes and preformatted log lines. Everything from a finding is escaped, since file names and
 * log lines are written by whoever the report is about. Inline styles only, since mail clients drop style
 * sheets; well-formed XHTML, so tests (and strict clients) can parse it. Subjects and the body are bounded
 * as in {@link TextRenderer}.
 */
public final class HtmlRenderer implements ReportRenderer<String> {

    private final int bodyChars;

    /** A body of about {@link Outline#MAIL_BODY_CHARS} characters at most. */
    public HtmlRenderer() {
        this(Outline.MAIL_BODY_CHARS);
    }

    /** A body that lists findings while it holds at most {@code bodyChars} characters, and counts the rest. */
    public HtmlRenderer(int bodyChars) {
        this.bodyChars = bodyChars;
    }

    @Override
    public String format(Report report) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/><title>")
                .append(escape(new SubjectLine().render(report))).append("</title></head>\n")
                .append("<body style=\"font-family:sans-serif;font-size:14px\">\n");
        out.append("<h1 style=\"font-size:18px\">Vigil report from ").append(escape(report.host())).append("</h1>\n");
        out.append("<p>").append(escape(Outline.summary(report))).append("<br/>Closed ")
                .append(escape(TextRenderer.TIME.format(report.created()))).append(", report <code>")
                .append(escape(report.id())).append("</code></p>\n");
        long omitted = 0;
        for (Outline.Part part : Outline.parts(report)) {
            out.append("<h2 style=\"font-size:16px\">").append(escape(part.title())).append(" (")
                    .append(escape(part.counted())).append(")</h2>\n");
            boolean logs = part.source() == Source.LOGS;
            for (Outline.Group group : part.groups()) {
                out.append("<h3 style=\"font-size:14px\">").append(escape(part.heading(group))).append("</h3>\n")
                        .append(logs ? "<pre>" : "<ul>\n");
                for (Finding f : group.findings()) {
                    if (out.length() > bodyChars) {
                        omitted += f.standsFor();
                    } else if (logs) {
                        out.append(subject(f)).append(marker(f)).append('\n');
                    } else {
                        finding(out, f);
                    }
                }
                out.append(logs ? "</pre>\n" : "</ul>\n");
            }
            busiest(out, part, report);
        }
        if (omitted > 0) {
            out.append("<p>").append(escape(Outline.omitted(omitted, report))).append("</p>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    /** A burst's directories as a table of counts, then how many findings the part did not list. */
    private static void busiest(StringBuilder out, Outline.Part part, Report report) {
        if (part.busiest().isEmpty()) {
            return;
        }
        out.append("<h3 style=\"font-size:14px\">").append(escape(part.burstHeading())).append("</h3>\n")
                .append("<table style=\"border-collapse:collapse;font-family:monospace\">\n");
        for (Outline.DirectoryCount d : part.busiest()) {
            out.append("<tr><td style=\"padding-right:1em\">")
                    .append(escape(Truncated.toChars(d.directory(), Outline.MAIL_SUBJECT_CHARS)))
                    .append("</td><td>").append(escape(d.counts())).append("</td></tr>\n");
        }
        out.append("</table>\n");
        if (part.unlisted() > 0) {
            out.append("<p>").append(escape(part.unlistedLine(report))).append("</p>\n");
        }
    }

    private static void finding(StringBuilder out, Finding f) {
        out.append("<li><code>").append(subject(f)).append("</code>").append(marker(f));
        Outline.DetailRows details = Outline.detailRows(f, "\u2192");
        if (!details.rows().isEmpty()) {
            out.append("\n<table style=\"border-collapse:collapse;font-family:monospace\">\n");
            for (Outline.DetailRow row : details.rows()) {
                out.append("<tr><td style=\"padding-right:1em\">").append(escape(row.name())).append("</td><td>")
                        .append(escape(row.value())).append("</td></tr>\n");
            }
            if (details.more() > 0) {
                out.append("<tr><td colspan=\"2\">").append(escape(details.moreLine())).append("</td></tr>\n");
            }
            out.append("</table>");
        }
        out.append("</li>\n");
    }

    private static String subject(Finding f) {
        return escape(Truncated.toChars(f.subject(), Outline.MAIL_SUBJECT_CHARS));
    }

    private static String marker(Finding f) {
        return f.critical() ? " <strong style=\"color:#b00\">CRITICAL</strong>" : "";
    }

    /** HTML-escapes the text after making control characters visible (see {@link Printable#of}). */
    private static String escape(String text) {
        String printable = Printable.of(text);
        StringBuilder out = new StringBuilder(printable.length() + 16);
        for (int i = 0; i < printable.length(); i++) {
            char c = printable.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}

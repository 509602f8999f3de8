package dev.vigil.alert;

import java.util.List;
import java.util.Map;

/**
 * The HTML alternative of the mail body: the same outline as {@link TextRenderer}, with headings, tables for
 * attribute changes and preformatted log lines. Everything from a finding is escaped, since file names and
 * log lines are written by whoever the report is about. Inline styles only, since mail clients drop style
 * sheets; well-formed XHTML, so tests (and strict clients) can parse it.
 */
public final class HtmlRenderer implements ReportRenderer<String> {

    @Override
    public String render(Report report) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/><title>")
                .append(escape(new SubjectLine().render(report))).append("</title></head>\n")
                .append("<body style=\"font-family:sans-serif;font-size:14px\">\n");
        out.append("<h1 style=\"font-size:18px\">Vigil report from ").append(escape(report.host())).append("</h1>\n");
        out.append("<p>").append(escape(Outline.summary(report))).append("<br/>Closed ")
                .append(escape(TextRenderer.TIME.format(report.created()))).append(", report <code>")
                .append(escape(report.id())).append("</code></p>\n");
        for (Outline.Part part : Outline.parts(report)) {
            out.append("<h2 style=\"font-size:16px\">").append(escape(part.title())).append(" (")
                    .append(escape(part.counted())).append(")</h2>\n");
            for (Outline.Group group : part.groups()) {
                if (part.source().equals("logs")) {
                    out.append("<h3 style=\"font-size:14px\">").append(escape(part.heading(group))).append("</h3>\n<pre>");
                    group.findings().forEach(f -> out.append(escape(f.subject())).append(marker(f)).append('\n'));
                    out.append("</pre>\n");
                } else {
                    out.append("<h3 style=\"font-size:14px\">").append(escape(part.heading(group)))
                            .append("</h3>\n<ul>\n");
                    group.findings().forEach(f -> finding(out, f));
                    out.append("</ul>\n");
                }
            }
        }
        return out.append("</body></html>\n").toString();
    }

    private static void finding(StringBuilder out, Finding f) {
        out.append("<li><code>").append(escape(f.subject())).append("</code>").append(marker(f));
        List<Outline.Change> changes = Outline.changes(f);
        Map<String, Object> other = Outline.otherDetails(f);
        if (!changes.isEmpty() || !other.isEmpty()) {
            out.append("\n<table style=\"border-collapse:collapse;font-family:monospace\">\n");
            for (Outline.Change c : changes) {
                out.append("<tr><td style=\"padding-right:1em\">").append(escape(c.name())).append("</td><td>")
                        .append(escape(c.shown("\u2192"))).append("</td></tr>\n");
            }
            other.forEach((key, value) -> out.append("<tr><td style=\"padding-right:1em\">").append(escape(key))
                    .append("</td><td>").append(escape(String.valueOf(value))).append("</td></tr>\n"));
            out.append("</table>");
        }
        out.append("</li>\n");
    }

    private static String marker(Finding f) {
        return f.critical() ? " <strong style=\"color:#b00\">CRITICAL</strong>" : "";
    }

    /** HTML-escapes the text after making control characters visible (see {@link Outline#printable}). */
    private static String escape(String text) {
        String printable = Outline.printable(text);
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

package dev.vigil.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.text.Printable;

/**
 * A Slack incoming-webhook message in Block Kit: a header, one section per source listing its findings
 * grouped like the mail, and a footer naming the report. Slack rejects a message that breaks its limits
 * rather than shortening it, so this renderer shortens: {@value #MAX_TEXT} characters per section and {@value #MAX_HEADER} in the header, findings that do not fit
 * summed up as "…and N more", and the footer says the full report is kept in Vigil. Text is escaped for
 * mrkdwn ({@code & < >}), so a file name cannot mention {@code <!channel>} or forge a link.
 */
public final class SlackRenderer implements ReportRenderer<String> {

    static final int MAX_TEXT = 3000;
    static final int MAX_HEADER = 150;
    /** Longest one finding may be, so one huge log line cannot push out every other finding. */
    static final int MAX_LINE = 400;
    /** Room kept at the end of a section for its "…and N more" line. */
    private static final int MORE_RESERVE = 40;

    @Override
    public String format(Report report) {
        ObjectNode message = Json.mapper().createObjectNode();
        message.put("text", new SubjectLine().render(report));
        ArrayNode blocks = message.putArray("blocks");

        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text")
                .put("text", Truncated.toChars(Printable.of("Vigil: " + report.host() + ": " + Outline.summary(report)), MAX_HEADER));

        // One section per source: a few blocks in all, far below Slack's limit of 50.
        for (Outline.Part part : Outline.parts(report)) {
            section(blocks, sectionText(part));
            if (!part.busiest().isEmpty()) {
                section(blocks, busiestText(part));
            }
        }

        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", "The full report is kept in Vigil: report `" + report.id() + "`, closed "
                        + TextRenderer.TIME.format(report.created()) + ".");
        return Json.write(message);
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", mrkdwn);
    }

    private static String sectionText(Outline.Part part) {
        StringBuilder text = new StringBuilder("*" + escape(part.title() + " (" + part.counted() + ")") + "*");
        long shown = 0;
        outer:
        for (Outline.Group group : part.groups()) {
            String heading = "\n*" + escape(part.heading(group)) + "*";
            boolean headed = false;
            for (Finding f : group.findings()) {
                String line = "\n\u2022 " + line(f);
                int needed = line.length() + (headed ? 0 : heading.length());
                if (text.length() + needed > MAX_TEXT - MORE_RESERVE) {
                    break outer;
                }
                if (!headed) {
                    text.append(heading);
                    headed = true;
                }
                text.append(line);
                shown += f.standsFor();
            }
        }
        if (shown < part.total()) {
            text.append("\n_\u2026and ").append(part.total() - shown).append(" more_");
        }
        return text.toString();
    }

    /** A burst's busiest directories, one line each, within one section's limit. */
    private static String busiestText(Outline.Part part) {
        StringBuilder text = new StringBuilder("*" + escape(part.burstHeading()) + "*");
        for (Outline.DirectoryCount d : part.busiest()) {
            String line = "\n\u2022 `" + escape(Truncated.toChars(Printable.of(d.directory()).replace('`', '\''),
                    MAX_LINE / 2)) + "` " + escape(d.counts());
            if (text.length() + line.length() > MAX_TEXT) {
                break;
            }
            text.append(line);
        }
        return text.toString();
    }

    /** One finding on one line: the subject as code, then what changed. */
    private static String line(Finding f) {
        String details = Outline.inline(f, "\u2192");
        String plain = Truncated.toChars(Printable.of(f.subject()).replace('`', '\''), MAX_LINE / 2);
        String rest = details.isEmpty() ? "" : "  " + details;
        String line = "`" + plain + "`" + Truncated.toChars(Printable.of(rest), MAX_LINE - plain.length());
        return escape(line) + (f.critical() ? " *CRITICAL*" : "");
    }

    /** The three characters Slack's mrkdwn wants escaped; everything else is literal. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

package dev.vigil.alert;

/**
 * A report with its JSON ({@link Report#toJson()}), written once: the outbox stores these characters, and the
 * channels that carry the report as JSON (the alert file, a webhook) send them rather than write the report again,
 * a serialisation per channel and report at a fleet's rate of a report per finding (bench/README.md, "Fleet").
 */
public record ReportJson(Report report, String json) {

    public static ReportJson of(Report report) {
        return new ReportJson(report, report.toJson());
    }

    /**
     * The JSON of {@code report}: the one kept here if it is this very report (a channel route passed on the
     * outbox's), otherwise written anew (a route that made another report, {@code vigil test-alert}).
     */
    public String jsonOf(Report report) {
        return report == this.report ? json : report.toJson();
    }
}

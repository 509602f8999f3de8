package dev.vigil.alert;

/**
 * A webhook body: the report as its one JSON object ({@link Report#toJson()}), the same bytes the outbox
 * keeps, so a receiver sees exactly what Vigil stored. Sign it with {@link WebhookSigner}.
 */
public final class WebhookRenderer implements ReportRenderer<String> {

    @Override
    public String render(Report report) {
        return report.toJson();
    }
}

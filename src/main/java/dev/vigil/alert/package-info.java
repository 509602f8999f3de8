/**
 * Findings, reports and everything between a finding and a channel, in plain Java for the Camel routes to
 * call.
 *
 * <ul>
 *   <li>Model: {@link dev.vigil.alert.Finding}, {@link dev.vigil.alert.Report} (JSON through
 *       {@link dev.vigil.alert.Json}), and the details keys renderers understand in
 *       {@link dev.vigil.alert.Details}.</li>
 *   <li>Pacing: {@link dev.vigil.alert.ReportGate} per source (reporttime, reportholdoff, critical),
 *       {@link dev.vigil.alert.ReportGates} for all sources at once.</li>
 *   <li>Rendering, one class per format behind {@link dev.vigil.alert.ReportRenderer}: mail
 *       ({@link dev.vigil.alert.SubjectLine}, {@link dev.vigil.alert.TextRenderer},
 *       {@link dev.vigil.alert.HtmlRenderer}), {@link dev.vigil.alert.SlackRenderer},
 *       {@link dev.vigil.alert.WebhookSigner} (a webhook's body is the report's JSON,
 *       {@link dev.vigil.alert.ReportJson}),
 *       {@link dev.vigil.alert.SyslogRenderer} with {@link dev.vigil.alert.SyslogFraming}, and
 *       {@link dev.vigil.alert.EcsRenderer} (the alert file as Elastic Common Schema events).</li>
 *   <li>The fleet's records: {@link dev.vigil.alert.FleetRecord} (headers, signed by
 *       {@link dev.vigil.alert.WebhookSigner}) and {@link dev.vigil.alert.Heartbeat}.</li>
 *   <li>A report too large for its receiver (a Kafka record, a webhook's request) as parts:
 *       {@link dev.vigil.alert.ReportParts}.</li>
 *   <li>Delivery retries: {@link dev.vigil.alert.Backoff}.</li>
 * </ul>
 * Transport (SMTP, HTTP, sockets), the outbox and timers belong to the {@code camel} and {@code store}
 * packages.
 */
package dev.vigil.alert;

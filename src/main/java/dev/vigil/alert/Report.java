package dev.vigil.alert;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.NoArgGenerator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The findings of one source pooled over its {@code reporttime}, as one unit every channel delivers.
 * Serialised as one JSON object through {@link Json}.
 *
 * @param id       a UUID, time-ordered when Vigil makes it (version 7: the time in milliseconds, then 74 random bits),
 *                 so the stores keyed by report id (the fleet store, the outbox) add at the end of their indexes
 *                 rather than all over them; the idempotency key receivers de-duplicate on, stable across retries
 *                 and restarts
 * @param source   the source whose findings these are
 * @param host     the host the findings were made on
 * @param created  when the report was closed
 * @param findings at least one finding, in the order they were offered
 */
public record Report(String id, Source source, String host, Instant created, List<Finding> findings) {

    /** Random within a millisecond, not a counter: one id does not tell the next. */
    private static final NoArgGenerator IDS = Generators.timeBasedEpochRandomGenerator();

    public Report {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(created, "created");
        id = UUID.fromString(id).toString();
        findings = List.copyOf(findings);
        if (findings.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one finding");
        }
    }

    /** A new report with a fresh id, on the host of its first finding. */
    public static Report of(Source source, List<Finding> findings, Instant created) {
        if (findings.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one finding");
        }
        return new Report(IDS.generate().toString(), source, findings.get(0).host(), created, findings);
    }

    public static Report fromJson(String json) {
        return Json.read(json, Report.class);
    }

    public String toJson() {
        return Json.write(this);
    }

    /** Whether any finding is critical. */
    public boolean critical() {
        return findings.stream().anyMatch(Finding::critical);
    }
}

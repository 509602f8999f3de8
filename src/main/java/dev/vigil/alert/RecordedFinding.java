package dev.vigil.alert;

/**
 * A finding as the event history holds it: {@code event} is its row there, which is marked as taken when the
 * report holding the finding is stored in the outbox, so a finding still pooled at a crash can be pooled again.
 */
public record RecordedFinding(long event, Finding finding) {
}

package dev.vigil.fim;

import java.time.Instant;

/**
 * What recording one file finding changes in the daemon's store, made in the transaction that records the finding
 * in the event history, so the change and the finding land together or not at all: a checker only reads, and a
 * finding lost before it is recorded (a kill, a failed route) is found again by the next check.
 */
public sealed interface ReportMark permits ReportMark.Deviation, ReportMark.SealReplaced {

    /**
     * The memory of reports (table {@code reported}): the deviation {@code fingerprint} now reported at
     * {@code path}, or, for a revert, the deviation {@code fingerprint} reported there forgotten.
     */
    record Deviation(byte[] path, String fingerprint, boolean revert) implements ReportMark {
    }

    /**
     * The kept seal of the baseline replaced by the seal a full check read ({@code tampering}), if no write of
     * Vigil's came since it was read: its BASELINE_TAMPERED finding is reported once, and until it is recorded each
     * full check finds it again.
     */
    record SealReplaced(BaselineStore.Tampering tampering, Instant at) implements ReportMark {
    }

    /** The deviation {@code fingerprint} at {@code path} is reported. */
    static Deviation reported(byte[] path, String fingerprint) {
        return new Deviation(path, fingerprint, false);
    }

    /** The deviation {@code fingerprint} reported at {@code path} is gone: the entry is as in the baseline again. */
    static Deviation reverted(byte[] path, String fingerprint) {
        return new Deviation(path, fingerprint, true);
    }
}

package dev.vigil.fim;

/**
 * What recording one file finding changes in the daemon's memory of reports (table {@code reported}): the
 * deviation {@code fingerprint} now reported at {@code path}, or, for a revert, the deviation {@code fingerprint}
 * reported there forgotten. The checkers only read that memory; the mark is made in the transaction that records
 * the finding in the event history, so a deviation counts as reported exactly when its finding is in the history.
 */
public record ReportMark(byte[] path, String fingerprint, boolean revert) {

    /** The deviation {@code fingerprint} at {@code path} is reported. */
    public static ReportMark reported(byte[] path, String fingerprint) {
        return new ReportMark(path, fingerprint, false);
    }

    /** The deviation {@code fingerprint} reported at {@code path} is gone: the entry is as in the baseline again. */
    public static ReportMark reverted(byte[] path, String fingerprint) {
        return new ReportMark(path, fingerprint, true);
    }
}

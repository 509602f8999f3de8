package dev.vigil.fim;

import dev.vigil.os.ByteKey;
import java.util.Map;
import java.util.Optional;

/**
 * The rule "report a deviation once", shared by the full check, the trickle and the watch over the store's
 * {@code reported} table: a deviation is news once ({@link DeviationFingerprint}), again only when it becomes a
 * different one, and an entry that agrees with the baseline again after being reported is a revert. The checkers
 * only read the table here; what is news comes with the {@link ReportMark} that recording its finding makes, in
 * the same transaction as the event history's row (the daemon's {@code events} bean). So a finding lost before it
 * is recorded (a kill, a failed route) is found again by the next check, and of two checkers that find one
 * deviation at the same moment, only the first to record it reports it.
 */
public final class ReportedDeviations {

    private final BaselineStore store;
    private final DeviationFingerprint fingerprint;

    public ReportedDeviations(BaselineStore store, PathPolicy policy) {
        this.store = store;
        this.fingerprint = new DeviationFingerprint(policy);
    }

    /** The fingerprints last reported at or below {@code root}, keyed by path bytes as ISO-8859-1 text. */
    public Map<ByteKey, String> under(byte[] root) {
        return store.reported(root);
    }

    /**
     * The mark that reports {@code change}, if it is news: its fingerprint is not {@code remembered}, what the
     * caller read as last reported for the path (or null).
     */
    public Optional<ReportMark.Deviation> fresh(Change change, String remembered) {
        String now = fingerprint.of(change);
        return now.equals(remembered) ? Optional.empty() : Optional.of(ReportMark.reported(change.path(), now));
    }

    /**
     * The mark that reports the entry, now as in the baseline, as reverted, if a deviation was reported there:
     * {@code remembered}, the fingerprint the caller read as last reported for the path, or null.
     */
    public Optional<ReportMark.Deviation> reverted(byte[] path, String remembered) {
        return Optional.ofNullable(remembered).map(r -> ReportMark.reverted(path, r));
    }
}

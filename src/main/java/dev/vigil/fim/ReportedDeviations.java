package dev.vigil.fim;

import dev.vigil.os.ByteKey;
import java.util.Map;

/**
 * The daemon's memory of what it has reported, shared by the full check, the trickle and the watch through the
 * store's {@code reported} table: a deviation passes once ({@link DeviationFingerprint}), again only when it
 * becomes a different one, and an entry that agrees with the baseline again after being reported is a revert.
 * Each step is one atomic statement on that table, so no deviation is reported twice by two kinds of check.
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

    /** Whether this deviation is new (and now remembered as reported). */
    public boolean fresh(Change change) {
        return fresh(change, null);
    }

    /**
     * {@link #fresh(Change)} given what the caller read as last reported for the path, which spares a write
     * when the deviation is the one remembered.
     */
    public boolean fresh(Change change, String remembered) {
        String now = fingerprint.of(change);
        return !now.equals(remembered) && store.markReported(change.path(), now);
    }

    /**
     * Whether the entry, now as in the baseline, had a deviation reported, given the fingerprint the caller read as
     * last reported there ({@code remembered}, or null); the deviation is then forgotten.
     */
    public boolean reverted(byte[] path, String remembered) {
        return remembered != null && store.forgetReported(path, remembered);
    }
}

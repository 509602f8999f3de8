package dev.vigil.fim;

import dev.vigil.os.ByteKey;
import dev.vigil.os.PathBytes;

/**
 * The daemon's memory of what it has reported, for a check that visits one entry at a time (the trickle): a
 * deviation passes once, again only when it becomes a different one, and an entry that agrees with the baseline
 * again after being reported is a revert. Each step is one atomic statement on the store's {@code reported}
 * table, which the full check and the watcher share, so no deviation is reported twice by two kinds of check.
 */
public final class ReportedDeviations {

    private final BaselineStore store;

    public ReportedDeviations(BaselineStore store) {
        this.store = store;
    }

    /** Whether this deviation is new (and now remembered as reported). */
    public boolean fresh(Change change) {
        return store.markReported(change.path(), ChangeFindings.fingerprint(change));
    }

    /** Whether the entry, now as in the baseline, had a deviation reported (which is now forgotten). */
    public boolean reverted(byte[] path) {
        String remembered = store.reported(path).get(ByteKey.of(path));
        return remembered != null && store.forgetReported(path, remembered);
    }
}

package dev.vigil.fim;

import java.nio.charset.StandardCharsets;

/**
 * The daemon's memory of what it has reported, for checks that visit one entry at a time (the trickle, the
 * native watcher): a deviation passes once, again only when it becomes a different one, and an entry that
 * agrees with the baseline again after being reported is a revert. It reads and writes the store's
 * {@code reported} table on every call (deviations are few, and the full check writes the same table), so a
 * deviation one kind of check reported is not reported again by another. Look-up and update are one step
 * under a lock shared by every instance, as the full check, the trickle and the watcher run side by side.
 */
public final class ReportedDeviations {

    private static final Object LOCK = new Object();

    private final BaselineStore store;

    public ReportedDeviations(BaselineStore store) {
        this.store = store;
    }

    /** Whether this deviation is new (and now remembered as reported). */
    public boolean fresh(Change change) {
        String fingerprint = ChangeFindings.fingerprint(change);
        synchronized (LOCK) {
            if (fingerprint.equals(reportedAt(change.path()))) {
                return false;
            }
            store.reported(change.path(), fingerprint);
            return true;
        }
    }

    /** Whether the entry, now as in the baseline, had a deviation reported (which is now forgotten). */
    public boolean reverted(byte[] path) {
        synchronized (LOCK) {
            if (reportedAt(path) == null) {
                return false;
            }
            store.reported(path, null);
            return true;
        }
    }

    private String reportedAt(byte[] path) {
        return store.reported(path).get(key(path));
    }

    private static String key(byte[] path) {
        return new String(path, StandardCharsets.ISO_8859_1);
    }
}

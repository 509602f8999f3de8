package dev.vigil.fim;

import dev.vigil.os.ByteKey;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * What the engine needs from storage; the SQLite implementation lives in {@code store}, which depends on
 * {@code fim} and not the other way round.
 */
public interface BaselineStore {

    /** A staging area for the entries of one scan. */
    Snapshot newSnapshot();

    /** The baseline entry at exactly this path, if there is one. */
    default Optional<FileRecord> find(byte[] path) {
        try (Lookup lookup = lookup()) {
            return lookup.find(path);
        }
    }

    /**
     * Point look-ups for a caller that makes many over a long time (the trickle scan): one connection and
     * its page cache are kept between them, and no transaction stays open. The caller closes it.
     */
    Lookup lookup();

    /**
     * Baseline entries at or below {@code root}, in path order; the caller closes the cursor. The store may read
     * ahead on a thread of its own: a caller interrupted while it waits for the next entry gets an exception,
     * with its interrupt flag set again.
     */
    Cursor read(byte[] root);

    /** The hash algorithm the baseline was taken with, if one was. */
    Optional<HashAlgorithm> hashAlgorithm();

    void hashAlgorithm(HashAlgorithm algorithm);

    /** The roots {@code vigil baseline} was run on: what a check without paths covers. */
    List<byte[]> areas();

    void addAreas(List<byte[]> roots);

    /**
     * Drops {@code root} and everything below it from the baseline, in one transaction: its entries, the areas
     * there and the deviations reported there. Returns how many entries it removed.
     */
    long forget(byte[] root);

    /** The deviation fingerprints last reported at or below {@code root}, by path. */
    java.util.Map<ByteKey, String> reported(byte[] root);

    /**
     * Remembers {@code fingerprint} as the deviation reported for a path, atomically: true if it was not the one
     * remembered already. Two checkers (the scheduled check and the live watch) may find the same deviation at
     * the same moment; only the one that gets true reports it.
     */
    boolean markReported(byte[] path, String fingerprint);

    /** Forgets the deviation reported for a path if it is still {@code fingerprint}, atomically: true if it was. */
    boolean forgetReported(byte[] path, String fingerprint);

    /** Forgets every reported deviation at or below {@code root} (after it was accepted). */
    void clearReported(byte[] root);

    /** Records one finished run (scan, baseline, check) for statistics and progress estimates. */
    void recordRun(ScanRun run);

    /** The last run of this kind over exactly this area, if any. */
    Optional<ScanRun> lastRun(String kind, String area);

    /** One scan's entries, staged to replace part of the baseline at once. */
    interface Snapshot extends AutoCloseable {
        /** Adds an entry; thread-safe, and blocks while the writer is behind so memory stays bounded. */
        void add(FileRecord record);

        /** Waits until every added entry is staged. */
        void finish();

        /** Replaces the baseline at and below each root with the staged entries there, in one transaction. */
        void accept(List<byte[]> roots);

        @Override
        void close();
    }

    interface Lookup extends AutoCloseable {
        /** The baseline entry at exactly this path, if there is one. */
        Optional<FileRecord> find(byte[] path);

        @Override
        void close();
    }

    interface Cursor extends Iterator<FileRecord>, AutoCloseable {
        @Override
        void close();
    }

    record ScanRun(String kind, String area, Instant started, Instant finished, long entries, long bytes, long errors) {
    }
}

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
     * When the trickle named {@code trickle} last verified each entry, kept by the store rather than in the trickle's
     * memory (a million entries would cost it about 135 MB of heap) and across restarts. Trickles of one name share
     * it, so one of a name runs at a time. The caller closes it.
     */
    Verifications verifications(String trickle);

    /**
     * Baseline entries at or below {@code root}, in path order; the caller closes the cursor. The store may read
     * ahead on a thread of its own: a caller interrupted while it waits for the next entry gets an exception,
     * with its interrupt flag set again.
     */
    Cursor read(byte[] root);

    /**
     * Baseline entries at or below {@code root}, in path order, each row's {@link QuickKey} read first and the rest
     * of the row only when asked: a quick check's read, on the caller's thread (it does less per row than handing
     * rows over to another thread would cost). The caller closes it.
     */
    Rows readKeyed(byte[] root);

    /** The hash algorithm the baseline was taken with, if one was ({@link Snapshot#acceptAsAreas}). */
    Optional<HashAlgorithm> hashAlgorithm();

    /** The roots {@code vigil baseline} was run on ({@link Snapshot#acceptAsAreas}): what a check without paths covers. */
    List<byte[]> areas();

    /**
     * Drops {@code root} and everything below it from the baseline, in one transaction: its entries, the areas
     * there and the deviations reported there. Returns how many entries it removed.
     */
    Forgotten forget(byte[] root);

    /**
     * The seal of the baseline as Vigil's own writes kept it (each write to the baseline updates it in the same
     * transaction), with when it last changed and when a full check last found the rows to have it.
     */
    SealState seal();

    /**
     * Compares {@code read}, the seal of every row a full check read, with the listing digests kept with them
     * ({@link ListingDigest}, which the store reads then) added, with the kept seal, if no write of Vigil's
     * changed it since {@code before} was read (else nothing can be said, and nothing is done). Equal, the kept
     * seal is verified at {@code at}. Different, the rows were changed behind Vigil's back: the returned tampering
     * says from what to what, and recording its finding with {@link ReportMark.SealReplaced} makes the kept seal the
     * one read, so the next comparison after that finds them equal.
     */
    Optional<Tampering> verifySeal(SealState before, Seal read, Instant at);

    /**
     * The deviation fingerprints last reported at or below {@code root}, by path. They are written with the findings
     * that report them, in the event history's transaction ({@link ReportMark}).
     */
    java.util.Map<ByteKey, String> reported(byte[] root);

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

        /**
         * Replaces the baseline at and below each root with the staged entries there, in one transaction, which
         * also updates the seal from the rows it replaced and the rows it put in; returns the seal after it.
         */
        SealState accept(List<byte[]> roots);

        /**
         * {@link #accept}, and in the same transaction the roots become baselined areas taken with {@code algorithm}
         * (a baseline's). Written apart, a full check running meanwhile could read the new rows in the seal and not
         * their area among the areas, verify the seal over the areas it knew, and report it tampered.
         */
        SealState acceptAsAreas(List<byte[]> roots, HashAlgorithm algorithm);

        @Override
        void close();
    }

    interface Lookup extends AutoCloseable {
        /** The baseline entry at exactly this path, if there is one. */
        Optional<FileRecord> find(byte[] path);

        /** The fingerprint of the deviation last reported at exactly this path, if one is remembered. */
        Optional<String> reported(byte[] path);

        @Override
        void close();
    }

    /**
     * One trickle's record of when it last verified each entry, as a number the trickle counts up, so ordered by it the
     * entries are longest since verified first. Records and forgettings may be kept back and written in batches
     * (one transaction each, not one per entry); every read sees them. Closing writes what is kept back.
     */
    interface Verifications extends AutoCloseable {
        /** The highest number recorded, 0 if none. */
        long latest();

        /** When {@code path} was last verified, 0 if that is not recorded. */
        long verified(byte[] path);

        /** Records {@code path} as verified at {@code when}, higher than any number recorded before. */
        void record(byte[] path, long when);

        void forget(byte[] path);

        /** Up to {@code limit} entries verified after {@code after} and at or before {@code until}, longest since verified first. */
        List<Verified> oldest(long after, long until, int limit);

        /**
         * Up to {@code limit} baseline entries at or below {@code root} and after {@code after} in path order (an empty
         * path: from the first), in path order, that were not verified after {@code since}.
         */
        List<FileRecord> unverified(byte[] root, byte[] after, long since, int limit);

        @Override
        void close();
    }

    /** An entry's path and when it was last verified, as {@link Verifications} counts. */
    record Verified(byte[] path, long when) {
    }

    interface Cursor extends Iterator<FileRecord>, AutoCloseable {
        @Override
        void close();
    }

    /** Baseline rows in path order, one at a time, each read whole only if {@link #record} is asked for. */
    interface Rows extends AutoCloseable {
        /** Moves to the next row; false once there is none. */
        boolean advance();

        /** The current row's path. */
        byte[] path();

        /** Whether {@code current} has the current row's {@link QuickKey}: then it is that row, unchanged. */
        boolean matches(FileRecord current);

        /** The current row, whole. */
        FileRecord record();

        /**
         * Moves past the rows up to {@code last} inclusive (the current one included, if it is one of them); false
         * once there is no row after them.
         */
        default boolean skipThrough(byte[] last) {
            boolean more = true;
            while (more && java.util.Arrays.compareUnsigned(path(), last) <= 0) {
                more = advance();
            }
            return more;
        }

        /**
         * The kept digest of the listing of the directory whose {@link ListingDigest#key} is {@code key}, null if
         * none is kept; asked for keys in increasing order, as a walk in path order reaches their directories.
         * None by default: every row is compared.
         */
        default byte[] listing(byte[] key) {
            return null;
        }

        @Override
        void close();

        /** {@code records} as rows: nothing matches by key, every row is compared whole; closing them is the caller's. */
        static Rows whole(Iterator<FileRecord> records) {
            return whole(records, () -> { });
        }

        /** {@code cursor}'s records as {@link #whole(Iterator)} has them; closing the rows closes it. */
        static Rows whole(Cursor cursor) {
            return whole(cursor, cursor::close);
        }

        private static Rows whole(Iterator<FileRecord> records, Runnable closing) {
            return new Rows() {
                private FileRecord current;

                @Override
                public boolean advance() {
                    current = records.hasNext() ? records.next() : null;
                    return current != null;
                }

                @Override
                public byte[] path() {
                    return current.path();
                }

                @Override
                public boolean matches(FileRecord other) {
                    return false;
                }

                @Override
                public FileRecord record() {
                    return current;
                }

                @Override
                public void close() {
                    closing.run();
                }
            };
        }
    }

    /** What {@link #forget} removed, and the seal after it. */
    record Forgotten(long entries, SealState seal) {
    }

    /**
     * The kept seal: {@code generation} counts the writes that changed it; {@code verified} is null while no full
     * check has found the rows to have it since it last changed.
     */
    record SealState(Seal seal, long generation, Instant changed, Instant verified) {
        /** The seal's value, 64 hex digits. */
        public String value() {
            return seal.value();
        }

        public long rows() {
            return seal.rows();
        }
    }

    /** Rows changed behind Vigil's back: the seal it kept, and the seal of the rows a full check read. */
    record Tampering(SealState kept, Seal found) {
    }

    record ScanRun(String kind, String area, Instant started, Instant finished, long entries, long bytes, long errors) {
    }
}

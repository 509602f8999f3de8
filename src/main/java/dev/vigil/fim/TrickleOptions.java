package dev.vigil.fim;

/**
 * How a {@link Trickle} scan paces itself; the {@code fscan:} endpoint's trickle options map one to one.
 *
 * @param byteRate        most bytes of file content read per second (default 262144, 256 KiB/s): low enough
 *                        that the disk barely notices, high enough that a cycle over a few GB ends within a day
 * @param fileRate        most entries checked per second (default 50): bounds the stats, xattr reads and
 *                        baseline look-ups that cost nothing in bytes, so a tree of tiny files is not raced through
 * @param smallFiles      files smaller than this many bytes are read in one go and paid for afterwards (fewer
 *                        sleeps for the many small files); larger ones are read in chunks of about an eighth of a
 *                        second's byteRate, paced between chunks, so a big file is a steady trickle and not a
 *                        burst. At most {@link Hasher#BUFFER} (default 65536)
 * @param speedup         factor both rates are multiplied by as soon as a new change is found (default 10): an
 *                        intruder rarely changes one file only, so look harder for the rest while it matters
 * @param speedupHalfLife seconds in which the extra speed halves (default 60): the factor is
 *                        {@code 1 + (speedup - 1) * 2^(-t / speedupHalfLife)}, {@code t} seconds after the last new
 *                        change, so it is {@code speedup} at once, {@code (speedup + 1) / 2} after one half-life,
 *                        and within 1 % of normal speed after about {@code log2(100 * (speedup - 1))} half-lives
 * @param scan            what the trickle shares with the full scan: hash algorithm (must be the baseline's),
 *                        excludes, one-filesystem, xattrs. Its {@code threads} and {@code hashContent} are not
 *                        used: the trickle is one thread by design and always reads content, that being its point
 * @param policy          attributes not compared under some paths, as for a full check
 */
public record TrickleOptions(long byteRate, double fileRate, long smallFiles, double speedup, double speedupHalfLife,
                             ScanOptions scan, PathPolicy policy) {

    public TrickleOptions {
        require(byteRate > 0, "byteRate must be positive, not " + byteRate);
        require(fileRate > 0 && Double.isFinite(fileRate), "fileRate must be positive, not " + fileRate);
        require(smallFiles >= 0 && smallFiles <= Hasher.BUFFER,
                "smallFiles must be between 0 and " + Hasher.BUFFER + ", not " + smallFiles);
        require(speedup >= 1 && Double.isFinite(speedup), "speedup must be at least 1, not " + speedup);
        require(speedupHalfLife > 0 && Double.isFinite(speedupHalfLife),
                "speedupHalfLife must be positive, not " + speedupHalfLife);
        require(scan != null && policy != null, "scan options and path policy are required");
    }

    public static TrickleOptions defaults() {
        return new TrickleOptions(262_144, 50, 65_536, 10, 60, ScanOptions.defaults(), PathPolicy.none());
    }

    /** Bytes read at once from a file of at least {@link #smallFiles} bytes: an eighth of a second's byteRate. */
    int chunk() {
        return (int) Math.max(4096, Math.min(Hasher.BUFFER, byteRate / 8));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

package dev.vigil.fim;

/**
 * How a scan runs.
 *
 * @param threads      worker threads for traversal and hashing
 * @param algorithm    content hash
 * @param hashContent  false for a stat-only pass (a quick check hashes afterwards only what changed)
 * @param excludes     what to leave out
 * @param oneFilesystem do not descend into directories on another device than their root
 * @param xattrs       read extended attributes (including {@code security.capability})
 */
public record ScanOptions(int threads, HashAlgorithm algorithm, boolean hashContent, Excludes excludes,
                          boolean oneFilesystem, boolean xattrs) {

    public static ScanOptions defaults() {
        return new ScanOptions(Runtime.getRuntime().availableProcessors(), HashAlgorithm.SHA256, true,
                Excludes.none(), false, true);
    }

    public ScanOptions withThreads(int n) {
        return new ScanOptions(n, algorithm, hashContent, excludes, oneFilesystem, xattrs);
    }

    public ScanOptions withAlgorithm(HashAlgorithm a) {
        return new ScanOptions(threads, a, hashContent, excludes, oneFilesystem, xattrs);
    }

    public ScanOptions withHashContent(boolean hash) {
        return new ScanOptions(threads, algorithm, hash, excludes, oneFilesystem, xattrs);
    }

    public ScanOptions withExcludes(Excludes e) {
        return new ScanOptions(threads, algorithm, hashContent, e, oneFilesystem, xattrs);
    }

    public ScanOptions withXattrs(boolean read) {
        return new ScanOptions(threads, algorithm, hashContent, excludes, oneFilesystem, read);
    }

    public ScanOptions withOneFilesystem(boolean one) {
        return new ScanOptions(threads, algorithm, hashContent, excludes, one, xattrs);
    }
}

package dev.vigil.cli;

import dev.vigil.config.Key;
import dev.vigil.fim.Excludes;
import dev.vigil.fim.HashAlgorithm;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ScanOptions;
import dev.vigil.os.PathBytes;
import dev.vigil.store.AlertFile;
import dev.vigil.store.Database;
import dev.vigil.store.SqliteBaseline;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The scan options shared by scan, baseline, check and accept; unset ones come from the config. */
public final class ScanSettings {

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: vigil.files.threads, else all processors).")
    Integer threads;

    @Option(names = "--hash", paramLabel = "ALG", description = "sha256 (default), sha512 or sha3-256.")
    String hash;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out matching entries (repeatable; added to vigil.files.excludes). "
            + "With a '/' the glob matches the whole path, without one an entry's name.")
    List<String> excludes = new ArrayList<>();

    @Option(names = {"-x", "--one-file-system"}, description = "Do not descend into other file systems.")
    boolean oneFilesystem;

    public ScanOptions options(VigilHome home) {
        return options(home, List.of());
    }

    /** With {@code ownFiles} (Vigil's database and alert file) left out as well. */
    private ScanOptions options(VigilHome home, List<Path> ownFiles) {
        List<String> globs = new ArrayList<>(home.list(Key.FILES_EXCLUDES.key()));
        globs.addAll(excludes);
        int n = threads != null ? threads : home.get(Key.FILES_THREADS).isEmpty()
                ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(home.get(Key.FILES_THREADS));
        return ScanOptions.defaults().withThreads(n)
                .withAlgorithm(HashAlgorithm.named(hash != null ? hash : home.get(Key.FILES_HASH)))
                .withExcludes(Excludes.of(globs, ownFiles))
                .withOneFilesystem(oneFilesystem || Boolean.parseBoolean(home.get(Key.FILES_ONE_FILESYSTEM)));
    }

    /**
     * The engine over the command's database, with these options and the configured per-path policy. The
     * database's own files and the daemon's alert file are left out, as the daemon leaves them out: they change
     * all the time. The database is verified first (SQLite's quick check), so a damaged one is an error, never a
     * check that finds no difference.
     */
    public Integrity integrity(StoreOptions store) {
        Database db = store.open();
        db.verify();
        return integrity(store.home(), db);
    }

    /** {@link #integrity(StoreOptions)} and the verdict on its database, which is being verified alongside. */
    public record Checking(Integrity integrity, Database.Verdict verdict) {
    }

    /**
     * {@link #integrity(StoreOptions)} for a command that only reads until it reports (a check): the database is
     * verified beside the command ({@link Database#verifyAlongside}), whose caller awaits the verdict as that says.
     */
    public Checking checking(StoreOptions store) {
        Database db = store.open();
        Database.Verdict verdict = db.verifyAlongside();
        return new Checking(integrity(store.home(), db), verdict);
    }

    private Integrity integrity(VigilHome home, Database db) {
        List<Path> own = new ArrayList<>(db.files());
        own.add(home.alertsFile());
        own.addAll(AlertFile.rotatedFiles(home.alertsFile(), Integer.parseInt(home.get(Key.ALERTS_KEEP))));
        return new Integrity(new SqliteBaseline(db, home.host()), options(home, own),
                policy(home).withTimesIgnoredAround(own));
    }

    public static PathPolicy policy(VigilHome home) {
        return new PathPolicy(rawPaths(home.list(Key.FILES_NO_INODE.key())), rawPaths(home.list(Key.FILES_NO_TIME.key())))
                .withGrowing(rawPaths(home.list(Key.FILES_GROWING.key())));
    }

    /** The configured areas, or the given paths when there are any. */
    public static List<Path> areas(VigilHome home, List<Path> given) {
        if (given != null && !given.isEmpty()) {
            return given;
        }
        return home.list(VigilHome.AREAS).stream().map(Path::of).toList();
    }

    private static List<byte[]> rawPaths(List<String> paths) {
        return paths.stream().map(p -> PathBytes.of(Path.of(p))).toList();
    }
}

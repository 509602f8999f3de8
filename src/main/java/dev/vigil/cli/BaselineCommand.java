package dev.vigil.cli;

import dev.vigil.fim.Integrity;
import dev.vigil.fim.ScanStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vigil baseline}: record the accepted state. */
@Command(name = "baseline", description = "Record the current state of PATHs (default: vigil.files.areas) as the accepted baseline.")
public final class BaselineCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Files or directories (default: the configured areas).")
    List<Path> paths;

    @Mixin
    StoreOptions store;

    @Mixin
    ScanSettings settings;

    @Override
    public Integer call() {
        VigilHome home = store.home();
        List<Path> roots = ScanSettings.areas(home, paths);
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("no paths given and vigil.files.areas is empty");
        }
        Integrity integrity = settings.integrity(store);
        Problems problems = new Problems(System.err);
        ScanStats stats = new ScanStats();
        Integrity.Outcome outcome;
        try (Progress ignored = Progress.start(stats, integrity.previousEntries("baseline", roots), System.err)) {
            outcome = integrity.baseline(roots, problems, stats);
        }
        System.out.printf("Baseline of %s: %,d entries, %,.1f MB hashed in %.1fs, %d problems.%n",
                Integrity.areaName(Integrity.normalise(roots)), outcome.stats().entries.sum(),
                outcome.stats().bytesHashed.sum() / 1e6, outcome.stats().elapsedSeconds(), problems.count());
        return 0;
    }
}

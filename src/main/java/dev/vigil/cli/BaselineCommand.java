package dev.vigil.cli;

import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.ScanStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vigil baseline}: record the accepted state, or drop an area from it. */
@Command(name = "baseline", description = "Record the current state of PATHs (default: vigil.files.areas) as the accepted baseline;"
        + " with --forget, drop an area from it.")
public final class BaselineCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Files or directories (default: the configured areas).")
    List<Path> paths;

    @Option(names = "--forget", paramLabel = "AREA", description = "Drop AREA and everything below it from the baseline"
            + " (with the areas inside it), and say how many entries went.")
    Path forget;

    @Mixin
    StoreOptions store;

    @Mixin
    ScanSettings settings;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (forget != null) {
            return forget();
        }
        VigilHome home = store.home();
        List<Path> roots = ScanSettings.areas(home, paths);
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("no paths given and vigil.files.areas is empty");
        }
        if (paths != null) {
            PathArguments.requireExisting(spec, paths);
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

    private int forget() {
        if (paths != null && !paths.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--forget takes one area and no other PATH");
        }
        Integrity integrity = settings.integrity(store);
        BaselineStore.Forgotten forgotten;
        try {
            forgotten = integrity.forget(forget);
        } catch (IllegalArgumentException notAnArea) {
            throw new ParameterException(spec.commandLine(), notAnArea.getMessage());
        }
        long removed = forgotten.entries();
        System.out.printf("Forgot %s: %,d %s removed from the baseline.%n", forget.toAbsolutePath().normalize(),
                removed, removed == 1 ? "entry" : "entries");
        return 0;
    }
}

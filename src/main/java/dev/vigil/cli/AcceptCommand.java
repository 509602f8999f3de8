package dev.vigil.cli;

import dev.vigil.fim.Integrity;
import dev.vigil.fim.ScanStats;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vigil accept}: take the current state of entries into the baseline. */
@Command(name = "accept", description = "Take the current state of PATHs (or of every baselined area) into the baseline.")
public final class AcceptCommand implements Callable<Integer> {

    static final class Target {
        @Option(names = "--all", required = true, description = "Accept everything under every baselined area.")
        boolean all;

        @Parameters(paramLabel = "PATH", arity = "1..*", description = "Entries to accept; a path that no longer exists leaves the baseline.")
        List<Path> paths;
    }

    @ArgGroup(multiplicity = "1")
    Target target;

    @Mixin
    StoreOptions store;

    @Mixin
    ScanSettings settings;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Integrity integrity = settings.integrity(store);
        List<Path> roots = target.all ? integrity.areas() : target.paths;
        if (!target.all) {
            PathArguments.requireBaselined(spec, integrity, roots);
        }
        Problems problems = new Problems(System.err);
        Integrity.Outcome outcome = integrity.accept(roots, problems, new ScanStats());
        long entries = outcome.stats().entries.sum();
        System.out.printf("Accepted %,d %s under %s.%n", entries, entries == 1 ? "entry" : "entries",
                Integrity.areaName(Integrity.normalise(roots)));
        return 0;
    }
}

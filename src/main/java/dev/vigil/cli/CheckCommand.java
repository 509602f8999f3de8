package dev.vigil.cli;

import dev.vigil.fim.Integrity;
import dev.vigil.fim.ScanStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vigil check}: differences from the baseline; exit 0 none, 1 some, 2 error (or AIDE's codes). */
@Command(name = "check", description = "Report differences from the baseline. Exit status: 0 none, 1 differences, 2 error"
        + " (with --exit-code=aide: as aide --check).")
public final class CheckCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Files or directories (default: the baselined areas).")
    List<Path> paths;

    @Option(names = "--paranoid", description = "Re-hash every file, not only those whose inode, size or times changed.")
    boolean paranoid;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json or ndjson.")
    ChangePrinter.Format format = ChangePrinter.Format.text;

    @Mixin
    StoreOptions store;

    @Mixin
    ScanSettings settings;

    @Mixin
    ExitCodes exitCodes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Integrity integrity = settings.integrity(store);
        boolean given = paths != null && !paths.isEmpty();
        List<Path> roots = given ? paths : integrity.areas();
        if (roots.isEmpty()) {
            throw new IllegalStateException("no baseline yet: run `vigil baseline` first");
        }
        if (given) {
            PathArguments.requireBaselined(spec, integrity, paths);
        }
        Problems problems = new Problems(System.err);
        ScanStats stats = new ScanStats();
        String kind = paranoid ? "check-paranoid" : "check";
        try (ChangePrinter printer = new ChangePrinter(format, System.out)) {
            try (Progress ignored = Progress.start(stats, integrity.previousEntries(kind, roots), System.err)) {
                integrity.check(roots, paranoid, problems, stats, printer);
            }
            printer.finish();
            problems.summarise();
            return exitCodes.differences(printer.counts());
        }
    }
}

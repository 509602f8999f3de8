package dev.vigil.cli;

import dev.vigil.fim.Integrity;
import dev.vigil.fim.ScanStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vigil check}: differences from the baseline; exit 0 none, 1 some, 2 error. */
@Command(name = "check", description = "Report differences from the baseline. Exit status: 0 none, 1 differences, 2 error.")
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

    @Override
    public Integer call() {
        Integrity integrity = settings.integrity(store);
        List<Path> roots = paths != null && !paths.isEmpty() ? paths : integrity.areas();
        if (roots.isEmpty()) {
            throw new IllegalStateException("no baseline yet: run `vigil baseline` first");
        }
        ChangePrinter printer = new ChangePrinter(format, System.out);
        Problems problems = new Problems(System.err);
        ScanStats stats = new ScanStats();
        String kind = paranoid ? "check-paranoid" : "check";
        Integrity.Outcome outcome;
        try (Progress ignored = Progress.start(stats, integrity.previousEntries(kind, roots), System.err)) {
            outcome = integrity.check(roots, paranoid, problems, stats, printer);
        }
        printer.finish();
        problems.summarise();
        return outcome.changes() > 0 ? 1 : 0;
    }
}

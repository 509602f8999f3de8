package dev.vigil.cli;

import dev.vigil.fim.FileRecord;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.ScanStats;
import dev.vigil.fim.Scanner;
import dev.vigil.store.Database;
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

    /**
     * The database is verified beside the check: nothing is printed, and no outcome returned, before its verdict,
     * and a damaged database's error is the one told whatever else failed (see {@link ScanSettings#checking}).
     */
    @Override
    public Integer call() throws IOException {
        ScanSettings.Checking checking = settings.checking(store);
        Database.Verdict verdict = checking.verdict();
        try {
            return check(checking.integrity(), verdict);
        } catch (IOException | RuntimeException | Error e) {
            verdict.before(e);
            throw e;
        }
    }

    private int check(Integrity integrity, Database.Verdict verdict) throws IOException {
        boolean given = paths != null && !paths.isEmpty();
        List<Path> roots = given ? paths : integrity.areas();
        if (roots.isEmpty()) {
            throw new IllegalStateException("no baseline yet: run `vigil baseline` first");
        }
        if (given) {
            PathArguments.requireBaselined(spec, integrity, paths);
        }
        Problems problems = new Problems(System.err);
        Scanner.Sink verifiedProblems = new Scanner.Sink() {
            @Override
            public void entry(FileRecord record) {
                problems.entry(record);
            }

            @Override
            public void problem(byte[] path, String message) {
                verdict.await();
                problems.problem(path, message);
            }
        };
        ScanStats stats = new ScanStats();
        String kind = paranoid ? "check-paranoid" : "check";
        try (ChangePrinter printer = new ChangePrinter(format, System.out)) {
            try (Progress ignored = Progress.start(stats, integrity.previousEntries(kind, roots), System.err)) {
                integrity.check(roots, paranoid, verifiedProblems, stats, change -> {
                    verdict.await();
                    printer.accept(change);
                });
            }
            verdict.await();
            printer.finish();
            problems.summarise();
            return exitCodes.differences(printer.counts());
        }
    }
}

package dev.vigil.cli;

import dev.vigil.fim.BaselineStore;
import dev.vigil.store.Database;
import dev.vigil.store.SqliteBaseline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;

/** {@code vigil db}: look at the database. */
@Command(name = "db", description = "Inspect the database.", subcommands = {DbCommand.Stats.class, DbCommand.Verify.class})
public final class DbCommand {

    @Command(name = "verify", description = "Check that the database is intact (SQLite's quick_check)."
            + " Exit status: 0 intact, 2 damaged or unreadable.")
    static final class Verify implements Runnable {
        @Mixin
        StoreOptions store;

        @Override
        public void run() {
            Path file = store.home().database();
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalStateException("no database " + file);
            }
            Database db = store.open();
            db.verify();
            System.out.printf("Database %s is intact%n", db.file());
        }
    }

    @Command(name = "stats", description = "Entries, size and the last runs.")
    static final class Stats implements Runnable {
        @Mixin
        StoreOptions store;

        @Override
        public void run() {
            Database db = store.open();
            SqliteBaseline baseline = new SqliteBaseline(db);
            long[] totals = baseline.totals();
            System.out.printf("Database:   %s (schema %d)%n", db.file(), db.schemaVersion());
            System.out.printf("Baseline:   %,d entries, %,.1f MB of file content, hash %s%n", totals[0], totals[1] / 1e6,
                    baseline.hashAlgorithm().map(Object::toString).orElse("-"));
            BaselineStore.SealState seal = baseline.seal();
            System.out.printf("Seal:       %s over %,d rows, %s%n", seal.value(), seal.rows(), seal.verified() != null
                    ? "verified by the full check of " + seal.verified() : "changed " + seal.changed() + ", not verified since");
            System.out.println("Last runs:");
            for (BaselineStore.ScanRun run : baseline.recentRuns(10)) {
                System.out.printf("  %-15s %s  %,9d entries %,10.1f MB %5.1fs %d errors  %s%n", run.kind(), run.started(),
                        run.entries(), run.bytes() / 1e6, Duration.between(run.started(), run.finished()).toMillis() / 1000.0,
                        run.errors(), run.area());
            }
        }
    }
}

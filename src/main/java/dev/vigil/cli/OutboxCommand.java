package dev.vigil.cli;

import dev.vigil.store.Outbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code vigil outbox}: reports and their delivery per channel. */
@Command(name = "outbox", description = "List reports and their delivery per channel.", subcommands = OutboxCommand.Retry.class)
public final class OutboxCommand implements Callable<Integer> {

    @Option(names = "--failed", description = "Only deliveries given up after the retry max age.")
    boolean failed;

    @Option(names = "--limit", paramLabel = "N", description = "At most N rows (default 50).")
    int limit = 50;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        for (Outbox.Delivery d : new Outbox(store.open()).list(failed, limit)) {
            System.out.printf("%s  %-36s %-8s %-9s %2d attempts  %s  %d findings%s%n", d.created(), d.reportId(), d.channel(),
                    d.status(), d.attempts(), d.report().source(), d.report().findings().size(),
                    d.lastError() == null ? "" : "  last error: " + d.lastError());
        }
        return 0;
    }

    @Command(name = "retry", description = "Queue a failed report again for the channels that gave it up.")
    static final class Retry implements Callable<Integer> {
        @Parameters(paramLabel = "ID", description = "The report id (from `vigil outbox --failed`).")
        String id;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            if (!new Outbox(store.open()).retry(id, Instant.now())) {
                throw new IllegalArgumentException("no failed delivery of report " + id);
            }
            System.out.println("Queued " + id + " again; the running daemon sends it within a second.");
            return 0;
        }
    }
}

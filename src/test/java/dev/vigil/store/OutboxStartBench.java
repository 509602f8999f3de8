package dev.vigil.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measures what the daemon's start pays for {@link Outbox#hashHosts} on a large outbox: DELIVERED rows and GIVEN_UP
 * rows (a channel that failed for long) stored before lanes (no host hash, as migration 014 left them) and a few
 * pending ones, those a lane may read hashed by a first start; then, round after round, a later start's look, with
 * index {@code outbox_delivery_unhashed} (migration 015) and without it (dropped, and made again for the next round),
 * interleaved. Without it the look is a search of index {@code outbox_delivery_due} by status, which reads every
 * pending and given-up row. Run by {@code bench/outbox-start.sh}. Not a test: speed is measured here, never asserted.
 *
 * <p>Arguments: delivered rows (default 1,000,000), given-up rows (default 100,000), rounds (default 10).
 */
public final class OutboxStartBench {

    private OutboxStartBench() {
    }

    public static void main(String[] args) throws Exception {
        int delivered = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int givenUp = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path work = Files.createTempDirectory("vigil-outbox-bench");
        try (Database db = Database.open(work.resolve("vigil.db"))) {
            fill(db, delivered, givenUp);
            Outbox outbox = new Outbox(db);
            outbox.hashHosts();
            List<Double> with = new ArrayList<>();
            List<Double> without = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                with.add(millis(outbox::hashHosts));
                db.update("bench", "DROP INDEX outbox_delivery_unhashed");
                without.add(millis(outbox::hashHosts));
                db.update("bench", "CREATE INDEX outbox_delivery_unhashed ON outbox_delivery(status) WHERE host_hash IS NULL");
            }
            System.out.printf("Outbox.hashHosts at a start after the first: %,d delivered rows without a host hash,"
                    + " %,d given up and 10 pending with one, none left to hash; %d rounds, interleaved; Java %s%n%n",
                    delivered, givenUp, rounds, System.getProperty("java.version"));
            System.out.println("| index outbox_delivery_unhashed | ms (median) | ms (min) | ms (max) |");
            System.out.println("|---|---|---|---|");
            row("with (migration 015)", with);
            row("without (dropped)", without);
        } finally {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(work.resolve("vigil.db" + suffix));
            }
            Files.deleteIfExists(work);
        }
    }

    /** Reports of ten hosts, each delivered or given up by one channel, and ten pending, none with a hash. */
    private static void fill(Database db, int delivered, int givenUp) {
        int rows = delivered + givenUp + 10;
        db.inTransaction("fill", c -> {
            try (PreparedStatement r = c.prepareStatement("INSERT INTO outbox_report(id, seq, created, source, report)"
                    + " VALUES (?, ?, '2026-01-01T00:00:00.000Z', 'files', ?)");
                 PreparedStatement d = c.prepareStatement("INSERT INTO outbox_delivery(report_id, channel, status,"
                         + " next_attempt, delivered) VALUES (?, 'webhook', ?, '2026-01-01T00:00:00.000Z', ?)")) {
                for (int i = 0; i < rows; i++) {
                    String id = "r" + i;
                    r.setString(1, id);
                    r.setLong(2, i);
                    r.setString(3, "{\"host\":\"host" + (i % 10) + "\",\"findings\":[]}");
                    r.executeUpdate();
                    String status = i < delivered ? "DELIVERED" : i < delivered + givenUp ? "FAILED" : "PENDING";
                    d.setString(1, id);
                    d.setString(2, status);
                    d.setString(3, status.equals("DELIVERED") ? "2026-01-01T00:00:01.000Z" : null);
                    d.executeUpdate();
                }
            }
        });
        db.update("fill", "UPDATE outbox_delivery SET host_hash = NULL");
    }

    private static double millis(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return (System.nanoTime() - t) / 1e6;
    }

    private static void row(String what, List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        System.out.printf("| %s | %.2f | %.2f | %.2f |%n", what, sorted.get(sorted.size() / 2), sorted.get(0),
                sorted.get(sorted.size() - 1));
    }
}

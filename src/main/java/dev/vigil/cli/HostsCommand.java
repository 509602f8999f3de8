package dev.vigil.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.config.Key;
import dev.vigil.config.Sizes;
import dev.vigil.store.FleetDataSource;
import dev.vigil.store.FleetStore;
import dev.vigil.text.Printable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vigil hosts}: the fleet's hosts as the collector's fleet store knows them. */
@Command(name = "hosts", description = "List the fleet's hosts from the fleet store (vigil.collect.jdbc.url): last heartbeat,"
        + " file check mode, whether silent, the bytes of its findings stored (and their share of vigil.collect.hostMaxBytes),"
        + " and open deviations (file findings since the host's last ACCEPTED).")
public final class HostsCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() {
        VigilHome home = store.home();
        long share = Sizes.bytes(home.get(Key.COLLECT_HOST_MAX_BYTES));
        try (HikariDataSource fleet = fleetStore(home)) {
            PrintStream out = System.out;
            out.printf("%-30s %-24s %-9s %-8s %-17s %s%n", "HOST", "LAST HEARTBEAT", "MODE", "STATE", "STORED", "OPEN DEVIATIONS");
            for (FleetStore.Host h : new FleetStore(fleet).hosts()) {
                out.printf("%-30s %-24s %-9s %-8s %-17s %d%n", h.name(), h.lastHeartbeat(), h.mode().isEmpty() ? "-" : Printable.of(h.mode()),
                        h.silent() ? "SILENT" : "ok", stored(h.storedBytes(), share), h.openDeviations());
            }
            out.flush();
        }
        return 0;
    }

    /** "61.2 KiB (94%)": a host's stored bytes, and their part of its share of the store. */
    private static String stored(long bytes, long share) {
        String size = bytes < 1 << 20 ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                : bytes < 1 << 30 ? String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20))
                : String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1 << 30));
        return size + " (" + (share <= 0 ? "-" : Math.round(100.0 * bytes / share) + "%") + ")";
    }

    /** The fleet store of the configuration, which the collector must have made. */
    static HikariDataSource fleetStore(VigilHome home) {
        String url = home.get(Key.COLLECT_JDBC_URL);
        if (!FleetDataSource.postgresql(url)) {
            Path file = home.resolve(url);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no fleet store at " + file + " (vigil.collect.jdbc.url): `vigil collect`"
                        + " makes it on its first start");
            }
        }
        return FleetDataSource.open(url, home.get(Key.COLLECT_JDBC_USERNAME), home.get(Key.COLLECT_JDBC_PASSWORD), home.home());
    }
}

package dev.vigil.cli;

import dev.vigil.alert.Json;
import dev.vigil.store.DaemonLock;
import dev.vigil.store.DaemonStatus;
import dev.vigil.store.Outbox;
import dev.vigil.store.StatusFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code vigil status}: whether the daemon on this database runs (its lock, {@link DaemonLock}), and what it last
 * said it is doing (its status file, {@link StatusFile}, which it rewrites every few seconds). Works without the
 * HTTP server. Exit 0 healthy, 1 degraded (a source or a channel failing, or a status that is not the running
 * daemon's or too old), 2 not running.
 */
@Command(name = "status", description = "Whether the daemon runs, and what each source and channel is doing."
        + " Exit 0 healthy, 1 degraded, 2 not running.")
public final class StatusCommand implements Callable<Integer> {

    enum Format { text, json }

    static final int HEALTHY = 0;
    static final int DEGRADED = 1;
    static final int NOT_RUNNING = 2;
    /** A status older than this was not rewritten as the daemon does every few seconds: its writer is stuck. */
    private static final Duration STALE = Duration.ofSeconds(60);

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json.")
    Format format = Format.text;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() throws Exception {
        return show(store.home().database(), format, Instant.now(), System.out);
    }

    static int show(Path database, Format format, Instant now, PrintStream out) throws Exception {
        Optional<Long> pid = DaemonLock.holder(database);
        Optional<DaemonStatus> status = StatusFile.of(database).read();
        String problem = null;
        int exit;
        if (pid.isEmpty()) {
            exit = NOT_RUNNING;
        } else if (status.isEmpty() || (pid.get() != 0 && status.get().pid() != pid.get())) {
            problem = "the daemon (pid " + pid.get() + ") has not written its status yet";
            status = Optional.empty();
            exit = DEGRADED;
        } else if (Duration.between(status.get().written(), now).compareTo(STALE) > 0) {
            problem = "its status was last written at " + status.get().written() + ": the daemon is stuck";
            exit = DEGRADED;
        } else {
            exit = status.get().health() == DaemonStatus.Health.HEALTHY ? HEALTHY : DEGRADED;
        }
        if (format == Format.json) {
            out.println(json(pid, status, problem, exit, now));
        } else {
            text(out, database, pid, status, problem, exit, now);
        }
        return exit;
    }

    private static String json(Optional<Long> pid, Optional<DaemonStatus> status, String problem, int exit, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("running", pid.isPresent());
        out.put("health", exit == HEALTHY ? "healthy" : exit == DEGRADED ? "degraded" : "not running");
        pid.ifPresent(p -> out.put("pid", p));
        if (problem != null) {
            out.put("problem", problem);
        }
        if (pid.isPresent() && status.isPresent()) {
            out.put("uptimeSeconds", Duration.between(status.get().started(), now).toSeconds());
            @SuppressWarnings("unchecked")
            Map<String, Object> daemon = Json.mapper().convertValue(status.get(), Map.class);
            daemon.forEach(out::putIfAbsent);
        }
        return Json.write(out);
    }

    private static void text(PrintStream out, Path database, Optional<Long> pid, Optional<DaemonStatus> status, String problem,
                             int exit, Instant now) {
        if (pid.isEmpty()) {
            out.println("vigil is not running (no daemon holds the lock of " + database + ")"
                    + status.map(s -> "; its last status was written at " + s.written()).orElse(""));
            return;
        }
        String version = status.map(s -> "vigil " + s.version() + " ").orElse("vigil ");
        out.println(version + "is running, pid " + pid.get()
                + status.map(s -> ", up " + uptime(Duration.between(s.started(), now)) + " (since " + s.started() + ")").orElse(""));
        out.println("health: " + (exit == HEALTHY ? "healthy" : "degraded") + (problem == null ? "" : ": " + problem));
        if (status.isEmpty()) {
            return;
        }
        out.println("sources:");
        for (DaemonStatus.SourceStatus s : status.get().sources()) {
            String state = !s.running() ? "NOT RUNNING" : s.failing() != null ? "FAILING: " + s.failing() : "working";
            out.println("  " + s.route() + " (" + s.source() + "): " + state);
            s.facts().forEach((name, value) -> facts(out, "    ", name, value));
        }
        out.println("channels:");
        List<Outbox.ChannelState> channels = status.get().channels();
        if (channels.isEmpty()) {
            out.println("  none");
        }
        for (Outbox.ChannelState c : channels) {
            out.println("  " + c.channel() + ": " + (c.failing() == null ? "working" : "FAILING: " + c.failing())
                    + "; backlog " + c.backlog() + ", given up " + c.givenUp() + ", last delivery "
                    + (c.lastDelivery() == null ? "never" : c.lastDelivery()));
        }
    }

    /** A fact as "name: value", a list of maps (the log groups) one entry each, a map (the files' offsets) one line each. */
    private static void facts(PrintStream out, String indent, String name, Object value) {
        if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?>) {
            out.println(indent + name + ":");
            for (Object item : list) {
                out.println(indent + "  -");
                ((Map<?, ?>) item).forEach((k, v) -> facts(out, indent + "    ", String.valueOf(k), v));
            }
        } else if (value instanceof Map<?, ?> map) {
            out.println(indent + name + ":");
            map.forEach((k, v) -> out.println(indent + "  " + k + ": " + (v == null ? "not read yet" : v)));
        } else {
            out.println(indent + name + ": " + value);
        }
    }

    /** "3d 4h", "2h 5m", "4m 10s", "12s". */
    static String uptime(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 86_400) {
            return String.format(Locale.ROOT, "%dd %dh", s / 86_400, s % 86_400 / 3600);
        }
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh %dm", s / 3600, s % 3600 / 60);
        }
        return s >= 60 ? String.format(Locale.ROOT, "%dm %ds", s / 60, s % 60) : s + "s";
    }
}

package dev.vigil;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real, throwaway PostgreSQL server for a test class: Debian's {@code postgresql} package's initdb and pg_ctl
 * (/usr/lib/postgresql/VERSION/bin) make a cluster in a temporary directory and start it on a free loopback port,
 * trusting local logins. PostgreSQL refuses to run as root, so when the test runs as root the server runs as the
 * {@code postgres} user (through runuser) in a directory it owns. Register it as a static
 * {@code @RegisterExtension} field; {@link #newDatabase()} starts the server on its first call and gives each
 * test a database of its own. Without the package a test asking for one is skipped through an assumption that
 * says so (the others of the class run).
 */
public final class PostgresServer implements AfterAllCallback, AutoCloseable {

    private static final String USER = "vigil";
    private final AtomicInteger databases = new AtomicInteger();
    private Path bin;
    private Path dir;
    private int port;
    private boolean asPostgres;

    private void start() throws Exception {
        Optional<Path> found = binaries();
        assumeTrue(found.isPresent(), "PostgreSQL's initdb and pg_ctl are not installed (Debian package postgresql)");
        bin = found.get();
        asPostgres = "root".equals(System.getProperty("user.name"));
        dir = Files.createTempDirectory("vigil-pg");
        if (asPostgres) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path data = dir.resolve("data");
        asServerUser(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust",
                "--no-sync", "-E", "UTF8", "--locale=C"));
        asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "120", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    /** Stops the server and deletes its cluster; outside JUnit (bench/fleet.sh) the owner calls this. */
    @Override
    public void close() throws Exception {
        if (dir == null) {
            return;
        }
        try {
            asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** A new empty database on the server, as a JDBC URL with the login in it. */
    public synchronized String newDatabase() throws Exception {
        if (dir == null) {
            start();
        }
        String name = "fleet" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    /**
     * The server's CPU time so far, in clock ticks (/proc/PID/stat): the postmaster's own and that of its children
     * that exited, and each living child's (the backends, the writer, the WAL writer). For bench/fleet.sh.
     */
    public long cpuTicks() throws IOException {
        String postmaster = Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).get(0).strip();
        long ticks = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path p : processes.filter(f -> f.getFileName().toString().matches("\\d+")).toList()) {
                String[] fields;
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                } catch (IOException gone) {
                    continue;
                }
                boolean self = p.getFileName().toString().equals(postmaster);
                // fields from the state on: 1 ppid, 11 utime, 12 stime, 13 cutime, 14 cstime
                if (self || fields[1].equals(postmaster)) {
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
                if (self) {
                    ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
                }
            }
        }
        return ticks;
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    /** The bin directory of the newest installed PostgreSQL with initdb and pg_ctl. */
    private static Optional<Path> binaries() throws IOException {
        Path versions = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            return Optional.empty();
        }
        try (Stream<Path> each = Files.list(versions)) {
            return each.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb"))
                    && Files.isExecutable(b.resolve("pg_ctl"))).max(Comparator.comparing(Path::toString));
        }
    }

    private void asServerUser(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("vigil-pg", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " still running after 3 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}

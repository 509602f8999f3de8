package dev.vigil.pid;

import dev.vigil.os.Proc;
import dev.vigil.Await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Starts real processes for tests (of this package and of the daemon) and kills whatever is left of them afterwards. */
public final class RealProcesses implements AutoCloseable {

    private final List<Process> started = new ArrayList<>();

    /** A shell that writes its own PID ($$) to {@code pidFile}, then becomes {@code sleep 60} under that PID. */
    public Process daemon(Path pidFile) throws IOException {
        Process p = start("sh", "-c", "echo $$ > \"$0\"; exec sleep 60", pidFile.toString());
        await(() -> "/usr/bin/sleep".equals(exe(p.pid())), "pid " + p.pid() + " to exec sleep");
        return p;
    }

    public Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    /** Kills {@code p} and waits until it is reaped, so its PID is gone from /proc. */
    public static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor();
    }

    public static String exe(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
        } catch (IOException e) {
            return null;
        }
    }

    static char state(long pid) {
        try {
            return Proc.parseStat(Files.readString(Path.of("/proc/" + pid + "/stat"))).state();
        } catch (IOException e) {
            return '?';
        }
    }

    /** {@link Await#until} for callers that do not declare InterruptedException. */
    public static void await(BooleanSupplier condition, String what) {
        try {
            Await.until(what, condition);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            kill(p);
        }
    }
}

package dev.vigil.pid;

import dev.vigil.alert.Finding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real container in miniature: {@code unshare} gives a shell its own PID and mount namespaces, the shell
 * bind-mounts the host's /usr into a root directory and chroots there, and writes its PID (1 inside) to
 * {@code /run/app.pid} of that root.
 */
class ContainerPidTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T03:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final RealProcesses processes = new RealProcesses();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        processes.close();
    }

    private Path containerRoot(String name) throws Exception {
        Path root = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(root.resolve("usr"));
        Files.createDirectories(root.resolve("run"));
        for (String link : List.of("bin", "lib", "lib64", "sbin")) {
            Files.createSymbolicLink(root.resolve(link), Path.of("usr", link));
        }
        return root;
    }

    /** Starts the container and returns the host PID of its PID 1 once it runs sleep. */
    private long startContainer(Path root) throws Exception {
        Process unshare = processes.start("unshare", "--mount", "--pid", "--fork", "--kill-child", "sh", "-c",
                "mount --bind /usr \"$0/usr\" && exec chroot \"$0\" sh -c 'echo $$ > /run/app.pid; exec sleep 60'",
                root.toString());
        // Seen from the host, the container's sleep runs the bind-mounted copy under its root.
        String sleep = root.resolve("usr/bin/sleep").toString();
        RealProcesses.await(() -> unshare.descendants().anyMatch(h -> sleep.equals(RealProcesses.exe(h.pid())))
                || !unshare.isAlive(), "the container to start");
        Assumptions.assumeTrue(unshare.isAlive(), "needs unshare with PID and mount namespaces (root)");
        return unshare.descendants().filter(h -> sleep.equals(RealProcesses.exe(h.pid()))).findFirst().orElseThrow().pid();
    }

    @Test
    void containerPidIsMappedToItsHostPidThroughNSpid() throws Exception {
        Path root = containerRoot("web");
        long hostPid = startContainer(root);
        Path pidFile = root.resolve("run/app.pid");
        assertEquals("1", Files.readString(pidFile).strip());
        PidChecker checker = new PidChecker(new PidOptions(null, List.of(pidFile.toString()), null, null, null,
                Map.of("web", root)), "testhost", CLOCK);

        PidChecker.PidCheck first = checker.check(Map.of());

        assertEquals(List.of(), first.findings());
        ProcessInfo seen = first.state().get(pidFile.toString()).process();
        assertEquals(hostPid, seen.pid());
        assertEquals("sleep", seen.command());

        ProcessHandle.of(hostPid).orElseThrow().destroyForcibly();
        // Gone from /proc, reaped: its exe link goes earlier, while it is still exiting, and a check then saw it running
        RealProcesses.await(() -> !Files.exists(Path.of("/proc/" + hostPid)), "the container process to be reaped");
        List<Finding> died = checker.check(first.state()).findings();

        assertEquals(List.of("DIED"), died.stream().map(Finding::kind).toList());
        assertEquals("web", died.get(0).details().get("container"));
        assertEquals(1, died.get(0).details().get("containerPid"));
        assertEquals((int) hostPid, died.get(0).details().get("before.pid"));
    }

    @Test
    void pidOneOfAnotherContainerIsNotTakenForThisOnes() throws Exception {
        Path running = containerRoot("running");
        startContainer(running);
        Path empty = containerRoot("empty");
        Path pidFile = empty.resolve("run/app.pid");
        Files.writeString(pidFile, "1\n");
        PidChecker checker = new PidChecker(new PidOptions(null, List.of(pidFile.toString()), null, null, null,
                Map.of("running", running, "empty", empty)), "testhost", CLOCK);

        List<Finding> findings = checker.check(Map.of()).findings();

        assertEquals(List.of("DIED"), findings.stream().map(Finding::kind).toList());
        assertEquals("empty", findings.get(0).details().get("container"));
    }
}

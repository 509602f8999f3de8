package dev.vigil.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.Await;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ProcessTableTest {

    /**
     * Exited processes are remembered for a minute so that their late-read events are attributed, but never more
     * than a bound: a fork flood otherwise kept one entry per pid up to kernel.pid_max (over a gigabyte of heap).
     */
    @Test
    void exitedProcessesAreRememberedUpToABound() throws Exception {
        try (ProcessTable table = ProcessTable.start(true, 4)) {
            Assumptions.assumeTrue(table.connected(), "the process connector needs root (CAP_NET_ADMIN)");
            List<Integer> pids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Process p = new ProcessBuilder("true").start();
                int pid = (int) p.pid();
                pids.add(pid);
                Await.until("process " + pid + " known", () -> {
                    table.catchUp();
                    return table.lookup(pid).known();
                });
                assertEquals(0, p.waitFor());
            }
            // other processes of the machine exit too: each counts against the bound, so only the bound is certain
            Await.until("the first one's exit forgotten, four exits kept at most", () -> {
                table.catchUp();
                return !table.remembersExit(pids.get(0)) && table.exitedKept() <= 4;
            });
        }
    }
}

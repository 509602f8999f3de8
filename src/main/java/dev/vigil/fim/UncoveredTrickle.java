package dev.vigil.fim;

import dev.vigil.source.Supervisor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The part of the watched areas that has no kernel watch (inotify's per-user watch limit reached, a mount that
 * fanotify could not mark), checked continuously by a {@link Trickle} instead: the same paced, random-order
 * check as the {@code fscan:} trickle, over those directories only. The set can grow while the daemon runs
 * (a directory created after the limit was reached); {@link #grown} then restarts the trickle over the larger
 * set, since a trickle's areas are fixed. Runs on a thread of its own, waiting while nothing is uncovered, under a
 * {@link Supervisor}: a trickle that fails starts again after a backoff.
 */
public final class UncoveredTrickle implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(UncoveredTrickle.class);

    private final String who;
    private final Supplier<List<Path>> uncovered;
    private final BaselineStore store;
    private final TrickleOptions options;
    private final Trickle.Listener listener;
    private final Object lock = new Object();
    private Trickle current;
    private long generation;
    private boolean stopped;
    private int logged;
    private final Supervisor supervisor;

    public UncoveredTrickle(String who, Supplier<List<Path>> uncovered, BaselineStore store, TrickleOptions options,
                     Trickle.Listener listener) {
        this.who = who;
        this.uncovered = uncovered;
        this.store = store;
        this.options = options;
        this.listener = listener;
        this.supervisor = new Supervisor(who + " trickle of unwatched directories");
    }

    /** The name of the trickle over what {@code who} leaves unwatched, under which the store keeps its order. */
    public static String name(String who) {
        return who + " unwatched";
    }

    @Override
    public void run() {
        supervisor.run(this::trickle);
    }

    private Void trickle() throws InterruptedException {
        while (true) {
            Trickle trickle;
            synchronized (lock) {
                long seen = generation;
                List<Path> roots = outermost(uncovered.get());
                while (!stopped && roots.isEmpty() && seen == generation) {
                    lock.wait();
                }
                if (stopped) {
                    return null;
                }
                if (roots.isEmpty()) {
                    continue;
                }
                trickle = new Trickle(store, name(who), roots, options);
                current = trickle;
                if (roots.size() != logged) {
                    logged = roots.size();
                    LOG.info("{}: {} directories without a kernel watch are checked by a trickle instead", who, logged);
                }
            }
            trickle.run(listener);
        }
    }

    /** More is uncovered than when the current trickle began: it starts again over the whole set. */
    public void grown() {
        synchronized (lock) {
            generation++;
            if (current != null) {
                current.stop();
            }
            lock.notifyAll();
        }
    }

    public void stop() {
        supervisor.stop();
        synchronized (lock) {
            stopped = true;
            if (current != null) {
                current.stop();
            }
            lock.notifyAll();
        }
    }

    /** The paths that are not under another of them: a trickle over both would check the inner one twice. */
    static List<Path> outermost(List<Path> paths) {
        Set<Path> all = new HashSet<>(paths);
        List<Path> out = new ArrayList<>();
        for (Path p : all) {
            Path up = p.getParent();
            while (up != null && !all.contains(up)) {
                up = up.getParent();
            }
            if (up == null) {
                out.add(p);
            }
        }
        out.sort(null);
        return out;
    }
}

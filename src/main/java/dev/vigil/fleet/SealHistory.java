package dev.vigil.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Each host's baseline seal as its heartbeats show it and its ACCEPTED reports announce it. A host changes its
 * baseline only through Vigil ({@code vigil accept}, {@code vigil baseline}, a first baseline), and each of those
 * reports ACCEPTED with the seal after it; a seal that changes without such an announcement, before it or within
 * {@code tolerance} after the heartbeat that showed it, was changed behind Vigil's back: BASELINE_TAMPERED.
 *
 * <p>The tolerance exists because the two travel apart: a heartbeat goes out every minute, while an ACCEPTED
 * finding waits in its report pool ({@code vigil.report.files.reportTime} and holdoff) and may come minutes
 * later. An announcement counts once: when a heartbeat shows its seal, that announcement and every earlier one
 * are spent, so a baseline rolled back to an older accepted state is a change nobody announced.
 *
 * <p>Times are the caller's (the collector's clock when a message arrives is the safe choice: a host's clock is
 * the host's to change). The first heartbeat of a host gives its starting seal; so does {@link #known}, for a
 * collector that restarts with its history in its store. Thread-safe.
 */
public final class SealHistory {

    /** How many announcements not yet seen in a heartbeat are kept per host; the oldest go first. */
    static final int ANNOUNCEMENTS_KEPT = 256;

    /** A seal change nobody announced: from the seal known before to the one a heartbeat showed {@code seen}. */
    public record Tampered(String host, String from, String to, Instant seen) {
    }

    private record Unannounced(String from, String to, Instant seen) {
    }

    private static final class Host {
        /** The seal last shown by a heartbeat, or null before the first. */
        String current;
        /** Seals announced and not yet shown by a heartbeat, oldest first. */
        final List<String> announced = new ArrayList<>();
        final List<Unannounced> waiting = new ArrayList<>();
    }

    private final Duration tolerance;
    private final Map<String, Host> hosts = new HashMap<>();

    public SealHistory(Duration tolerance) {
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("a tolerance is not negative: " + tolerance);
        }
        this.tolerance = tolerance;
    }

    /** Sets a host's seal as known (a collector's stored history), without a verdict. */
    public synchronized void known(String host, String seal) {
        hosts.computeIfAbsent(host, h -> new Host()).current = seal;
    }

    /** The seal a host's heartbeats last showed, or null. */
    public synchronized String current(String host) {
        Host h = hosts.get(host);
        return h == null ? null : h.current;
    }

    /** A heartbeat showing {@code seal}; returns nothing: a change not announced yet waits for its tolerance. */
    public synchronized void heartbeat(String host, String seal, Instant at) {
        Host h = hosts.computeIfAbsent(host, k -> new Host());
        if (seal.equals(h.current)) {
            return;
        }
        String from = h.current;
        h.current = seal;
        if (spend(h, seal) || from == null) {
            return;
        }
        h.waiting.add(new Unannounced(from, seal, at));
    }

    /** An ACCEPTED report announcing {@code seal}: a change a heartbeat showed before it is explained. */
    public synchronized void accepted(String host, String seal) {
        Host h = hosts.computeIfAbsent(host, k -> new Host());
        if (h.waiting.removeIf(w -> w.to().equals(seal))) {
            return;
        }
        if (seal.equals(h.current)) {
            return; // announced after a heartbeat that arrived first and a tolerance that had not passed: fine
        }
        h.announced.add(seal);
        if (h.announced.size() > ANNOUNCEMENTS_KEPT) {
            h.announced.remove(0);
        }
    }

    /** The changes whose tolerance has passed at {@code now} without an announcement, each once, oldest first. */
    public synchronized List<Tampered> due(Instant now) {
        List<Tampered> out = new ArrayList<>();
        hosts.forEach((name, h) -> {
            for (Iterator<Unannounced> it = h.waiting.iterator(); it.hasNext(); ) {
                Unannounced w = it.next();
                if (!w.seen().plus(tolerance).isAfter(now)) {
                    out.add(new Tampered(name, w.from(), w.to(), w.seen()));
                    it.remove();
                }
            }
        });
        out.sort(java.util.Comparator.comparing(Tampered::seen));
        return out;
    }

    /** Spends the announcement of {@code seal} and every earlier one; false if it was not announced. */
    private static boolean spend(Host h, String seal) {
        for (int i = h.announced.size() - 1; i >= 0; i--) {
            if (h.announced.get(i).equals(seal)) {
                h.announced.subList(0, i + 1).clear();
                return true;
            }
        }
        return false;
    }
}

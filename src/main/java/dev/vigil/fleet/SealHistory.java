package dev.vigil.fleet;

import dev.vigil.fim.Seal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each host's baseline seal as its heartbeats show it, and the changes waiting for their verdict. A host changes
 * its baseline only through Vigil ({@code vigil accept}, {@code vigil baseline}, a first baseline), and each of
 * those reports ACCEPTED with the seal after it; a seal that changes without such an announcement, before it or
 * within {@code tolerance} after the heartbeat that showed it, was changed behind Vigil's back: BASELINE_TAMPERED.
 *
 * <p>The tolerance exists because the two travel apart: a heartbeat goes out every minute, while an ACCEPTED
 * finding waits in its report pool ({@code vigil.report.files.reportTime} and holdoff) and may come minutes
 * later. They travel on two topics, too, and with more than one collector a host's heartbeats and its reports are
 * read by different ones: so the announcements are not kept here but asked of the fleet store when a change is
 * {@link #due} (routes/collect/fleet.yaml, route fleet-seals), which every collector writes. A change this gives
 * is tampering unless an ACCEPTED finding announcing its new seal was made no earlier than the heartbeat that first
 * showed its old seal, both by the host's clock ({@link Change#fromShown}): an announcement counts once, so a
 * baseline rolled back to an older accepted state is a change nobody announced.
 *
 * <p>The tolerance runs on the caller's clock (the collector's when a message arrives is the safe choice: a host's
 * clock is the host's to change); an announcement is placed by the host's own clock, which it also made the
 * ACCEPTED's time with, so a skew between the two clocks moves neither. The first heartbeat of a host gives its
 * starting seal; so does {@link #known}, for a collector that restarts with its history in its store. A change from the seal of no rows is a host's first
 * baseline, which Vigil does not announce (a host's first heartbeat may come before it), and is no tampering;
 * a change to it (the rows deleted) is judged as any other.
 *
 * <p>What a host's decision waits on (its seal, the changes not yet judged) is its {@link HostState}: a heartbeat
 * that changes it returns it, for the caller to keep in its store before it acts on the change; a change judged is
 * taken out of the state kept ({@link HostState#without}) and then out of this ({@link #judged}); and
 * {@link #restore} gives it back after a restart, so a change seen before a collector is killed is judged after
 * it.
 *
 * <p>A host's key signs as many heartbeats as it likes, and each new seal one shows is a row of its seal history and,
 * unannounced, a BASELINE_TAMPERED finding, neither part of the host's share of the fleet store (its findings are the
 * collector's own): so at most {@code sealsPerHour} new seals of a host are taken in an hour (the collector's clock,
 * from the first of them), and a later one changes nothing until the hour has passed; the next seal shown then is
 * judged as a change from the last taken. A host that changes its baseline that often behind Vigil's back has been
 * BASELINE_TAMPERED many times already that hour; one that accepts that often has its last ACCEPTED announce the
 * seal its changes ended at. Thread-safe.
 */
public final class SealHistory {

    /**
     * How many changes waiting for their tolerance are kept per host: past that, the oldest are due at once, not
     * after their tolerance. A host's heartbeats are hostile input, and one changing its seal over and over would
     * otherwise grow its state (kept in the fleet store at every change) without bound.
     */
    static final int WAITING_KEPT = 256;

    /** The period {@code sealsPerHour} counts new seals in. */
    static final Duration HOUR = Duration.ofHours(1);

    /** A change of a host's seal whose tolerance has passed: announced, or tampering. */
    public record Due(String host, Change change) {
    }

    /**
     * A seal change a heartbeat showed {@code seen} (the collector's clock), waiting for its tolerance to pass.
     * {@code fromShown} is when the host says the heartbeat that first showed {@code from} was sent (its signed time):
     * an announcement of {@code to} must be made no earlier, by the same clock; null when not known (a seal known
     * from the fleet store at start, or kept by an older collector).
     */
    public record Change(String from, String to, Instant seen, Instant fromShown) {
    }

    /**
     * What one host's decision waits on: the seal its heartbeats last showed (null before the first), when the host
     * says it first showed it, the changes shown and not yet judged, when it first showed it by the host's clock but
     * never later than the collector's (null in a state kept before session 22), and since when (the collector's
     * clock) it has shown how many new seals, for {@code sealsPerHour} (null and 0 in a state kept before session 30).
     * (A state kept by an older collector also lists the seals announced: not read.)
     */
    public record HostState(String current, Instant currentShown, List<Change> waiting, Instant currentSince,
                            Instant hourStarted, int sealsInHour) {
        public HostState {
            waiting = waiting == null ? List.of() : List.copyOf(waiting);
        }

        /** This state without the changes {@code judged}, or empty when it waits on none of them. */
        public Optional<HostState> without(Collection<Change> judged) {
            List<Change> left = waiting.stream().filter(c -> !judged.contains(c)).toList();
            return left.size() == waiting.size() ? Optional.empty()
                    : Optional.of(new HostState(current, currentShown, left, currentSince, hourStarted, sealsInHour));
        }
    }

    private static final class Host {
        /** The seal last shown by a heartbeat, or null before the first. */
        String current;
        /** When the host says it sent the heartbeat that first showed {@link #current}, or null. */
        Instant currentShown;
        /**
         * {@link #currentShown}, but never later than the collector's clock when it was read: a heartbeat sent before
         * it changes nothing, and a host whose clock ran ahead then must not have its later heartbeats ignored.
         */
        Instant currentSince;
        final List<Change> waiting = new ArrayList<>();
        /** When the hour of the new seals counted in {@link #sealsInHour} started (the collector's clock), or null. */
        Instant hourStarted;
        int sealsInHour;

        HostState state() {
            return new HostState(current, currentShown, waiting, currentSince, hourStarted, sealsInHour);
        }
    }

    /** The seal of an empty baseline. */
    private static final String NO_ROWS = Seal.empty().value();

    private final Duration tolerance;
    private final int sealsPerHour;
    private final Map<String, Host> hosts = new HashMap<>();

    /** @param sealsPerHour how many new seals of a host are taken in an hour ({@code vigil.collect.sealsPerHour}) */
    public SealHistory(Duration tolerance, int sealsPerHour) {
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("a tolerance is not negative: " + tolerance);
        }
        if (sealsPerHour < 1) {
            throw new IllegalArgumentException("a host shows at least one new seal an hour: " + sealsPerHour);
        }
        this.tolerance = tolerance;
        this.sealsPerHour = sealsPerHour;
    }

    /** Sets a host's seal as known (the fleet store's at start), without a verdict. */
    public synchronized void known(String host, String seal) {
        Host h = hosts.computeIfAbsent(host, k -> new Host());
        if (!seal.equals(h.current)) {
            h.current = seal;
            h.currentShown = null;
            h.currentSince = null;
        }
    }

    /**
     * Gives a host back the state a call returned, as the fleet store keeps it: at start (it replaces what
     * {@link #known} set), and before each heartbeat showing a seal, as another collector may have read the host's
     * heartbeats since this one last did (a rebalance, a collector killed while a change waited).
     */
    public synchronized void restore(String host, HostState state) {
        Host h = new Host();
        h.current = state.current();
        h.currentShown = state.currentShown();
        h.currentSince = state.currentSince();
        h.waiting.addAll(state.waiting());
        h.hourStarted = state.hourStarted();
        h.sealsInHour = state.sealsInHour();
        hosts.put(host, h);
    }

    /** The seal a host's heartbeats last showed, or null. */
    public synchronized String current(String host) {
        Host h = hosts.get(host);
        return h == null ? null : h.current;
    }

    /**
     * A heartbeat showing {@code seal}, read {@code at} and sent {@code sent} (the host's signed time): a change waits
     * for its tolerance. Returns the host's state when the heartbeat changed it, else empty. A heartbeat sent before
     * the one that first showed the current seal (by the host's clock, but never after the collector's then) changes
     * nothing: a host's heartbeats come in order (one partition, by host), so it is a record sent again, by anyone who
     * can write to the topic (its signature holds for {@code vigil.collect.maxAge}), and would roll the seal back to
     * one nobody announced since. Nor does a new seal beyond the host's {@code sealsPerHour} in the hour.
     */
    public synchronized Optional<HostState> heartbeat(String host, String seal, Instant at, Instant sent) {
        Host h = hosts.computeIfAbsent(host, k -> new Host());
        if (seal.equals(h.current) || (h.currentSince != null && sent.isBefore(h.currentSince))) {
            return Optional.empty();
        }
        if (h.hourStarted == null || !at.isBefore(h.hourStarted.plus(HOUR))) {
            h.hourStarted = at;
            h.sealsInHour = 0;
        }
        if (h.sealsInHour >= sealsPerHour) {
            return Optional.empty();
        }
        h.sealsInHour++;
        String from = h.current;
        Instant fromShown = h.currentShown;
        h.current = seal;
        h.currentShown = sent;
        h.currentSince = sent.isAfter(at) ? at : sent;
        if (from != null && !from.equals(NO_ROWS)) {
            h.waiting.add(new Change(from, seal, at, fromShown));
        }
        return Optional.of(h.state());
    }

    /**
     * The changes whose tolerance has passed at {@code now}, and those beyond {@link #WAITING_KEPT} of a host's
     * (its oldest), oldest first: the caller asks the fleet store whether each was announced. They stay in their
     * host's state (given again, and judged again after a restart) until {@link #judged} takes them out, which the
     * caller does once it has kept the findings of those nobody announced.
     */
    public synchronized List<Due> due(Instant now) {
        List<Due> out = new ArrayList<>();
        hosts.forEach((name, h) -> {
            int pastTheBound = h.waiting.size() - WAITING_KEPT;
            for (int i = 0; i < h.waiting.size(); i++) {
                Change w = h.waiting.get(i);
                if (i < pastTheBound || !w.seen().plus(tolerance).isAfter(now)) {
                    out.add(new Due(name, w));
                }
            }
        });
        out.sort(java.util.Comparator.comparing(d -> d.change().seen()));
        return out;
    }

    /**
     * Takes the changes {@link #due} gave out of their hosts' states here. The caller takes them out of the states it
     * keeps ({@link HostState#without}) first: what this holds of a host whose heartbeats another collector reads may
     * be behind what that one kept.
     */
    public synchronized void judged(List<Due> judged) {
        for (Due d : judged) {
            Host h = hosts.get(d.host());
            if (h != null) {
                h.waiting.remove(d.change());
            }
        }
    }
}

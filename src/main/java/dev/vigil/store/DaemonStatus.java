package dev.vigil.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the running daemon is doing, as one value: which process it is, since when, and per source and per channel
 * whether it works and what it is at. The daemon makes it from its live parts (see
 * {@code camel.daemon.StatusModel}); {@code vigil status}, {@code /health} and the web view read it, the first
 * through the {@link StatusFile}. Its JSON form is the status file's and {@code vigil status --format json}'s.
 *
 * @param pid      the daemon's process id
 * @param version  Vigil's version
 * @param started  when the daemon started
 * @param written  when this status was made
 * @param sources  every source route, in route order
 * @param channels every channel the outbox has deliveries for, by name
 */
public record DaemonStatus(long pid, String version, Instant started, Instant written, List<SourceStatus> sources,
                           List<Outbox.ChannelState> channels) {

    /** Exit status of {@code vigil status}, and the daemon's health: each a sentence. */
    public enum Health { HEALTHY, DEGRADED }

    /**
     * One source route.
     *
     * @param route   the route id ({@code files-watch})
     * @param source  what it watches: {@code files}, {@code logs} or {@code pids}
     * @param running whether the route runs
     * @param failing why it does not work as configured (its work failing, a rule tree missing), or null
     * @param facts   what it is at, by name (the mode of a watch, the areas, the last full check, the offsets
     *                of the logs, ...), numbers and times as numbers and RFC 3339 text
     */
    public record SourceStatus(String route, String source, boolean running, String failing, Map<String, Object> facts) {

        public boolean healthy() {
            return running && failing == null;
        }
    }

    public Health health() {
        boolean sourcesWork = sources.stream().allMatch(SourceStatus::healthy);
        boolean channelsWork = channels.stream().allMatch(c -> c.failing() == null);
        return sourcesWork && channelsWork ? Health.HEALTHY : Health.DEGRADED;
    }
}

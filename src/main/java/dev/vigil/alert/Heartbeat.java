package dev.vigil.alert;

import java.time.Instant;
import java.util.Map;

/**
 * What a host tells the fleet every {@code vigil.kafka.heartbeat}, as the value of its record on the compacted
 * heartbeat topic (docs/ARCHITECTURE.md, "Fleet wire format"): that it runs, since when, how its sources watch
 * ({@code sources}: {@code files} is fanotify, inotify, trickle, scan or off; {@code logs} and {@code pids} on or
 * off), when its last full check ended, how many reports wait per channel ({@code outbox}), and the seal of its
 * baseline. {@code lastFullCheck} and {@code seal} are null while there is none.
 */
public record Heartbeat(String host, String version, Instant startedAt, Instant sentAt, long uptimeSeconds,
                        Map<String, String> sources, Instant lastFullCheck, Map<String, Long> outbox, Seal seal) {

    /** The seal of a baseline: a hash over its rows in path order, how many rows, and when it was last verified. */
    public record Seal(String value, long rows, Instant verifiedAt) {
    }

    /** The record's id header: {@code host:sentAt-millis}. */
    public String id() {
        return host + ":" + sentAt.toEpochMilli();
    }

    public String toJson() {
        return Json.write(this);
    }

    public static Heartbeat fromJson(String json) {
        return Json.read(json, Heartbeat.class);
    }
}

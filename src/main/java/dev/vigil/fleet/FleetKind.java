package dev.vigil.fleet;

/** The kinds of finding the collector makes about the fleet itself (source {@code fleet}). */
public enum FleetKind {
    /** A record failed its signature, came from a host with no key, or could not be read: quarantined. */
    REJECTED,
    /** A host's heartbeats stopped for longer than {@code vigil.collect.silence}. */
    HOST_SILENT,
    /** A silent host's heartbeats came back. */
    HOST_BACK,
    /** A host's baseline seal changed with no ACCEPTED report announcing it. */
    BASELINE_TAMPERED
}

package dev.vigil.config;

/** Vigil's version, as {@code vigil --version} and the fleet's heartbeats tell it. */
public final class Version {

    public static final String VERSION = "0.1.0";

    private Version() {
    }
}

/**
 * The daemon's Camel set-up: the beans the YAML routes call, their configuration from {@code vigil.*} keys, the report pipeline, and the fleet's heartbeats.
 */
package dev.vigil.camel.daemon;

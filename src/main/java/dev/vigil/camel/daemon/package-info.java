/**
 * The daemon's Camel set-up: the beans the YAML routes call, their configuration from {@code vigil.*} keys, and the report pipeline.
 */
package dev.vigil.camel.daemon;

/**
 * The daemon's Camel set-up: the beans the YAML routes call, their configuration from {@code vigil.*} keys, the report
 * pipeline, the fleet's heartbeats, and the route files read without starting them ({@code vigil config check}).
 */
package dev.vigil.camel.daemon;

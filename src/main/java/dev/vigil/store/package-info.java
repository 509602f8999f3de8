/**
 * Everything Vigil keeps, in one SQLite file ({@code Database}, migrated forward on open, private to its
 * owner): the baseline, the event history, pooled findings and the outbox of reports, log offsets, rule
 * statistics and PID states, each behind one class. The only package that knows SQL, but for the collector's fleet
 * store, whose schema and writes are in routes/collect/fleet.yaml: here are its DataSource ({@code FleetDataSource})
 * and what the commands read of it ({@code FleetStore}). Beside it the alert file ({@code AlertFile}: appended,
 * rotated by size) and what both are written through ({@code PrivateFiles}).
 */
package dev.vigil.store;

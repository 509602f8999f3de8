/**
 * Vigil's adapters to Apache Camel, one sub-package per component ({@code fscan}, {@code fswatch},
 * {@code logtail}, {@code pidcheck}), the channel beans ({@code channel}) and the daemon's set-up
 * ({@code daemon}). This package holds only what the components share: the finding headers, sending a finding
 * into a route, the polling endpoint base, the supervised polling consumer base and the registry look-ups.
 */
package dev.vigil.camel;

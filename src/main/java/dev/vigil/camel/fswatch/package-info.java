/**
 * The {@code fswatch:} component: the real-time watch (fanotify, else inotify) of file areas, verified against the baseline.
 */
package dev.vigil.camel.fswatch;

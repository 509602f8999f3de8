/**
 * The real-time watch, in plain Java over JNA: the kernel's file events (fanotify with the process that made
 * them, else recursive inotify) and mount changes turned into {@code FileEvent}s on a bounded queue
 * ({@code NativeWatcher}), debounced per path ({@code Debouncer}), and verified against the baseline as they
 * come ({@code FileEventVerifier}). {@code Attribution} tells which processes made a file finding's change from
 * the raw events kept through {@code EventHistory}, which the store implements.
 */
package dev.vigil.watch;

/**
 * Process checks: PID files and required commands compared with what the previous check saw
 * ({@code PidChecker}), each change a {@code PidKind}; the checker keeps no state, its caller stores it.
 */
package dev.vigil.pid;

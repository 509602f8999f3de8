/**
 * The operating system as Vigil reaches it, in one place: the libc binding ({@link dev.vigil.os.Libc}), paths
 * as the kernel's raw bytes ({@link dev.vigil.os.PathBytes}, and {@link dev.vigil.os.ByteKey} to remember them
 * by), {@code /proc} ({@link dev.vigil.os.Proc}), user names ({@link dev.vigil.os.UserNames}), the host name
 * ({@link dev.vigil.os.HostName}) and systemd's notification socket ({@link dev.vigil.os.ServiceManager}). The file checks, the watch, the PID checks and the command line all go
 * through here, so that an errno, a name that is not UTF-8, a process gone mid-read or a slow directory service
 * is handled one way everywhere; a second libc binding, path conversion, {@code /proc} parser or user lookup
 * elsewhere would bring a second set of rules. Plain Java and JNA; depends on {@code text} only.
 */
package dev.vigil.os;

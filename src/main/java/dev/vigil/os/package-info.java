/**
 * The operating system as Vigil reaches it, in one place: the libc binding ({@link dev.vigil.os.Libc}), paths
 * as the kernel's raw bytes ({@link dev.vigil.os.PathBytes}), {@code /proc} ({@link dev.vigil.os.Proc}), user
 * names ({@link dev.vigil.os.UserNames}) and the host name ({@link dev.vigil.os.HostName}). The file checks,
 * the watch, the PID checks and the command line all need these, and each had grown its own copy with its own
 * rules (two libc bindings, three path conversions, three {@code /proc} readers, two user-name policies); here
 * there is one of each, so an errno, a non-UTF-8 name or a slow directory service is handled the same way
 * everywhere. Plain Java and JNA; depends on {@code text} only.
 */
package dev.vigil.os;

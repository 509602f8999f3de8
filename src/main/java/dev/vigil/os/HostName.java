package dev.vigil.os;

/**
 * The host name Vigil puts on findings and reports, decided in this one place: the configured
 * {@code vigil.host} when it is set, else the kernel's node name (what {@code hostname} prints, read from
 * {@code /proc/sys/kernel/hostname}), else {@code localhost}. The kernel's name is taken as it is, never
 * resolved: {@code InetAddress.getLocalHost()} would wait on DNS, and fail where the name does not resolve,
 * before the daemon could start.
 */
public final class HostName {

    static final String LAST_RESORT = "localhost";

    private HostName() {
    }

    /** The host name, given the configured one (null or blank when none). */
    public static String of(String configured) {
        return of(configured, Proc.sysctl("kernel/hostname"));
    }

    /** The first of {@code configured}, {@code kernelName} and {@link #LAST_RESORT} that is not blank. */
    static String of(String configured, String kernelName) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        if (kernelName != null && !kernelName.isBlank()) {
            return kernelName.strip();
        }
        return LAST_RESORT;
    }
}

package dev.vigil.config;

import java.util.List;
import java.util.Map;

/**
 * The syslog facility and severity names, in the order of their codes (RFC 5424): the values the syslog keys
 * accept, and what the renderer maps to numbers.
 */
public final class SyslogCodes {

    public static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog",
            "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron",
            "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7");
    public static final List<String> SEVERITIES =
            List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");
    /** Other spellings of severities, as syslog.conf and logger take them. */
    public static final Map<String, String> SEVERITY_ALIASES = Map.of("emergency", "emerg", "critical", "crit",
            "error", "err", "warn", "warning", "informational", "info", "panic", "emerg");

    private SyslogCodes() {
    }
}

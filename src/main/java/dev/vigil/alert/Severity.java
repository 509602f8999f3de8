package dev.vigil.alert;

/** How urgent a finding is; CRITICAL findings skip pooling and holdoff. */
public enum Severity {
    INFO, NOTICE, WARNING, CRITICAL
}

package dev.vigil.camel;

import org.apache.camel.spi.Metadata;

/**
 * The headers Vigil's consumers set on every finding, for routes to filter and route on; the endpoints name this
 * class as their {@code headersClass}, so the headers are documented in the components' metadata.
 */
public final class Headers {

    @Metadata(description = "Where the finding came from: files, logs or pids", javaType = "String")
    public static final String SOURCE = "VigilSource";
    @Metadata(description = "What happened, per source: ADDED, MODIFIED, SECURITY_ALERT, DIED, ...", javaType = "String")
    public static final String KIND = "VigilKind";
    @Metadata(description = "What the finding is about: a path, a log line, a PID file", javaType = "String")
    public static final String SUBJECT = "VigilSubject";
    @Metadata(description = "How urgent it is: INFO, NOTICE, WARNING or CRITICAL", javaType = "String")
    public static final String SEVERITY = "VigilSeverity";

    private Headers() {
    }

    /** Sets the finding as the body and its fields as headers. */
    static void set(org.apache.camel.Message message, dev.vigil.alert.Finding f) {
        message.setBody(f);
        message.setHeader(SOURCE, f.source().text());
        message.setHeader(KIND, f.kind());
        message.setHeader(SUBJECT, f.subject());
        message.setHeader(SEVERITY, f.severity().name());
    }
}

package dev.vigil.camel;

/** The headers Vigil's consumers set on every finding, for routes to filter and route on. */
public final class Headers {
    public static final String SOURCE = "VigilSource";
    public static final String KIND = "VigilKind";
    public static final String SUBJECT = "VigilSubject";
    public static final String SEVERITY = "VigilSeverity";

    private Headers() {
    }

    /** Sets the finding as the body and its fields as headers. */
    static void set(org.apache.camel.Message message, dev.vigil.alert.Finding f) {
        message.setBody(f);
        message.setHeader(SOURCE, f.source());
        message.setHeader(KIND, f.kind());
        message.setHeader(SUBJECT, f.subject());
        message.setHeader(SEVERITY, f.severity().name());
    }
}

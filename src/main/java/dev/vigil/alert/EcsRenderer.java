package dev.vigil.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A report as Elastic Common Schema events, one JSON object per finding ({@code vigil.alerts.format=ecs}), so
 * Filebeat or Elastic Agent reading the alert file as NDJSON takes them in unchanged: {@code @timestamp},
 * {@code event.*} ({@code kind} alert; {@code category} file, process, intrusion_detection or host; {@code type};
 * {@code action}, the finding's kind in lower case; {@code severity} 1 (info) to 4 (critical); {@code id}, the
 * report id and the finding's number in it), {@code host.name}, {@code message}, {@code tags}; {@code file.*}
 * for file findings (path, hash, size, mode, owner, times before or after the change), {@code process.*} and
 * {@code user.*} for an attributed change and for PID findings, {@code log.file.path}, {@code event.original}
 * and {@code rule.*} for a log line. What ECS has no field for stays under {@code vigil.*}: the report id, the
 * source, the kind and the finding's details as Vigil's own format has them.
 */
public final class EcsRenderer implements ReportRenderer<List<String>> {

    /** The ECS version the events follow. */
    public static final String ECS_VERSION = "8.11.0";

    private final String hashField;

    /**
     * @param hashAlgorithm the baseline's content hash ({@code vigil.files.hash}), which names the
     *                      {@code file.hash.*} field: sha256 and sha512 are ECS's own, sha3-256 is written
     *                      {@code file.hash.sha3_256}
     */
    public EcsRenderer(String hashAlgorithm) {
        this.hashField = "file.hash." + hashAlgorithm.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public List<String> format(Report report) {
        List<String> events = new ArrayList<>(report.findings().size());
        for (int i = 0; i < report.findings().size(); i++) {
            events.add(Json.write(event(report, i + 1, report.findings().get(i))));
        }
        return events;
    }

    private ObjectNode event(Report report, int number, Finding f) {
        ObjectNode e = Json.mapper().createObjectNode();
        put(e, "@timestamp", f.time().toString());
        put(e, "ecs.version", ECS_VERSION);
        put(e, "event.kind", "alert");
        put(e, "event.category", List.of(category(f)));
        put(e, "event.type", List.of(type(f)));
        put(e, "event.action", f.kind().toLowerCase(Locale.ROOT));
        put(e, "event.severity", f.severity().ordinal() + 1);
        put(e, "event.id", report.id() + "-" + number);
        put(e, "event.created", report.created().toString());
        put(e, "event.module", "vigil");
        put(e, "event.dataset", "vigil." + f.source().text());
        put(e, "log.level", f.severity().name().toLowerCase(Locale.ROOT));
        put(e, "host.name", f.host());
        put(e, "message", f.kind() + " " + Outline.message(f));
        put(e, "tags", List.of("vigil", f.source().text()));
        switch (f.source()) {
            case FILES -> file(e, f);
            case LOGS -> log(e, f);
            case PIDS -> pid(e, f);
            case TEST -> { }
        }
        put(e, "vigil.report", report.id());
        put(e, "vigil.source", f.source().text());
        put(e, "vigil.kind", f.kind());
        if (!f.details().isEmpty()) {
            put(e, "vigil.details", f.details());
        }
        return e;
    }

    /** The path, and the entry as it is now (as it was, for a deletion); the process behind an attributed change. */
    private void file(ObjectNode e, Finding f) {
        put(e, "file.path", f.subject());
        Map<?, ?> state = Details.attributes(f, Details.AFTER).isEmpty() ? Details.attributes(f, Details.BEFORE)
                : Details.attributes(f, Details.AFTER);
        put(e, hashField, state.get("hash"));
        Object size = state.get("size");
        if (size != null && size.toString().matches("\\d{1,18}")) {
            put(e, "file.size", Long.parseLong(size.toString()));
        }
        put(e, "file.mode", state.get("permissions"));
        put(e, "file.uid", state.get("uid"));
        put(e, "file.gid", state.get("gid"));
        put(e, "file.mtime", state.get("mtime"));
        put(e, "file.ctime", state.get("ctime"));
        put(e, "file.target_path", state.get("target"));
        if (Boolean.TRUE.equals(f.details().get("attributed"))) {
            process(e, f.details(), "");
        }
    }

    /** The line as it was read, its log file, and the logcheck rule file that selected it. */
    private static void log(ObjectNode e, Finding f) {
        put(e, "event.original", f.subject());
        put(e, "log.file.path", f.details().get(Details.LOGFILE));
        put(e, "rule.ruleset", "logcheck");
        put(e, "rule.category", Details.section(f));
        put(e, "rule.name", f.details().get(Details.RULEFILE));
    }

    /** The PID file, and the process as it runs now, or as it was when it died. */
    private static void pid(ObjectNode e, Finding f) {
        if (!f.subject().startsWith("process:")) {
            put(e, "file.path", f.subject());
        }
        process(e, f.details(), f.details().containsKey("after.pid") ? "after." : "before.");
    }

    private static void process(ObjectNode e, Map<String, Object> details, String prefix) {
        put(e, "process.pid", details.get(prefix + "pid"));
        put(e, "process.parent.pid", details.get(prefix + "ppid"));
        Object name = details.get(prefix + "comm");
        put(e, "process.name", name != null ? name : details.get(prefix + "command"));
        put(e, "process.executable", details.get(prefix + "exe"));
        put(e, "user.name", details.get(prefix + "user"));
        Object uid = details.get(prefix + "uid");
        put(e, "user.id", uid == null ? null : uid.toString());
    }

    private static String category(Finding f) {
        return switch (f.source()) {
            case FILES -> "file";
            case PIDS -> "process";
            case LOGS -> f.kind().startsWith("SECURITY_") ? "intrusion_detection" : "host";
            case TEST, FLEET -> "host";
        };
    }

    /** ECS's event.type for the kind: what happened to the file or process, else info. */
    private static String type(Finding f) {
        return switch (f.kind()) {
            case "ADDED" -> "creation";
            case "DELETED" -> "deletion";
            case "MODIFIED", "ATTRIBUTES", "MOVED", "REVERTED", "REPLACED", "UNEXPECTED_EXE" -> "change";
            case "DIED" -> "end";
            case "RESTARTED", "RECOVERED" -> "start";
            default -> "info";
        };
    }

    /** Sets a dotted ECS field as nested objects ({@code file.hash.sha256}); a null value is left out. */
    private static void put(ObjectNode event, String field, Object value) {
        if (value == null) {
            return;
        }
        String[] parts = field.split("\\.");
        ObjectNode node = event;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.has(parts[i]) ? (ObjectNode) node.get(parts[i]) : node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], Json.mapper().valueToTree(value));
    }
}

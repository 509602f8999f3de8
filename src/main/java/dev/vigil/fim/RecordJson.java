package dev.vigil.fim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.os.PathBytes;

import java.util.TreeMap;

/**
 * Entries and changes as JSON objects. An entry is compatible with Argus's NDJSON records ({@code path},
 * {@code checksum}, {@code size}, {@code timestamp} as the RFC 3339 UTC mtime) and adds our other attributes.
 * Paths and targets are in {@link PathBytes#escape escaped} form, so any name round-trips.
 */
public final class RecordJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordJson() {
    }

    public static ObjectNode entry(FileRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("path", r.displayPath());
        if (r.hash() != null) {
            o.put("checksum", r.hash());
        }
        o.put("size", r.size());
        o.put("timestamp", Attribute.formatNanos(r.mtimeNs()));
        o.put("type", r.type().name().toLowerCase());
        o.put("mode", Attribute.PERMISSIONS.print(r));
        o.put("uid", r.uid());
        o.put("gid", r.gid());
        o.put("inode", r.inode());
        o.put("device", r.device());
        o.put("links", r.links());
        o.put("mtime_ns", r.mtimeNs());
        o.put("ctime_ns", r.ctimeNs());
        if (r.target() != null) {
            o.put("target", PathBytes.escape(r.target()));
        }
        if (!r.xattrs().isEmpty()) {
            ObjectNode x = o.putObject("xattrs");
            r.xattrs().forEach(x::put);
        }
        if (r.error() != null) {
            o.put("error", r.error());
        }
        return o;
    }

    public static FileRecord parseEntry(JsonNode o) {
        TreeMap<String, String> xattrs = new TreeMap<>();
        JsonNode x = o.get("xattrs");
        if (x != null) {
            x.fields().forEachRemaining(e -> xattrs.put(e.getKey(), e.getValue().asText()));
        }
        EntryType type = o.has("type") ? EntryType.valueOf(o.get("type").asText().toUpperCase()) : EntryType.FILE;
        int perms = o.has("mode") ? Integer.parseInt(o.get("mode").asText(), 8) : 0;
        return new FileRecord(PathBytes.unescape(o.get("path").asText()), type, o.path("size").asLong(),
                type.modeBits() | perms, o.path("uid").asInt(), o.path("gid").asInt(), o.path("inode").asLong(),
                o.path("device").asLong(), o.path("links").asLong(),
                o.has("mtime_ns") ? o.get("mtime_ns").asLong() : nanos(java.time.OffsetDateTime.parse(o.get("timestamp").asText()).toInstant()),
                o.path("ctime_ns").asLong(), o.has("target") ? PathBytes.unescape(o.get("target").asText()) : null,
                o.has("checksum") ? o.get("checksum").asText() : null, xattrs,
                o.has("error") ? o.get("error").asText() : null);
    }

    private static long nanos(java.time.Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** A change: path, kind, the reason of an UNTRUSTED_IGNORE, and for each differing attribute its value before and after. */
    public static ObjectNode change(Change c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("path", c.displayPath());
        o.put("kind", c.kind().name());
        if (c.reason() != null) {
            o.put("reason", c.reason());
        }
        if (!c.attributes().isEmpty()) {
            ObjectNode attrs = o.putObject("attributes");
            for (Attribute a : c.attributes()) {
                ObjectNode ba = attrs.putObject(a.key());
                ba.put("before", a.print(c.before()));
                ba.put("after", a.print(c.after()));
            }
        }
        FileRecord state = c.after() != null ? c.after() : c.before();
        o.set(c.after() != null ? "after" : "before", entry(state));
        return o;
    }

    public static ObjectMapper mapper() {
        return JSON;
    }
}

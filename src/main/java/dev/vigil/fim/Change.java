package dev.vigil.fim;

import dev.vigil.os.PathBytes;

import java.util.List;

/**
 * One entry that differs from the baseline: {@code before} is null for ADDED, {@code after} null for
 * DELETED; {@code attributes} lists what differs, in {@link Attribute} order. {@code reason} says why an
 * UNTRUSTED_IGNORE is not applied, and is null for every other kind.
 */
public record Change(byte[] path, ChangeKind kind, FileRecord before, FileRecord after, List<Attribute> attributes,
                     String reason) {

    public Change(byte[] path, ChangeKind kind, FileRecord before, FileRecord after, List<Attribute> attributes) {
        this(path, kind, before, after, attributes, null);
    }

    public String displayPath() {
        return PathBytes.escape(path);
    }
}

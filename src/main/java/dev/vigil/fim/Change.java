package dev.vigil.fim;

import java.util.List;

/**
 * One entry that differs from the baseline: {@code before} is null for ADDED, {@code after} null for
 * DELETED; {@code attributes} lists what differs, in {@link Attribute} order.
 */
public record Change(byte[] path, ChangeKind kind, FileRecord before, FileRecord after, List<Attribute> attributes) {

    public String displayPath() {
        return PathBytes.escape(path);
    }
}

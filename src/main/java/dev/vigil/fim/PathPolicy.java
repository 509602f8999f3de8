package dev.vigil.fim;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which attributes a path is not compared on (integrityd's lists): under a {@code noinode} prefix the inode
 * is ignored (file systems without stable inode numbers), under a {@code notime} prefix mtime and ctime are
 * (files rewritten with equal content by their owner).
 */
public record PathPolicy(List<byte[]> noinode, List<byte[]> notime) {

    private static final Set<Attribute> NOTHING = java.util.Collections.unmodifiableSet(EnumSet.noneOf(Attribute.class));

    public static PathPolicy none() {
        return new PathPolicy(List.of(), List.of());
    }

    public Set<Attribute> ignored(byte[] path) {
        if (noinode.isEmpty() && notime.isEmpty()) {
            return NOTHING;
        }
        Set<Attribute> out = EnumSet.noneOf(Attribute.class);
        if (noinode.stream().anyMatch(p -> PathBytes.isUnder(path, p))) {
            out.add(Attribute.INODE);
        }
        if (notime.stream().anyMatch(p -> PathBytes.isUnder(path, p))) {
            out.add(Attribute.MTIME);
            out.add(Attribute.CTIME);
        }
        return out;
    }
}

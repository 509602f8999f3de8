package dev.vigil.fim;

import dev.vigil.os.PathBytes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which attributes a path is not compared on (integrityd's lists): under a {@code noinode} prefix the inode
 * is ignored (file systems without stable inode numbers), under a {@code notime} prefix mtime and ctime are
 * (files rewritten with equal content by their owner). {@code notimeExact} paths, and nothing below them, are
 * not compared on mtime and ctime either: the directories that hold Vigil's own files, which change whenever
 * SQLite creates or removes its WAL beside the database. Under a {@code growing} prefix (log files, AIDE's
 * growing attribute) a file whose size only grew and whose old part is unchanged has not deviated: see
 * {@link ChangeDetector}.
 */
public record PathPolicy(List<byte[]> noinode, List<byte[]> notime, List<byte[]> notimeExact, List<byte[]> growing) {

    public PathPolicy(List<byte[]> noinode, List<byte[]> notime) {
        this(noinode, notime, List.of(), List.of());
    }

    /** This policy, with the files under {@code prefixes} allowed to grow. */
    public PathPolicy withGrowing(List<byte[]> prefixes) {
        return new PathPolicy(noinode, notime, notimeExact, prefixes);
    }

    /** Whether {@code path} may grow (its size only, its old part unchanged) without deviating. */
    public boolean growing(byte[] path) {
        return growing.stream().anyMatch(p -> PathBytes.isUnder(path, p));
    }

    private static final Set<Attribute> NOTHING = java.util.Collections.unmodifiableSet(EnumSet.noneOf(Attribute.class));

    public static PathPolicy none() {
        return new PathPolicy(List.of(), List.of());
    }

    public Set<Attribute> ignored(byte[] path) {
        if (noinode.isEmpty() && notime.isEmpty() && notimeExact.isEmpty()) {
            return NOTHING;
        }
        Set<Attribute> out = EnumSet.noneOf(Attribute.class);
        if (noinode.stream().anyMatch(p -> PathBytes.isUnder(path, p))) {
            out.add(Attribute.INODE);
        }
        if (notime.stream().anyMatch(p -> PathBytes.isUnder(path, p)) || notimeExact.stream().anyMatch(p -> Arrays.equals(path, p))) {
            out.add(Attribute.MTIME);
            out.add(Attribute.CTIME);
        }
        return out;
    }

    /** This policy, with the times of the directories holding {@code files} not compared. */
    public PathPolicy withTimesIgnoredAround(java.util.Collection<Path> files) {
        List<byte[]> dirs = new ArrayList<>(notimeExact);
        files.stream().map(Path::getParent).filter(java.util.Objects::nonNull).distinct().map(PathBytes::of).forEach(dirs::add);
        return new PathPolicy(noinode, notime, dirs, growing);
    }
}
